package io.shmipc.tests.log;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.RegionDumpOnFailure;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead, stopped and hostile peers of a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel, each its own JVM: a tethered
 * subscriber killed while it holds the publisher back releases it within 100 ms; a stopped one holds it until it
 * is continued and then loses nothing; a publisher killed holding a half-written claim delays nobody and its record
 * is never delivered; positions corrupted in the file fail every endpoint with a typed error, never a crash or a
 * hang.
 */
class PublishSubscribeFaultTest
{
    private static final int CAPACITY = 64 * 1024;
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STEP = Duration.ofSeconds(30);

    @RegisterExtension
    final RegionDumpOnFailure dump = new RegionDumpOnFailure();

    private final RegionLocation location = dump.watch(RegionLocation.shm("shmipc-test-" + UUID.randomUUID()));
    private final LogChildren children = new LogChildren(location);

    @AfterEach
    void tearDown()
    {
        children.close();
        Region.delete(location);
    }

    private void createRegion()
    {
        children.createRegion(CAPACITY);
    }

    private ChildProcess listener(final int id, final long count, final String... options)
    {
        final ChildProcess listener = children.listener(id, count, options);
        listener.awaitLineStartingWith("READY", START);
        return listener;
    }

    private ChildProcess sender(final long count, final String... options)
    {
        final ChildProcess sender = children.sender(count, options);
        sender.awaitLineStartingWith("READY", START);
        sender.send("GO");
        return sender;
    }

    /**
     * A tethered subscriber killed while it holds the publisher back releases it within 100 ms. It stays in its slot,
     * tethered, at the position it died at, which that publisher then overwrites: the next publisher, another
     * process, must take that position for a dead subscriber's, not for corruption (it used to fail the channel for
     * good on its first scan). The next keeper registers before the victim's slot could be taken over, which would
     * clear it.
     */
    @Test
    @Timeout(120)
    void aKilledTetheredSubscriberReleasesThePublisherWithin100MillisecondsAndNeverHoldsNorFailsALaterOne()
    {
        final long count = 100_000;
        createRegion();
        final ChildProcess keeper = listener(0, count);
        final ChildProcess victim = listener(1, count, "stopAfter=1000");
        final ChildProcess sender = sender(count, "heldMs=300");
        victim.awaitLineStartingWith("STOPPED", STEP);
        sender.awaitLineStartingWith("HELD", STEP);
        final long killedAt = System.nanoTime();
        victim.kill();
        final String released = sender.awaitLineStartingWith("RELEASED", STEP);
        final long heldAfterDeath = Summary.parse(released).number("end") - killedAt;
        System.out.println(released + " heldAfterDeathNs=" + heldAfterDeath);
        assertTrue(heldAfterDeath < 100_000_000L, () -> "back-pressured " + heldAfterDeath / 1_000_000 +
            " ms after the subscriber was killed");
        assertEverythingArrives(keeper, sender, count);
        assertEverythingArrives(listener(2, count), sender(count), count);
    }

    private static void assertEverythingArrives(final ChildProcess listener, final ChildProcess sender,
        final long count)
    {
        final Summary sent = Summary.parse(sender.awaitLineStartingWith("SENT ", STEP));
        PublishSubscribeChannelTest.assertEverything(
            Summary.parse(listener.awaitLineStartingWith("RESULT ", STEP)), count, sent);
        sender.awaitSuccess(STEP);
        listener.awaitSuccess(STEP);
    }

    @Test
    @Timeout(120)
    void aStoppedTetheredSubscriberHoldsThePublisherAndAfterSigcontEveryoneGetsEverything()
    {
        final long count = 100_000;
        createRegion();
        final ChildProcess keeper = listener(0, count);
        final ChildProcess stopped = listener(1, count);
        final ChildProcess sender = sender(count, "heldMs=500");
        stopped.awaitLineStartingWith("READY", STEP);
        signal(stopped.pid(), "STOP");
        try
        {
            final Summary held = Summary.parse(sender.awaitLineStartingWith("HELD", STEP));
            assertTrue(held.number("sent") < count, "held before the end: " + held.line());
            assertTrue(sender.isAlive() && stopped.isAlive());
        }
        finally
        {
            signal(stopped.pid(), "CONT");
        }
        sender.awaitLineStartingWith("RELEASED", STEP);
        final Summary sent = Summary.parse(sender.awaitLineStartingWith("SENT ", STEP));
        PublishSubscribeChannelTest.assertEverything(
            Summary.parse(keeper.awaitLineStartingWith("RESULT ", STEP)), count, sent);
        PublishSubscribeChannelTest.assertEverything(
            Summary.parse(stopped.awaitLineStartingWith("RESULT ", STEP)), count, sent);
        for (final ChildProcess child : children.all())
        {
            child.awaitSuccess(STEP);
        }
    }

