package io.shmipc.toolkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Lines as read from a stream: their bytes kept, and the end of the input after the last line even when the input
 * ends while the lines read ahead fill the queue (a `call` reading 100,000 lines from a pipe waited for ever after
 * answering them all).
 */
@Timeout(30)
class InputLinesTest
{
    private static final int READ_AHEAD = 1024;

    /**
     * Lines end at a newline only: a carriage return before it is dropped, one anywhere else kept; read as
     * ISO-8859-1, every byte comes back exactly (bytes that are not UTF-8 included), and the last line needs no end.
     */
    @Test
    void linesEndAtNewlinesAndKeepTheirBytes() throws Exception
    {
        final byte[] text = {'A', (byte)0xff, (byte)0xfe, 'B', '\n', 'a', '\r', 'b', '\r', '\n', '\n', 'z'};
        final InputLines input = InputLines.start(new ByteArrayInputStream(text), StandardCharsets.ISO_8859_1);
        final byte[][] expected = {{'A', (byte)0xff, (byte)0xfe, 'B'}, {'a', '\r', 'b'}, {}, {'z'}};
        for (final byte[] line : expected)
        {
            assertArrayEquals(line, input.next(10, TimeUnit.SECONDS).getBytes(StandardCharsets.ISO_8859_1));
        }
        assertSame(InputLines.END, input.next(10, TimeUnit.SECONDS));
    }

    @Test
    void theEndComesAfterTheLastLineWhenTheInputEndsWithTheQueueFull() throws Exception
    {
        final int count = READ_AHEAD + 6;
        final CountDownLatch endOfFile = new CountDownLatch(1);
        final byte[] text = "x\n".repeat(count).getBytes(StandardCharsets.US_ASCII);
        final InputLines input = InputLines.start(new FilterInputStream(new ByteArrayInputStream(text))
        {
            @Override
            public int read(final byte[] buffer, final int offset, final int length) throws IOException
            {
                final int read = super.read(buffer, offset, length);
                if (read < 0)
                {
                    endOfFile.countDown();
                }
                return read;
            }
        });
        // Take what does not fit the queue, so the reader queues the rest, fills it, and meets the end of file.
        for (int i = 0; i < count - READ_AHEAD; i++)
        {
            assertEquals("x", input.next(10, TimeUnit.SECONDS));
        }
        endOfFile.await();
        for (int i = 0; i < READ_AHEAD; i++)
        {
            assertEquals("x", input.next(10, TimeUnit.SECONDS), "line " + i);
        }
        assertSame(InputLines.END, input.next(10, TimeUnit.SECONDS));
    }
}
