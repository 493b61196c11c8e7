package io.shmipc.examples.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A message's bytes for people: as text when they are UTF-8 text, else as a hex dump with the printable ASCII beside.
 */
final class MessageText
{
    private MessageText()
    {
    }

    /**
     * Whether the bytes are UTF-8 text without control characters other than tab.
     *
     * @param message the bytes.
     * @return true for text.
     */
    static boolean isText(final byte[] message)
    {
        try
        {
            final String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(message)).toString();
            return text.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }

    static String text(final byte[] message)
    {
        return new String(message, StandardCharsets.UTF_8);
    }

    /**
     * Text on one line: tabs shown as {@code \t}.
     *
     * @param message UTF-8 text.
     * @return the line.
     */
    static String escaped(final byte[] message)
    {
        return text(message).replace("\t", "\\t");
    }

    static String hex(final byte[] message)
    {
        final StringBuilder hex = new StringBuilder(message.length * 2);
        for (final byte b : message)
        {
            hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
        }
        return hex.toString();
    }

    /**
     * One line of a hex dump: offset, bytes, printable ASCII.
     *
     * @param message the bytes.
     * @param offset  where the line starts.
     * @param width   bytes per line.
     * @return the line.
     */
    static String hexLine(final byte[] message, final int offset, final int width)
    {
        final StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%08x  ", offset));
        final StringBuilder ascii = new StringBuilder();
        for (int i = offset; i < offset + width; i++)
        {
            if (i < message.length)
            {
                final int b = message[i] & 0xff;
                line.append(String.format(Locale.ROOT, "%02x ", b));
                ascii.append(b >= 0x20 && b < 0x7f ? (char)b : '.');
            }
            else
            {
                line.append("   ");
            }
        }
        return line.append(' ').append(ascii).toString();
    }
}