    @Test
    @Timeout(120)
    void aPublisherKilledMidClaimDelaysNobodyAndItsHalfWrittenRecordIsNeverDelivered()
    {
        final long count = 20_000;
        final long claimAt = 7_777;
        createRegion();
        final List<ChildProcess> listeners = List.of(listener(0, count), listener(1, count), listener(2, count));
        final ChildProcess first = sender(count, "claimAt=" + claimAt);
        first.awaitLineStartingWith("CLAIMED", STEP);
        first.kill();
        final ChildProcess second = sender(count, "from=" + claimAt);
        second.awaitLineStartingWith("SENT ", STEP);
        for (final ChildProcess listener : listeners)
        {
            final Summary result = Summary.parse(listener.awaitLineStartingWith("RESULT ", STEP));
            System.out.println(result.line());
            result.assertValue("received", count).assertValue("missing", 0).assertValue("duplicates", 0)
                .assertValue("outOfOrder", 0).assertValue("crcErrors", 0).assertValue("lengthErrors", 0)
                .assertValue("invalid", 0).assertValue("lost", 0);
            listener.awaitSuccess(STEP);
        }
    }

    @Test
    @Timeout(120)
    void aTailCorruptedInTheFileFailsEveryEndpointWithATypedError() throws IOException
    {
        final long count = 1_000_000;
        createRegion();
        final ChildProcess tethered = listener(0, count);
        final ChildProcess untethered = listener(1, count, "mode=untethered");
        final ChildProcess sender = sender(count, "pauseAt=5000");
        sender.awaitLineStartingWith("PAUSED", STEP);
        writeTrailerLong(LogBufferDescriptor.TAIL_POSITION_OFFSET, 12345);
        final String first = untethered.awaitLineStartingWith("CORRUPT", STEP);
        final String second = tethered.awaitLineStartingWith("CORRUPT", STEP);
        assertTrue((first + second).contains("field=channel[log].log.tailPosition"), first + " / " + second);
        assertTrue(second.contains("field=channel[log]."), tethered.output());
        sender.send("MORE");
        assertTrue(sender.awaitLineStartingWith("CORRUPT", STEP).contains("field=channel[log].failure "),
            sender.output());
        assertEveryChildFailedOnCorruption();
    }

    @Test
    @Timeout(120)
    void aSubscriberPositionCorruptedInTheFileFailsThePublisherAndThenEveryone() throws IOException
    {
        final long count = 1_000_000;
        createRegion();
        final ChildProcess keeper = listener(0, count);
        final ChildProcess stopped = listener(1, count, "stopAfter=1000");
        final ChildProcess sender = sender(count, "heldMs=100");
        stopped.awaitLineStartingWith("STOPPED", STEP);
        sender.awaitLineStartingWith("HELD", STEP);
        writeSlotLong(stopped.pid(), io.shmipc.layout.EndpointDescriptor.RECEIVER_POSITION_OFFSET, 7);
        assertTrue(sender.awaitLineStartingWith("CORRUPT", STEP).contains("].logPosition"), sender.output());
        assertTrue(keeper.awaitLineStartingWith("CORRUPT", STEP).contains("field=channel[log]."), keeper.output());
        stopped.send("CONTINUE");
        assertTrue(stopped.awaitLineStartingWith("CORRUPT", STEP).contains("field=channel[log]."), stopped.output());
        assertEveryChildFailedOnCorruption();
    }

    private void assertEveryChildFailedOnCorruption()
    {
        for (final ChildProcess child : children.all())
        {
            assertEquals(LogSender.EXIT_CORRUPT, child.awaitExit(STEP), child.output());
        }
    }

    /**
     * Overwrite a long in the endpoint slot of the process {@code pid}.
     */
    private void writeSlotLong(final long pid, final int offset, final long value) throws IOException
    {
        final int slotLength = io.shmipc.layout.EndpointDescriptor.SLOT_LENGTH;
        try (FileChannel file = children.open())
        {
            final long table = children.entry(file).getLong(DirectoryDescriptor.ENDPOINT_TABLE_OFFSET_OFFSET);
            final ByteBuffer slot = ByteBuffer.allocate(slotLength).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 64; i++)
            {
                slot.clear();
                file.read(slot, table + (long)i * slotLength);
                if (slot.getInt(io.shmipc.layout.EndpointDescriptor.PID_OFFSET) == pid &&
                    slot.getLong(io.shmipc.layout.EndpointDescriptor.ENDPOINT_ID_OFFSET) != 0)
                {
                    children.writeLong(table + (long)i * slotLength + offset, value);
                    return;
                }
            }
        }
        throw new AssertionError("no slot of pid " + pid);
    }

    private void writeTrailerLong(final int offset, final long value) throws IOException
    {
        try (FileChannel file = children.open())
        {
            final ByteBuffer entry = children.entry(file);
            children.writeLong(entry.getLong(DirectoryDescriptor.BUFFER_OFFSET_OFFSET) +
                entry.getInt(DirectoryDescriptor.CAPACITY_OFFSET) + offset, value);
        }
    }

    private static void signal(final long pid, final String signal)
    {
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", ex);
        }
    }
}
