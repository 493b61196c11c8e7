package io.shmipc.examples.demo;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Instrument symbols and prices as the demos put them in messages: a symbol is up to 8 ASCII characters, space
 * padded, in one {@code long} (first character in the low byte); a price is a {@code long} number of cents.
 */
public final class Symbols
{
    private Symbols()
    {
    }

    /**
     * Encode a symbol.
     *
     * @param text e.g. {@code AAPL}, at most 8 ASCII characters.
     * @return the encoded symbol.
     */
    public static long encode(final String text)
    {
        final byte[] ascii = String.format(Locale.ROOT, "%-8.8s", text).getBytes(StandardCharsets.US_ASCII);
        long symbol = 0;
        for (int i = 7; i >= 0; i--)
        {
            symbol = symbol << 8 | (ascii[i] & 0xFF);
        }
        return symbol;
    }

    /**
     * Decode a symbol.
     *
     * @param symbol the encoded symbol.
     * @return its text without padding, e.g. {@code AAPL}.
     */
    public static String decode(final long symbol)
    {
        final byte[] ascii = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            ascii[i] = (byte)(symbol >>> (8 * i));
        }
        return new String(ascii, StandardCharsets.US_ASCII).trim();
    }

    /**
     * A price in cents as text: {@code 18912} is {@code 189.12}.
     *
     * @param cents the price.
     * @return the text.
     */
    public static String price(final long cents)
    {
        return String.format(Locale.ROOT, "%s%d.%02d", cents < 0 ? "-" : "", Math.abs(cents / 100),
            Math.abs(cents % 100));
    }
}
