package io.shmipc.tests.faults;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.tests.support.ChildJvms;
import io.shmipc.tests.support.RegionDump;
import io.shmipc.toolkit.ChildProcess;
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
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Random damage to a live channel, written by this process while a publisher and a subscriber of it run in two other
 * JVMs, for every kind: random values over the positions in the buffer's trailer and over record headers. Whatever
 * is written, each endpoint either meets {@code CorruptRegionException} and from then on every operation throws it
 * (nothing more accepted or delivered), or, when the damage was harmless or a live writer overwrote it before anyone
 * read it, keeps working until its deadline. Never another exception, a JVM crash or a hang. The seed is printed;
 * {@code -Dshmipc.fuzz.seed=N} runs the same damage again.
 */
class RandomCorruptionTest
{
    private static final String CHANNEL = "c";
    private static final int CAPACITY = 64 * 1024;
    private static final int ROUNDS = 3;
    /** How long an endpoint waits for damage before it says NOTHING (exit status 3): past the attack's end. */
    private static final String ENDPOINT_SECONDS = "20";
    /**
     * How long damage is written when no endpoint finds it. A round ends at the first find, which on
     * {@code ONE_TO_ONE} (only its head and tail are ever read back, 2 of the trailer's 96 words) takes about a hundred
     * writes and now and then near a thousand (seed 58136530662715: 900); 15 s is about 3,000.
     */
    private static final long ATTACK_NS = TimeUnit.SECONDS.toNanos(15);
    private static final long REATTACK_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

    private final String name = FaultSupport.uniqueName("random-corruption");
    private final RegionLocation location = RegionLocation.shm(name);

    @AfterEach
    void deleteRegion()
    {
        FaultSupport.deleteQuietly(location);
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void randomDamageEndsInTheTypedErrorOrNothingNeverACrashOrAHang(final ChannelKind kind) throws IOException
    {
        final long seed = Long.getLong("shmipc.fuzz.seed", System.nanoTime());
        System.out.println("random corruption of " + kind + ": seed=" + seed + " (rerun with -Dshmipc.fuzz.seed=" +
            seed + ")");
        final SplittableRandom random = new SplittableRandom(seed ^ kind.ordinal());
        for (int round = 0; round < ROUNDS; round++)
        {
            Region.create(RegionConfig.builder(location).channel(CHANNEL, kind, CAPACITY).build()).close();
            try (ChildProcess subscriber = ChildJvms.start(ChannelUserMain.class, name, CHANNEL, "subscribe",
                ENDPOINT_SECONDS);
                ChildProcess publisher = ChildJvms.start(ChannelUserMain.class, name, CHANNEL, "publish",
                    ENDPOINT_SECONDS))
            {
                subscriber.awaitLineStartingWith("SUBSCRIBED", START_TIMEOUT);
                subscriber.send("START");
                publisher.awaitLineStartingWith("RUNNING", START_TIMEOUT);
                final long deadline = System.nanoTime() + ATTACK_NS;
                int writes = 0;
                while (!reported(publisher) && !reported(subscriber) && System.nanoTime() - deadline < 0)
                {
                    damage(kind, location.path(), random);
                    writes++;
                    LockSupport.parkNanos(REATTACK_NS);
                }
                int caught = 0;
                for (final ChildProcess endpoint : List.of(publisher, subscriber))
                {
                    final int exit = endpoint.awaitExit(EXIT_TIMEOUT);
                    final String context = kind + " seed=" + seed + " round " + round + " after " + writes +
                        " writes: " + endpoint.output();
                    if (exit == 0)
                    {
                        caught++;
                        assertTrue(endpoint.lines().stream().anyMatch(line ->
                            line.matches("CAUGHT field=channel\\[c]\\..*")), context);
                        assertTrue(endpoint.lines().contains("AFTER thrown=100 ok=0"), context);
                    }
                    else
                    {
                        assertEquals(3, exit, "neither the typed error nor nothing: " + context);
                        assertTrue(endpoint.lines().stream().anyMatch(line -> line.startsWith("NOTHING")), context);
                    }
                }
                System.out.println(kind + " round " + round + ": " + writes + " writes; publisher " +
                    summary(publisher) + ", subscriber " + summary(subscriber));
                // Damage written for seconds to positions and record headers in use is found (it takes tens to
                // hundreds of writes): an endpoint that never finds any would pass every round by saying NOTHING.
                assertTrue(caught > 0, kind + " seed=" + seed + " round " + round + ": " + writes +
                    " writes found by neither endpoint");
            }
            FaultSupport.deleteQuietly(location);
        }
    }

    private static boolean reported(final ChildProcess endpoint)
    {
        return endpoint.lines().stream().anyMatch(line -> line.startsWith("CAUGHT ") || line.startsWith("NOTHING") ||
            line.startsWith("UNEXPECTED"));
    }

    private static String summary(final ChildProcess endpoint)
    {
        return endpoint.lines().stream().filter(line -> line.startsWith("CAUGHT") || line.startsWith("NOTHING"))
            .findFirst().orElse("?");
    }

    /**
     * One random write: a long over one of the trailer's positions, or a header word over a record boundary.
     */
    private static void damage(final ChannelKind kind, final Path file, final SplittableRandom random)
        throws IOException
    {
        final RegionDump.DirectoryEntry entry = RegionDump.readDirectory(file).get(0);
        final long buffer = entry.bufferOffset();
        final int trailerLength = ChannelDescriptor.bufferLength(kind, CAPACITY) - CAPACITY;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (random.nextBoolean())
            {
                final long at = buffer + CAPACITY + 8L * random.nextInt(trailerLength / 8);
                bytes.putLong(0, value(random, RegionDump.readLong(file, at)));
                channel.write(bytes, at);
            }
            else
            {
                final long at = buffer + 16L * random.nextInt(CAPACITY / 16);
                bytes.putInt(0, (int)value(random, 0)).putInt(4, random.nextInt(-4, 5));
                channel.write(bytes, at);
            }
        }
    }

    /**
     * A value that cannot be right more often than a uniform one would be: near the current one by whole
     * capacities or a few bytes, negative, huge, or anything.
     */
    private static long value(final SplittableRandom random, final long current)
    {
        return switch (random.nextInt(5))
        {
            case 0 -> current + (long)random.nextInt(-4, 5) * CAPACITY;
            case 1 -> current + random.nextInt(-64, 65);
            case 2 -> -random.nextInt(1, 1 << 20);
            case 3 -> Long.MAX_VALUE - random.nextInt(1024);
            default -> random.nextLong();
        };
    }
}
