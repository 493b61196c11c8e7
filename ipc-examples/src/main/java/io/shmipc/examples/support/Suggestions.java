package io.shmipc.examples.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * "Did you mean": the candidates nearest to a mistyped word by edit distance, a swap of two neighbouring letters
 * counting as one edit ({@code sned} is one edit from {@code send}, {@code lsit} one from {@code list}).
 */
public final class Suggestions
{
    private Suggestions()
    {
    }

    /**
     * The candidates within reach of a typo, nearest first.
     *
     * @param typed      what was typed.
     * @param candidates the valid words.
     * @return the nearest ones (those at the smallest distance, if it is at most a third of the word's length, and
     *         at least 1, or 2 for words of six letters or more); empty when none is close.
     */
    public static List<String> nearest(final String typed, final Collection<String> candidates)
    {
        final String word = typed.startsWith("--") ? typed.substring(2) : typed;
        final int reach = Math.max(word.length() >= 6 ? 2 : 1, word.length() / 3);
        int best = Integer.MAX_VALUE;
        final List<String> nearest = new ArrayList<>();
        for (final String candidate : candidates)
        {
            final String name = candidate.startsWith("--") ? candidate.substring(2) : candidate;
            int distance = distance(word, name);
            if (distance > reach && name.startsWith(word) && word.length() >= 3)
            {
                distance = reach; // a prefix of a longer name: 'market' for 'market-feed'
            }
            if (distance > reach || distance > best)
            {
                continue;
            }
            if (distance < best)
            {
                best = distance;
                nearest.clear();
            }
            nearest.add(candidate);
        }
        return nearest;
    }

    /**
     * Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.
     *
     * @param a one word.
     * @param b another.
     * @return the number of edits.
     */
    static int distance(final String a, final String b)
    {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
