package io.shmipc;

import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.posix.MemoryFiles;
import io.shmipc.posix.Posix;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An anonymous region in one process: every channel kind carries messages, blocking waits are woken, counters and
 * inspection work, its size is sealed, and it has no name. Unit tests keep the test JVM dumpable (the default would
 * make it undumpable for its remaining tests); what happens across processes is tested in ipc-tests.
 */
@Timeout(30)
class AnonymousRegionTest
{
    private final List<Region> regions = new ArrayList<>();

    @AfterEach
    void close()
    {
        regions.forEach(Region::close);
    }

    private Region create(final ChannelKind kind)
    {
        final Region region = Region.create(RegionConfig.builder(RegionLocation.anonymous("unit-" + kind))
            .channel("c", kind, 64 * 1024).keepProcessDumpable(true).build());
        regions.add(region);
        return region;
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void everyKindCarriesMessagesAndWakesABlockedSubscriber(final ChannelKind kind) throws Exception
    {
        final Region region = create(kind);
        assertTrue(region.wasCreated());
        assertEquals("anon:unit-" + kind, region.location().toString());
        final Subscriber subscriber = region.subscriber("c");
        final Publisher publisher = region.publisher("c");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        final AtomicLong sum = new AtomicLong();
        for (long i = 1; i <= 1000; i++)
        {
            message.putLong(0, i);
            assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES));
            subscriber.poll((buffer, offset, length) -> sum.addAndGet(buffer.getLong(offset)), 10);
        }
        while (subscriber.poll((buffer, offset, length) -> sum.addAndGet(buffer.getLong(offset)), 100) > 0)
        {
            assertTrue(sum.get() <= 500_500L);
        }
        assertEquals(500_500L, sum.get());

        final Thread late = new Thread(() ->
        {
            message.putLong(0, 7);
            publisher.offer(message, 0, Long.BYTES);
        });
        final long[] woken = new long[1];
        late.start();
        assertEquals(1, subscriber.poll((buffer, offset, length) -> woken[0] = buffer.getLong(offset), 1,
            Duration.ofSeconds(10)));
        late.join();
        assertEquals(7, woken[0]);

