package io.shmipc.tests.log;

import io.shmipc.RegionLocation;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.tests.support.DiskTempDirFactory;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * History of a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel over a region file on disk: after the publisher's
 * process has exited, a subscriber process started from the oldest message receives exactly the suffix the log
 * holds, in order and intact; after every process has exited, another one started later replays the same.
 */
class PublishSubscribeHistoryTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final long COUNT = 5_000;
    private static final Duration STEP = Duration.ofSeconds(30);

    private LogChildren children;

    @AfterEach
    void tearDown()
    {
        if (children != null)
        {
            children.close();
        }
    }

    @Test
    @Timeout(120)
    void aLateJoinerFromTheOldestGetsExactlyTheRetainedSuffixAndARestartReplaysIt(
        @TempDir(factory = DiskTempDirFactory.class) final Path directory) throws IOException
    {
        final RegionLocation location = RegionLocation.file(directory.resolve("journal.region"));
        children = new LogChildren(location);
        children.createRegion(CAPACITY);
        final ChildProcess sender = children.sender(COUNT, "go=false");
        final Summary sent = Summary.parse(sender.awaitLineStartingWith("SENT ", STEP));
        sender.awaitSuccess(STEP);

        final long retainedFirst = sequenceAtOldest(location);
        assertTrue(retainedFirst > 0, "the log wrapped: " + retainedFirst);
        Summary previous = null;
        for (int run = 0; run < 2; run++)
        {
            final ChildProcess replay = children.listener(run, COUNT, "start=oldest");
            final Summary result = Summary.parse(replay.awaitLineStartingWith("RESULT ", STEP));
            System.out.println(result.line());
            replay.awaitSuccess(STEP);
            result.assertValue("first", retainedFirst)
                .assertValue("last", COUNT - 1)
                .assertValue("received", COUNT - retainedFirst)
                .assertValue("gaps", retainedFirst) // counted from sequence 0: the messages no longer held
                .assertValue("duplicates", 0)
                .assertValue("outOfOrder", 1) // the first message is retainedFirst, not 0
                .assertValue("crcErrors", 0)
                .assertValue("lengthErrors", 0)
                .assertValue("invalid", 0)
                .assertValue("lost", 0);
            if (previous != null)
            {
                result.assertValue("digest", previous.number("digest"));
            }
            previous = result;
        }
        assertTrue(sent.number("digest") != previous.number("digest"), "a suffix, not the whole stream");
    }

    /**
     * A tethered subscriber process that joins from the oldest while the publisher's process is alive but idle (it
     * computed its limit before the subscriber existed) holds the publisher back from its start on, before it has
     * read anything: the publisher, resumed, is held at once, and the subscriber then replays the whole retained
     * history and everything after it, losing nothing.
     */
    @Test
    @Timeout(120)
    void aTetheredJoinerFromTheOldestHoldsAnIdlePublisherBackFromItsStartAndLosesNothing(
        @TempDir(factory = DiskTempDirFactory.class) final Path directory) throws IOException
    {
        final long count = 4 * COUNT;
        final RegionLocation location = RegionLocation.file(directory.resolve("journal.region"));
        children = new LogChildren(location);
        children.createRegion(CAPACITY);
        final ChildProcess sender = children.sender(count, "go=false", "pauseAt=" + COUNT);
        sender.awaitLineStartingWith("PAUSED", STEP);
        final long retainedFirst = sequenceAtOldest(location);
        assertTrue(retainedFirst > 0, "the log wrapped: " + retainedFirst);

        final ChildProcess joiner = children.listener(0, count, "start=oldest", "stopAfter=0");
        joiner.awaitLineStartingWith("STOPPED", STEP);
        sender.send("MORE");
        final Summary held = Summary.parse(sender.awaitLineStartingWith("HELD", STEP));
        System.out.println(held.line());
        // Past the pause it may fill what it had already cleaned ahead of its tail (at most a chunk, an eighth of this
        // log, in records of at least 64 bytes): that was no longer history.
        assertTrue(held.number("sent") < COUNT + 10 + CAPACITY / 8 / 64,
            "held by the history it had not overwritten: " + held.line());
        joiner.send("CONTINUE");
        final Summary result = Summary.parse(joiner.awaitLineStartingWith("RESULT ", STEP));
        System.out.println(result.line());
        joiner.awaitSuccess(STEP);
        sender.awaitSuccess(STEP);
        result.assertValue("first", retainedFirst)
            .assertValue("last", count - 1)
            .assertValue("received", count - retainedFirst)
            .assertValue("gaps", retainedFirst)
            .assertValue("duplicates", 0)
            .assertValue("outOfOrder", 1)
            .assertValue("crcErrors", 0)
            .assertValue("lengthErrors", 0)
            .assertValue("invalid", 0)
            .assertValue("lost", 0)
            .assertText("tethered", "true");
    }

    /**
     * The sequence of the oldest record the log holds, read from the file as another language would: the Oldest
     * Position in the trailer, then the Sequence of the record there.
     */
    private static long sequenceAtOldest(final RegionLocation location) throws IOException
    {
        try (FileChannel file = FileChannel.open(location.path(), StandardOpenOption.READ))
        {
            final ByteBuffer entry = ByteBuffer.allocate(DirectoryDescriptor.ENTRY_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
            file.read(entry, RegionHeaderDescriptor.HEADER_LENGTH);
            final long buffer = entry.getLong(DirectoryDescriptor.BUFFER_OFFSET_OFFSET);
            final int capacity = entry.getInt(DirectoryDescriptor.CAPACITY_OFFSET);
            final ByteBuffer value = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            file.read(value, buffer + capacity + LogBufferDescriptor.OLDEST_POSITION_OFFSET);
            final long oldest = value.getLong(0);
            assertEquals(0, oldest % LogBufferDescriptor.ALIGNMENT);
            value.clear();
            file.read(value, buffer + (oldest & (capacity - 1)) + LogBufferDescriptor.SEQUENCE_OFFSET);
            return value.getLong(0);
        }
    }
}
