package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;

/**
 * The line format between roles and the coordinator: a first word, then {@code key=value} words (values hold no
 * spaces); histograms travel as base64 of HdrHistogram's compressed encoding.
 */
final class KeyValues
{
    private KeyValues()
    {
    }

    static String format(final String first, final Map<String, String> values)
    {
        final StringBuilder line = new StringBuilder(first);
        for (final Map.Entry<String, String> entry : values.entrySet())
        {
            line.append(' ').append(entry.getKey()).append('=').append(entry.getValue());
        }
        return line.toString();
    }

    /**
     * Parse a line whose first word is {@code first}.
     *
     * @param first the expected first word.
     * @param line  the line.
     * @return its values, or {@code null} when the line does not start with {@code first}.
     */
    static Map<String, String> parse(final String first, final String line)
    {
        if (!line.equals(first) && !line.startsWith(first + " "))
        {
            return null;
        }
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String word : line.substring(first.length()).trim().split(" "))
        {
            final int equals = word.indexOf('=');
            if (equals > 0)
            {
                values.put(word.substring(0, equals), word.substring(equals + 1));
            }
        }
        return values;
    }

    static String encode(final Histogram histogram)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Histogram decode(final String text)
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        }
        catch (final DataFormatException ex)
        {
            throw new IllegalStateException("corrupt histogram from a role", ex);
        }
    }
}
