package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionConfig;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.Summary;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The directory of a live region is damaged field by field under a process that uses it: listing, opening, adding
 * and attaching fail with typed exceptions, never anything else, never a hang (each answer is awaited with a
 * deadline) nor a crash; once the field is put back everything works again, and the channel the process already
 * subscribed to delivers every message throughout.
 */
class CorruptDirectoryTest extends RuntimeTestBase
{
    CorruptDirectoryTest()
    {
        super("shmipc-corrupt-dir");
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MESSAGES_PER_CASE = 1000;
    private static final Set<String> TYPED = Set.of("ok", "CorruptRegionException", "UnknownChannelKindException",
        "NoSuchChannelException");

    private int looks;

    /**
     * One damaged field of the entry of the channel {@code victim}.
     */
    private record Damage(String field, int offset, int width, long value)
    {
    }

    private static List<Damage> damages(final long regionLength, final long steadyOffset)
    {
        final List<Damage> damages = new ArrayList<>();
        damages.add(new Damage("entryState", ENTRY_STATE_OFFSET, Integer.BYTES, 7));
        damages.add(new Damage("kind", KIND_OFFSET, Integer.BYTES, 99));
        damages.add(new Damage("nameLength", NAME_LENGTH_OFFSET, Integer.BYTES, 500));
        damages.add(new Damage("nameLength", NAME_LENGTH_OFFSET, Integer.BYTES, -1));
        damages.add(new Damage("channelOffset", CHANNEL_OFFSET_OFFSET, Long.BYTES, regionLength + 4096));
        damages.add(new Damage("channelOffset", CHANNEL_OFFSET_OFFSET, Long.BYTES, steadyOffset));
        damages.add(new Damage("channelLength", CHANNEL_LENGTH_OFFSET, Long.BYTES, 1L << 40));
        damages.add(new Damage("bufferOffset", BUFFER_OFFSET_OFFSET, Long.BYTES, -64));
        damages.add(new Damage("bufferLength", BUFFER_LENGTH_OFFSET, Integer.BYTES, Integer.MAX_VALUE));
        damages.add(new Damage("capacity", CAPACITY_OFFSET, Integer.BYTES, 1000));
        damages.add(new Damage("maxMessageLength", MAX_MESSAGE_LENGTH_OFFSET, Integer.BYTES, -8));
        damages.add(new Damage("endpointSlots", ENDPOINT_SLOTS_OFFSET, Integer.BYTES, 1 << 20));
        damages.add(new Damage("endpointTableOffset", ENDPOINT_TABLE_OFFSET_OFFSET, Long.BYTES, regionLength));
        damages.add(new Damage("controlOffset", CONTROL_OFFSET_OFFSET, Long.BYTES, 3));
        return damages;
    }

    @Test
    @Timeout(300)
    void damagedEntriesOfALiveRegionGiveTypedErrorsAndTrafficGoesOn() throws IOException
    {
        try (Region region = Region.create(RegionConfig.builder(location)
                .channel("steady", ChannelKind.ONE_TO_ONE, 1 << 16)
                .channel("victim", ChannelKind.MANY_TO_ONE, 1 << 14)
                .channel("other", ChannelKind.BROADCAST, 1 << 14)
                .maxChannels(4)
                .dataAreaLength(RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, 1 << 16) +
                    3 * RegionDirectory.channelAreaLength(ChannelKind.BROADCAST, 1 << 14))
                .build());
            Publisher steady = region.publisher("steady");
            FileChannel file = FileChannel.open(location.path(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ChildProcess looker = startLooker();
            assertLooked(looker, "victim", "ok", "ok", "ok", "ok");

            final int victim = entryIndex(file, "victim");
            final long steadyOffset = readLong(file, entryOffset(entryIndex(file, "steady")) + CHANNEL_OFFSET_OFFSET);
            long sent = 0;
            for (final Damage damage : damages(region.length(), steadyOffset))
            {
                final long at = entryOffset(victim) + damage.offset();
                final long original = damage.width() == Long.BYTES ? readLong(file, at) : readInt(file, at);
                write(file, at, damage.width(), damage.value());

                final List<String> lines = look(looker, "victim");
                final Summary looked = Summary.parse(lines.get(lines.size() - 1));
                System.out.println(damage + ": " + looked.line());
                for (final String operation : List.of("list", "open", "add", "attach"))
                {
                    assertTrue(TYPED.contains(looked.text(operation)), damage + ": " + operation + " failed with " +
                        "an untyped exception: " + lines);
                }
                for (final String operation : List.of("list", "open", "add", "attach"))
                {
                    assertNotEquals("ok", looked.text(operation), damage + ": " + operation + " did not see the " +
                        "damage: " + looked.line());
                }
                for (final String line : lines.subList(0, lines.size() - 1))
                {
                    assertTrue(!line.contains("CorruptRegionException") || line.contains("directory[" + victim + "]"),
                        damage + ": the failure names the entry: " + line);
                }

                write(file, at, damage.width(), original);
                assertLooked(looker, "victim", "ok", "ok", "ok", "ok");

                sent = sendAndDrain(steady, looker, sent);
            }
            looker.send("EXIT");
            looker.awaitSuccess(WAIT);
        }
    }

    /**
     * The status of the entry of a channel that both processes use, damaged to FREE or INITIALISING: an addition
     * must not give that entry or its space to a new channel (whose endpoints would then share the live channel's
     * memory, and whose zeroing would wipe it), but fail with a typed error naming the entry's status; once the status
     * is put back, the channel delivers every message, none lost.
     */
    @Test
    @Timeout(120)
    void anEntryInUseDamagedToFreeIsNeverGivenToANewChannel() throws IOException
    {
        try (Region region = Region.create(RegionConfig.builder(location)
                .channel("steady", ChannelKind.ONE_TO_ONE, 1 << 16)
                .maxChannels(4)
                .dataAreaLength(2 * RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, 1 << 16))
                .build());
            Publisher steady = region.publisher("steady");
            FileChannel file = FileChannel.open(location.path(), StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ChildProcess looker = startLooker();
            final int index = entryIndex(file, "steady");
            final long at = entryOffset(index) + ENTRY_STATE_OFFSET;
            final int original = readInt(file, at);
            long sent = 0;
            for (final int damaged : new int[] {ENTRY_FREE, ENTRY_INITIALISING})
            {
                write(file, at, Integer.BYTES, damaged);
                final List<String> lines = look(looker, "steady");
                final Summary looked = Summary.parse(lines.get(lines.size() - 1));
                System.out.println("state " + damaged + ": " + String.join(" / ", lines));
                assertEquals("CorruptRegionException", looked.text("add"), String.join("\n", lines));
                assertTrue(lines.stream().anyMatch(line -> line.startsWith("FAILURE add ") &&
                    line.contains("directory[" + index + "].status")), String.join("\n", lines));
                write(file, at, Integer.BYTES, original);
                // Back: a second subscriber is refused as one of a live channel, not as one of a missing channel.
                assertLooked(looker, "steady", "ok", "ChannelInUseException", "ok", "ok");
                sent = sendAndDrain(steady, looker, sent);
            }
            looker.send("EXIT");
            looker.awaitSuccess(WAIT);
        }
    }

    /**
     * Start the child that looks at the region and subscribes to its channel "steady", once it is ready.
     */
    private ChildProcess startLooker()
    {
        final ChildProcess looker = children.start(DirectoryLookerMain.class,
            "region=" + ChildArguments.format(location));
        looker.awaitLineStartingWith("READY", WAIT);
        return looker;
    }

    /**
     * Send the next {@link #MESSAGES_PER_CASE} numbers on the steady channel and check that the looker drains them
     * all, in order.
     *
     * @return the next number.
     */
    private static long sendAndDrain(final Publisher steady, final ChildProcess looker, final long from)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        long sent = from;
        for (int i = 0; i < MESSAGES_PER_CASE; i++)
        {
            message.putLong(0, sent);
            while (steady.offer(message, 0, Long.BYTES) != Publisher.OK)
            {
                Thread.onSpinWait();
            }
            sent++;
        }
        looker.send("DRAIN " + MESSAGES_PER_CASE);
        Summary.parse(looker.awaitLineStartingWith("DRAINED received=" + sent + " ", WAIT))
            .assertValue("outOfOrder", 0);
        return sent;
    }

    /**
     * Ask for a look and return what the child printed for it, its {@code LOOKED} line last.
     */
    private List<String> look(final ChildProcess looker, final String channel)
    {
        final int before = looker.lines().size();
        final int want = ++looks;
        final int[] seen = {0};
        looker.send("LOOK " + channel);
        looker.awaitLine(line -> line.startsWith("LOOKED ") && ++seen[0] == want, WAIT);
        final List<String> lines = looker.lines();
        int end = before;
        while (!lines.get(end).startsWith("LOOKED "))
        {
            end++;
        }
        return lines.subList(before, end + 1);
    }

    private void assertLooked(final ChildProcess looker, final String channel, final String... outcomes)
    {
        final List<String> lines = look(looker, channel);
        final Summary looked = Summary.parse(lines.get(lines.size() - 1));
        final String[] operations = {"list", "open", "add", "attach"};
        for (int i = 0; i < operations.length; i++)
        {
            assertEquals(outcomes[i], looked.text(operations[i]), String.join("\n", lines));
        }
    }

    private static int entryIndex(final FileChannel file, final String name) throws IOException
    {
        for (int index = 0; index < DirectoryDescriptor.MAX_CHANNELS; index++)
        {
            final long at = entryOffset(index);
            final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            final ByteBuffer read = ByteBuffer.allocate(bytes.length);
            file.read(read, at + NAME_OFFSET);
            if (readInt(file, at + NAME_LENGTH_OFFSET) == bytes.length && ByteBuffer.wrap(bytes).equals(read.flip()))
            {
                return index;
            }
        }
        throw new AssertionError("no entry named " + name);
    }

    private static long readLong(final FileChannel file, final long at) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        file.read(buffer, at);
        return buffer.getLong(0);
    }

    private static int readInt(final FileChannel file, final long at) throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        file.read(buffer, at);
        return buffer.getInt(0);
    }

    private static void write(final FileChannel file, final long at, final int width, final long value)
        throws IOException
    {
        final ByteBuffer buffer = ByteBuffer.allocate(width).order(ByteOrder.LITTLE_ENDIAN);
        if (width == Long.BYTES)
        {
            buffer.putLong(0, value);
        }
        else
        {
            buffer.putInt(0, (int)value);
        }
        file.write(buffer, at);
    }
}
