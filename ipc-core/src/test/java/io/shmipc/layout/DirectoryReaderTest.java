package io.shmipc.layout;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Reading a directory while another thread changes it, as another process would: an entry whose fields are
 * rewritten with garbage while FREE, then made valid, INITIALISING and READY, again and again. A reader must only
 * ever see the channel whole or not at all, never a corrupt half-written entry.
 */
class DirectoryReaderTest
{
    private static final RegionLayout PLANNED = RegionLayout.plan("test", List.of(
        new ChannelSpec("stable", ChannelKind.MANY_TO_ONE, 1024, 0)), 4, 1 << 20);

    @Test
    @Timeout(60)
    void aReaderSeesAChangingEntryWholeOrNotAtAll() throws InterruptedException
    {
        final UnsafeBuffer image = new UnsafeBuffer(ByteBuffer.allocateDirect(PLANNED.metadataLength()));
        PLANNED.writeTo(image);
        final LayoutReader.Header header = LayoutReader.validateHeader(image, PLANNED.regionLength(), "test");
        final ChannelLayout stable = PLANNED.channels().get(0);
        final ChannelLayout changing = ChannelLayout.place(1, RegionLayout.resolve("test",
            new ChannelSpec("changing", ChannelKind.BROADCAST, 4096, 0)), stable.channelOffset() + (1 << 16));
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread writer = new Thread(() ->
        {
            final int entry = entryOffset(1);
            long status = 0;
            while (!stop.get())
            {
                for (int offset = 0; offset < ENTRY_STATUS_OFFSET; offset += Integer.BYTES)
                {
                    image.putInt(entry + offset, 0x7F7F7F7F); // garbage while FREE
                }
                RegionLayout.writeEntry(image, changing);
                status = next(status, ENTRY_INITIALISING);
                image.putLongRelease(entry + ENTRY_STATUS_OFFSET, status);
                status = next(status, ENTRY_READY);
                image.putLongRelease(entry + ENTRY_STATUS_OFFSET, status);
                // Pauses between changes, as channels come and go at an application's pace: without them, on a busy
                // machine the writer may change the entry under every one of a reader's retries.
                LockSupport.parkNanos(1_000);
                status = next(status, ENTRY_FREE);
                image.putLongRelease(entry + ENTRY_STATUS_OFFSET, status);
                LockSupport.parkNanos(1_000);
            }
        });
        writer.start();
        int seen = 0;
        int absent = 0;
        try
        {
            final long deadline = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() - deadline < 0 || seen == 0 || absent == 0)
            {
                final List<ChannelLayout> channels = DirectoryReader.channels(image, header, "test");
                assertEquals(stable, channels.get(0));
                if (channels.size() == 2)
                {
                    assertEquals(changing.spec(), channels.get(1).spec());
                    assertEquals(changing.channelOffset(), channels.get(1).channelOffset());
                    assertEquals(ENTRY_READY, state(channels.get(1).entryStatus()));
                    seen++;
                }
                else
                {
                    assertEquals(1, channels.size());
                    absent++;
                }
                final ChannelLayout found = DirectoryReader.find(image, header, "changing", "test");
                assertTrue(found == null || found.spec().equals(changing.spec()));
            }
        }
        finally
        {
            stop.set(true);
            writer.join();
        }
        assertTrue(seen > 0 && absent > 0, "seen=" + seen + " absent=" + absent);
    }

    @Test
    void aStateNoWriterStoresIsCorrupt()
    {
        final UnsafeBuffer image = new UnsafeBuffer(new byte[PLANNED.metadataLength()]);
        PLANNED.writeTo(image);
        final LayoutReader.Header header = LayoutReader.validateHeader(image, PLANNED.regionLength(), "test");
        image.putInt(entryOffset(3) + ENTRY_STATE_OFFSET, 3);
        final io.shmipc.exceptions.CorruptRegionException refused = assertThrows(
            io.shmipc.exceptions.CorruptRegionException.class, () -> DirectoryReader.channels(image, header, "test"));
        assertEquals("directory[3].entryState", refused.field());
    }
}
