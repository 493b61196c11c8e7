package io.shmipc.tests.anonymous;

import io.shmipc.AnonymousRegionSummary;
import io.shmipc.Regions;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import static io.shmipc.tests.anonymous.Holders.START_TIMEOUT;
import static io.shmipc.tests.anonymous.Holders.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * An anonymous region lives exactly as long as some process holds it, however its holders die: a 256 MiB region is
 * created by one JVM and handed to two more; after {@code SIGKILL} of the creator the other two still exchange
 * messages through it and the memory stays taken; once the last holder is killed the shared memory the kernel
 * counts ({@code Shmem} in {@code /proc/meminfo}) is back to its level before the test, within a tolerance for
 * whatever else the machine does meanwhile, and no process is left hanging.
 */
class AnonymousLifetimeTest
{
    private static final int CAPACITY = 256 << 20;
    private static final long REGION_KB = CAPACITY / 1024;
    private static final long TOLERANCE_KB = 64 * 1024;

    private final ChildProcesses children = new ChildProcesses();

    @AfterEach
    void tearDown()
    {
        children.close();
    }

    @ParameterizedTest
    @ValueSource(strings = { "creator first", "creator last" })
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theMemoryGoesWithTheLastHolderWhateverTheOrderOfDeaths(final String order)
    {
        final long before = shmemKb();
        final Holders holders = new Holders(children, Holders.uniqueLabel("lifetime"));
        final ChildProcess parent = holders.createParent(CAPACITY);
        final ChildProcess sender = holders.attachChild(parent, "sender");
        final ChildProcess receiver = holders.attachChild(parent, "receiver");
        awaitShmem("the region's pages are taken", kb -> kb >= before + REGION_KB * 3 / 4, before);
        exchange(sender, receiver, "while-all-live");
        assertEquals(Set.of(parent.pid(), sender.pid(), receiver.pid()), holders(holders.label()),
            "the tools see every holder");

        final boolean creatorFirst = order.equals("creator first");
        final List<ChildProcess> deaths = creatorFirst ? List.of(parent, sender, receiver) :
            List.of(sender, receiver, parent);
        deaths.get(0).kill();
        if (creatorFirst)
        {
            exchange(sender, receiver, "after-the-creator-died");
        }
        else
        {
            deaths.get(1).kill();
            parent.send("SEND alone");
            parent.awaitLineStartingWith("parent SENT", STEP_TIMEOUT);
            parent.send("RECEIVE");
            assertEquals("parent GOT alone", parent.awaitLine(line -> line.startsWith("parent GOT ") ||
                line.startsWith("parent NOTHING"), STEP_TIMEOUT));
        }
        assertEquals(creatorFirst ? Set.of(sender.pid(), receiver.pid()) : Set.of(parent.pid()),
            holders(holders.label()), "the tools see the holders left");
        final long remaining = shmemKb();
        assertTrue(remaining >= before + REGION_KB * 3 / 4, "still held: before=" + before + " kB now=" +
            remaining + " kB");
        for (final ChildProcess holder : deaths)
        {
            holder.kill();
            holder.waitFor(STEP_TIMEOUT);
            assertFalse(holder.isAlive());
        }
        awaitShmem("the region is freed with its last holder", kb -> kb <= before + TOLERANCE_KB, before);
        assertEquals(Set.of(), holders(holders.label()));
    }

    private static Set<Long> holders(final String label)
    {
        final Set<Long> pids = new HashSet<>();
        for (final AnonymousRegionSummary region : Regions.listAnonymous())
        {
            if (region.label().equals(label))
            {
                region.holders().forEach(holder -> pids.add(holder.pid()));
            }
        }
        return pids;
    }

    private static void exchange(final ChildProcess sender, final ChildProcess receiver, final String text)
    {
        sender.send("SEND " + text);
        sender.awaitLineStartingWith("sender SENT", STEP_TIMEOUT);
        receiver.send("RECEIVE");
        assertEquals("receiver GOT " + text, receiver.awaitLine(line -> line.startsWith("receiver GOT ") &&
            line.endsWith(text) || line.startsWith("receiver NOTHING"), START_TIMEOUT));
    }

    /**
     * Wait, with a bounded deadline, until {@code Shmem} in {@code /proc/meminfo} satisfies {@code condition}.
     */
    private static void awaitShmem(final String what, final LongPredicate condition, final long before)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long kb;
        while (!condition.test(kb = shmemKb()))
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail(what + ": Shmem before the test " + before + " kB, now " + kb + " kB");
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static long shmemKb()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo")))
            {
                if (line.startsWith("Shmem:"))
                {
                    return Long.parseLong(line.substring("Shmem:".length()).trim().split("\\s+")[0]);
                }
            }
            throw new AssertionError("no Shmem line in /proc/meminfo");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
