package io.shmipc.tests.faults;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.RegionDump;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The corruptions of ring positions and records that once lost messages or stalled silently, written by a third
 * process into a channel whose publisher and subscriber run in two other JVMs: each endpoint throws
 * {@code CorruptRegionException} (the one that meets the damage names it, the other learns it from the channel's
 * failure mark), every later operation of both throws too, and nothing more is reported {@code OK}.
 */
class CorruptChannelAcrossProcessesTest
{
    private static final String CHANNEL = "c";
    private static final int CAPACITY = 64 * 1024;
    private static final int PADDING = -1;
    private static final int MESSAGE = 1;
    private static final long REATTACK_NS = TimeUnit.MILLISECONDS.toNanos(5);

    /** One attack: the channel kind and what is written where. */
    enum Attack
    {
        ONE_TO_ONE_PADDING_PAST_THE_TAIL(ChannelKind.ONE_TO_ONE),
        ONE_TO_ONE_LENGTH_BEYOND_THE_BUFFER(ChannelKind.ONE_TO_ONE),
        ONE_TO_ONE_TAIL_FOUR_CAPACITIES_AHEAD(ChannelKind.ONE_TO_ONE),
        MANY_TO_ONE_UNCOMMITTED_MIN_VALUE(ChannelKind.MANY_TO_ONE),
        MANY_TO_ONE_HEAD_BEYOND_THE_TAIL(ChannelKind.MANY_TO_ONE),
        MANY_TO_ONE_NEGATIVE_TAIL(ChannelKind.MANY_TO_ONE),
        BROADCAST_COUNTERS_NEAR_LONG_MAX(ChannelKind.BROADCAST);

        final ChannelKind kind;

        Attack(final ChannelKind kind)
        {
            this.kind = kind;
        }
    }

    private final String name = FaultSupport.uniqueName("corrupt-channel");
    private final RegionLocation location = RegionLocation.shm(name);

    @AfterEach
    void deleteRegion()
    {
        FaultSupport.deleteQuietly(location);
    }

    @ParameterizedTest
    @EnumSource(Attack.class)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void bothEndpointsFailWithTheTypedErrorAndNothingMoreIsAccepted(final Attack attack) throws IOException
    {
        Region.create(RegionConfig.builder(location).channel(CHANNEL, attack.kind, CAPACITY).build()).close();
        try (ChildProcess subscriber = ChildJvms.start(ChannelUserMain.class, name, CHANNEL, "subscribe");
            ChildProcess publisher = ChildJvms.start(ChannelUserMain.class, name, CHANNEL, "publish"))
        {
            subscriber.awaitLineStartingWith("SUBSCRIBED", START_TIMEOUT);
            publisher.awaitLineStartingWith("RUNNING", START_TIMEOUT);
            attack(attack, location.path());
            subscriber.send("START");
            // A live writer may overwrite the damage before it reads it back (the transmitter stores its counters
            // on every message): write it again until an endpoint has met it.
            final long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (!reported(publisher) && !reported(subscriber) && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(REATTACK_NS);
                attack(attack, location.path());
            }
            for (final ChildProcess endpoint : List.of(publisher, subscriber))
            {
                final String caught = endpoint.awaitLine(line -> line.startsWith("CAUGHT ") ||
                    line.startsWith("NOTHING") || line.startsWith("UNEXPECTED"), STEP_TIMEOUT);
                assertTrue(caught.matches("CAUGHT field=channel\\[c]\\.(positions|record|failure) .*"),
                    attack + ": " + endpoint.output());
                final String after = endpoint.awaitLineStartingWith("AFTER ", STEP_TIMEOUT);
                assertEquals("AFTER thrown=100 ok=0", after, attack + ": " + endpoint.output());
                assertEquals(0, endpoint.awaitExit(STEP_TIMEOUT), endpoint.output());
                System.out.println(attack + ": " + caught);
            }
        }
    }

    private static boolean reported(final ChildProcess endpoint)
    {
        return endpoint.lines().stream().anyMatch(line -> line.startsWith("CAUGHT ") || line.startsWith("NOTHING") ||
            line.startsWith("UNEXPECTED"));
    }

    private static void attack(final Attack attack, final Path file) throws IOException
    {
        final RegionDump.DirectoryEntry entry = RegionDump.readDirectory(file).get(0);
        final long buffer = entry.bufferOffset();
        final long trailer = buffer + entry.capacity();
        final long head = RegionDump.readLong(file, trailer + RingBufferDescriptor.HEAD_POSITION_OFFSET);
        final long tail = RegionDump.readLong(file, trailer + RingBufferDescriptor.TAIL_POSITION_OFFSET);
        final long headRecord = buffer + (head & (CAPACITY - 1));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            switch (attack)
            {
                case ONE_TO_ONE_PADDING_PAST_THE_TAIL -> writeRecord(channel, headRecord, 3 * CAPACITY, PADDING);
                case ONE_TO_ONE_LENGTH_BEYOND_THE_BUFFER -> writeRecord(channel, headRecord, 0x7FFFFFF0, MESSAGE);
                case ONE_TO_ONE_TAIL_FOUR_CAPACITIES_AHEAD ->
                    writeLong(channel, trailer + RingBufferDescriptor.TAIL_POSITION_OFFSET, head + 4L * CAPACITY);
                case MANY_TO_ONE_UNCOMMITTED_MIN_VALUE -> writeRecord(channel, headRecord, Integer.MIN_VALUE, MESSAGE);
                case MANY_TO_ONE_HEAD_BEYOND_THE_TAIL ->
                    writeLong(channel, trailer + RingBufferDescriptor.HEAD_POSITION_OFFSET, tail + 1024);
                case MANY_TO_ONE_NEGATIVE_TAIL ->
                    writeLong(channel, trailer + RingBufferDescriptor.TAIL_POSITION_OFFSET, -64);
                case BROADCAST_COUNTERS_NEAR_LONG_MAX ->
                {
                    final long near = Long.MAX_VALUE - 7;
                    writeLong(channel, trailer + BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET, near);
                    writeLong(channel, trailer + BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET, near);
                    writeLong(channel, trailer + BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET, near);
                }
                default -> fail("unknown attack " + attack);
            }
        }
    }

    private static void writeRecord(final FileChannel channel, final long offset, final int length, final int type)
        throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, length).putInt(4, type);
        channel.write(header, offset);
    }

    private static void writeLong(final FileChannel channel, final long offset, final long value) throws IOException
    {
        channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
    }
}
