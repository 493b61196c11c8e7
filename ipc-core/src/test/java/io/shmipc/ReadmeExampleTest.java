package io.shmipc;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The code example of README.md, as written there (both halves in one process), so that it keeps compiling and
 * doing what it says.
 */
class ReadmeExampleTest
{
    @AfterEach
    void tearDown()
    {
        Region.delete(RegionLocation.shm("quotes"));
    }

    @Test
    void readmeExampleDeliversTheMessage()
    {
        final PrintStream out = System.out;
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        final long published;
        try
        {
            // --- README.md ---
            RegionConfig config = RegionConfig.builder(RegionLocation.shm("quotes"))
                .channel("prices", ChannelKind.ONE_TO_ONE, 1 << 20).build();       // a 1 MiB lossless ring

            try (Region region = Region.openOrCreate(config))                       // process A: create, publish
            {
                UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
                message.putLong(0, 42);
                long result = region.publisher("prices").offer(message, 0, 8);      // Publisher.OK, or BACK_PRESSURED
                published = result;
            }

            try (Region region = Region.attach(RegionLocation.shm("quotes"), Duration.ofSeconds(5)))   // process B
            {
                region.subscriber("prices").poll((buffer, offset, length) ->        // waits up to 1 s on a futex
                    System.out.println(buffer.getLong(offset)), 10, Duration.ofSeconds(1));
            }
            // --- end ---
        }
        finally
        {
            System.setOut(out);
        }
        assertEquals(Publisher.OK, published);
        assertEquals("42", printed.toString(StandardCharsets.UTF_8).trim());
    }
}
