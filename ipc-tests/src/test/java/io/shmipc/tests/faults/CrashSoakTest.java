package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildJvms;
import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Crash soak: four producer processes and one consumer process on a MANY_TO_ONE ring, while a driver kills
 * random ones with {@code kill -9} and restarts them. Every producer incarnation numbers its messages from 0;
 * every consumer incarnation logs what it was delivered to its own file. At the end, for every producer
 * incarnation, the sequence numbers delivered must run without a gap from 0 to at least the last one it
 * reported committed, every message must be intact, and the only repeats allowed are the at-least-once
 * redelivery of a killed consumer's unfinished batch: within the first batch of the next consumer, at most one
 * batch per consumer restart.
 * <p>
 * The driver kills only after the victim printed progress (a committed or consumed count), never after a fixed
 * time; every fourth kill is the consumer's. Seed and duration: {@code -Dshmipc.soak.seed},
 * {@code -Dshmipc.soak.seconds} (default 25, and at least {@link #MIN_ROUNDS} kills).
 */
class CrashSoakTest
{
    private static final String CHANNEL = "c";
    private static final int PRODUCERS = 4;
    private static final int BATCH_LIMIT = 16;
    private static final long CHAOS_SECONDS = Long.getLong("shmipc.soak.seconds", 25);
    /** However slow the machine, the chaos lasts at least this many kills: 6 of producers, 2 of the consumer. */
    private static final int MIN_ROUNDS = 8;

    private final String name = FaultSupport.uniqueName("soak");
    private final RegionLocation location = RegionLocation.shm(name);
    private final List<ChildProcess> producerRuns = new ArrayList<>();
    private final List<ChildProcess> consumerRuns = new ArrayList<>();
    private final List<Path> consumerLogs = new ArrayList<>();
    private final ChildProcess[] producers = new ChildProcess[PRODUCERS];
    private final int[] incarnations = new int[PRODUCERS];
    private ChildProcess consumer;
    private int producerKills;
    private int consumerKills;

    @TempDir
    Path directory;

    @AfterEach
    void stopEverything()
    {
        producerRuns.forEach(ChildProcess::close);
        consumerRuns.forEach(ChildProcess::close);
        FaultSupport.deleteQuietly(location);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void killedProducersAndConsumersLoseNothingCommittedAndRepeatAtMostOneBatch() throws IOException
    {
        final long seed = Long.getLong("shmipc.soak.seed", ThreadLocalRandom.current().nextLong());
        System.out.println("crash soak seed=" + seed + " (rerun with -Dshmipc.soak.seed=" + seed + ")");
        final Random random = new Random(seed);
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel(CHANNEL, ChannelKind.MANY_TO_ONE, 64 * 1024).build()))
        {
            startConsumer();
            for (int producer = 0; producer < PRODUCERS; producer++)
            {
                startProducer(producer);
            }
            consumer.awaitLineStartingWith("SUBSCRIBED", START_TIMEOUT);

            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHAOS_SECONDS);
            for (int round = 0; System.nanoTime() - deadline < 0 || round < MIN_ROUNDS; round++)
            {
                final boolean early = random.nextInt(6) == 0;
                if (round % 4 == 3)
                {
                    awaitProgress(consumer, early ? "SUBSCRIBED" : "CONSUMED ", early ? 0 : 1 + random.nextInt(2));
                    consumer.kill();
                    consumerKills++;
                    startConsumer();
                }
                else
                {
                    final int victim = random.nextInt(PRODUCERS);
                    awaitProgress(producers[victim], early ? "STARTED " : "COMMITTED ",
                        early ? 0 : 1 + random.nextInt(3));
                    producers[victim].kill();
                    producerKills++;
                    startProducer(victim);
                }
            }

            final Map<Long, Long> lastCommitted = finish();
            verify(lastCommitted, seed);
            assertFalse(region.isClosed());
        }
    }

    private Map<Long, Long> finish()
    {
        for (final ChildProcess producer : producers)
        {
            producer.send("STOP");
        }
        for (final ChildProcess producer : producers)
        {
            producer.awaitLineStartingWith("DONE ", STEP_TIMEOUT);
            producer.awaitSuccess(STEP_TIMEOUT);
        }
        final Map<Long, Long> lastCommitted = lastCommittedByIncarnation();
        for (int producer = 0; producer < PRODUCERS; producer++)
        {
            final long last = lastCommitted.getOrDefault(key(producer, incarnations[producer]), -1L);
            if (last >= 0)
            {
                consumer.send("EXPECT " + producer + " " + incarnations[producer] + " " + last);
            }
        }
        consumer.send("CHECK");
        consumer.awaitLineStartingWith("DRAINED", STEP_TIMEOUT);
        consumer.send("EXIT");
        consumer.awaitSuccess(STEP_TIMEOUT);
        return lastCommitted;
    }

    private void verify(final Map<Long, Long> lastCommitted, final long seed) throws IOException
    {
        final String context = "seed=" + seed + " producerKills=" + producerKills + " consumerKills=" +
            consumerKills;
        final Map<Long, Long> highest = new HashMap<>();
        long delivered = 0;
        long duplicates = 0;
        for (int run = 0; run < consumerLogs.size(); run++)
        {
            final ByteBuffer log = ByteBuffer.wrap(Files.readAllBytes(consumerLogs.get(run)))
                .order(ByteOrder.LITTLE_ENDIAN);
            for (int index = 0; log.remaining() >= SoakMessages.LOG_RECORD_LENGTH; index++)
            {
                final int producer = log.getInt();
                final int incarnation = log.getInt();
                final long sequence = log.getLong();
                final String where = "consumer run " + run + " record " + index + ": producer " + producer +
                    " incarnation " + incarnation + " sequence " + sequence + "; " + context;
                assertNotEquals(SoakMessages.CORRUPT_PRODUCER, producer, "corrupt message, " + where);
                final long expected = highest.getOrDefault(key(producer, incarnation), -1L) + 1;
                if (sequence == expected)
                {
                    highest.put(key(producer, incarnation), sequence);
                    delivered++;
                }
                else
                {
                    assertTrue(sequence < expected, "gap: expected " + expected + ", " + where);
                    assertTrue(run > 0 && index < BATCH_LIMIT, "a repeat outside the first batch of a restarted " +
                        "consumer, " + where);
                    duplicates++;
                }
            }
        }
        for (final Map.Entry<Long, Long> committed : lastCommitted.entrySet())
        {
            final long received = highest.getOrDefault(committed.getKey(), -1L);
            assertTrue(received >= committed.getValue(), "producer " + (committed.getKey() >> 32) + " incarnation " +
                (int)(long)committed.getKey() + " committed up to " + committed.getValue() + " but only " + received +
                " arrived; " + context);
        }
        assertTrue(duplicates <= (long)BATCH_LIMIT * consumerKills, "duplicates " + duplicates + "; " + context);
        final long unblocked = consumerRuns.stream().mapToLong(CrashSoakTest::lastUnblocked).sum();
        assertTrue(unblocked <= producerKills, "unblocked " + unblocked + " records, more than the producers " +
            "killed; " + context);
        assertTrue(unblocked > 0, "producers hold a claim most of the time, yet no kill left one: " + context);
        assertTrue(producerKills >= 6 && consumerKills >= 2, "too little chaos: " + context);
        assertTrue(lastCommitted.size() >= PRODUCERS, "committed reports: " + lastCommitted);
        System.out.println("crash soak: " + context + " incarnations=" + (producerRuns.size()) + " delivered=" +
            delivered + " duplicates=" + duplicates + " unblocked=" + unblocked);
    }

    /**
     * For every producer incarnation, the highest sequence it reported committed (in COMMITTED or DONE lines).
     */
    private Map<Long, Long> lastCommittedByIncarnation()
    {
        final Map<Long, Long> last = new HashMap<>();
        for (final ChildProcess run : producerRuns)
        {
            for (final String line : run.lines())
            {
                if (line.startsWith("COMMITTED ") || line.startsWith("DONE "))
                {
                    final String[] words = line.split(" ");
                    last.merge(key(Integer.parseInt(words[1]), Integer.parseInt(words[2])), Long.parseLong(words[3]),
                        Math::max);
                }
            }
        }
        return last;
    }

    private static long lastUnblocked(final ChildProcess run)
    {
        long unblocked = 0;
        for (final String line : run.lines())
        {
            if (line.startsWith("UNBLOCKED "))
            {
                unblocked = Long.parseLong(line.substring("UNBLOCKED ".length()));
            }
        }
        return unblocked;
    }

    /**
     * Wait until the process printed {@code count} more lines starting with {@code prefix} than it had, or, for a
     * count of 0, until it printed one at all.
     */
    private static void awaitProgress(final ChildProcess process, final String prefix, final int count)
    {
        final long before = count == 0 ? 0 : countLines(process, prefix);
        final long target = Math.max(1, before + count);
        process.awaitLine(line -> line.startsWith(prefix) && countLines(process, prefix) >= target,
            Duration.ofSeconds(30));
    }

    private static long countLines(final ChildProcess process, final String prefix)
    {
        return process.lines().stream().filter(line -> line.startsWith(prefix)).count();
    }

    private void startProducer(final int producer)
    {
        final int incarnation = ++incarnations[producer];
        producers[producer] = ChildJvms.start(SoakProducerMain.class, name, CHANNEL, Integer.toString(producer),
            Integer.toString(incarnation));
        producerRuns.add(producers[producer]);
    }

    private void startConsumer()
    {
        final Path log = directory.resolve("consumer-" + consumerLogs.size() + ".log");
        consumerLogs.add(log);
        consumer = ChildJvms.start(SoakConsumerMain.class, name, CHANNEL, log.toString(),
            Integer.toString(BATCH_LIMIT));
        consumerRuns.add(consumer);
    }

    private static long key(final int producer, final int incarnation)
    {
        return ((long)producer << 32) | incarnation;
    }
}