        if (kind.hasSinglePublisher())
        {
            assertThrows(ChannelInUseException.class, () -> region.publisher("c"), "role locks work too");
        }
        try (RegionInspector inspector = RegionInspector.of(region))
        {
            assertEquals(1, inspector.channels().get(0).alive("publisher"));
            assertEquals(1, inspector.channels().get(0).alive("subscriber"));
            assertEquals(RegionLiveness.LIVE, inspector.liveness());
            publisher.close();
            assertEquals(1001, inspector.channels().get(0).counts().publishedMessages());
            assertEquals(0, inspector.channels().get(0).alive("publisher"));
        }
    }

    @Test
    void itsSizeIsSealedAndItHasNoName() throws IOException
    {
        final Region region = create(ChannelKind.MANY_TO_ONE);
        final int fd = region.mapped().descriptor();
        assertEquals(MemoryFiles.REGION_SEALS, MemoryFiles.seals(fd, "test"));
        assertTrue(region.mapped().isSizeSealed());
        assertThrows(RegionPermissionException.class, () -> Posix.ftruncate(fd, 4096, "test"), "shrink");
        assertThrows(RegionPermissionException.class, () -> Posix.ftruncate(fd, region.length() * 2, "test"),
            "grow");
        try (RandomAccessFile file = new RandomAccessFile("/proc/self/fd/" + fd, "rw"))
        {
            final IOException refused = assertThrows(IOException.class, () -> file.setLength(0));
            assertTrue(refused.getMessage().contains("Operation not permitted"), refused.getMessage());
        }
        assertEquals("/memfd:shmipc:unit-MANY_TO_ONE (deleted)",
            Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
        assertFalse(Region.delete(region.location()), "nothing to unlink");
        assertFalse(region.isUnlinked(), "it never had a name to lose");
        final AnonymousRegionSummary listed = Regions.listAnonymous().stream()
            .filter(found -> found.label().equals("unit-MANY_TO_ONE")).findFirst().orElseThrow();
        assertEquals(List.of(new AnonymousRegionSummary.Holder(ProcessHandle.current().pid(), fd)),
            listed.holders().stream().filter(holder -> holder.fd() == fd).toList());
        assertEquals(region.length(), listed.summary().size());
        assertEquals(1, listed.summary().channelCount());
        assertEquals(RegionLiveness.LIVE, listed.summary().liveness());
        assertEquals(0, Posix.fstat(fd, "test").mode() & 0177, "owner only, as the default permissions say");
    }

    @Test
    void misuseIsRefusedWithTheReason()
    {
        final Region region = create(ChannelKind.ONE_TO_ONE);
        final RegionNotFoundException notHanded = assertThrows(RegionNotFoundException.class,
            () -> Region.attach(RegionLocation.anonymous("never-handed"), Duration.ZERO));
        assertTrue(notHanded.getMessage().contains("SHMIPC_REGION_never-handed is not set"), notHanded.getMessage());
        try (Region named = Region.create(RegionConfig.builder(RegionLocation.shm("anonymous-test-" +
            ProcessHandle.current().pid())).channel("c", ChannelKind.ONE_TO_ONE, 4096).deleteOnClose(true).build()))
        {
            assertThrows(InvalidConfigurationException.class,
                () -> RegionHandoff.of(named, new ProcessBuilder("true")));
        }
        assertThrows(InvalidConfigurationException.class, () -> Region.create(RegionConfig.builder(
            RegionLocation.descriptor(1, 3)).channel("c", ChannelKind.ONE_TO_ONE, 4096).build()));
        assertEquals(RegionLocation.anonymous("x"), RegionLocation.parse("anon:x"));
        assertEquals(RegionLocation.descriptor(12, 3), RegionLocation.parse("/proc/12/fd/3"));
        assertEquals(RegionLocation.descriptor(ProcessHandle.current().pid(), 3),
            RegionLocation.parse("/proc/self/fd/3"));
        assertEquals("region", assertThrows(NullPointerException.class, () -> RegionHandoff.of(null)).getMessage());
        assertEquals("builder", assertThrows(NullPointerException.class, () -> RegionHandoff.of(region, null))
            .getMessage());
        assertEquals("builder", assertThrows(NullPointerException.class, () -> RegionHandoff.start(region, null))
            .getMessage());
        assertEquals("process", assertThrows(NullPointerException.class, () -> RegionHandoff.of(region)
            .started(null)).getMessage());
        region.close();
        assertThrows(RegionClosedException.class, () -> RegionHandoff.of(region));
    }

    /**
     * Hand-offs asked for while another thread closes the region either return or throw
     * {@link RegionClosedException}, and no hand-off server outlives the close: one started by a
     * grant that passed its checks just before the close took the server away would go on serving the descriptor
     * number the close releases, and so hand whatever file reuses it to a started process.
     */
    @Test
    void noHandoffServerOutlivesACloseThatRacesGrants() throws InterruptedException
    {
        for (int round = 0; round < 100; round++)
        {
            final String label = "unit-close-race-" + round;
            final Region region = Region.create(RegionConfig.builder(RegionLocation.anonymous(label))
                .keepProcessDumpable(true).build());
            final CountDownLatch granting = new CountDownLatch(2);
            final List<Thread> threads = new ArrayList<>();
            final List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int thread = 0; thread < 2; thread++)
            {
                final Thread granter = new Thread(() -> grantUntilClosed(region, granting, failures));
                granter.start();
                threads.add(granter);
            }
            granting.await();
            region.close(); // the race itself: the grants keep coming while the close runs
            for (final Thread thread : threads)
            {
                thread.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.equals("shmipc-handoff-" + label)).toList(), "round " + round);
        }
    }

    private static void grantUntilClosed(final Region region, final CountDownLatch granting,
        final List<Throwable> failures)
    {
        try
        {
            RegionHandoff.of(region);
            granting.countDown();
            while (true)
            {
                RegionHandoff.of(region);
            }
        }
        catch (final RegionClosedException expected)
        {
            granting.countDown(); // closed before its first grant (a no-op after it)
        }
        catch (final RuntimeException ex)
        {
            granting.countDown();
            failures.add(ex);
        }
    }
}
