package io.shmipc;

import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.exceptions.MessageTooLargeException;
import io.shmipc.exceptions.NoSuchChannelException;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class RegionTest
{
    private final String shmName = "shmipc-unit-" + UUID.randomUUID();
    private final List<Region> regions = new ArrayList<>();

    @TempDir
    Path tempDir;

    @AfterEach
    void tearDown()
    {
        regions.forEach(Region::close);
        Region.delete(RegionLocation.shm(shmName));
    }

    private Region track(final Region region)
    {
        regions.add(region);
        return region;
    }

    /**
     * Offer the 8-byte messages {@code from} to {@code to - 1}, each its own value.
     */
    private static void offerLongs(final Publisher publisher, final long from, final long to)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        for (long value = from; value < to; value++)
        {
            message.putLong(0, value);
            assertEquals(Publisher.OK, publisher.offer(message, 0, Long.BYTES));
        }
    }

    /**
     * A handler adding each message's first 8 bytes, as a long, to {@code into}.
     */
    private static MessageHandler collectLongs(final List<Long> into)
    {
        return (buffer, offset, length) -> into.add(buffer.getLong(offset));
    }

    /**
     * The two ends of channel "c" in a new region of {@code kind}.
     */
    private record Ends(Subscriber subscriber, Publisher publisher)
    {
    }

    /**
     * A new region of {@code kind}, its subscriber (first, so a broadcast one sees everything) and its publisher.
     */
    private Ends ends(final ChannelKind kind)
    {
        final Region region = track(Region.create(config(kind)));
        final Subscriber subscriber = region.subscriber("c");
        return new Ends(subscriber, region.publisher("c"));
    }

    private RegionConfig config(final ChannelKind kind)
    {
        return RegionConfig.builder(RegionLocation.shm(shmName)).channel("c", kind, 64 * 1024).build();
    }

    @Test
    void oneToOneCarriesMessagesBetweenTwoHandles()
    {
        final Region creator = track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        final Region attacher = track(Region.attach(RegionLocation.shm(shmName), Duration.ZERO));
        assertTrue(creator.wasCreated());
        assertFalse(attacher.wasCreated());
        final Publisher publisher = creator.publisher("c");
        final Subscriber subscriber = attacher.subscriber("c");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 100; i++)
        {
            message.putInt(0, i);
            assertEquals(Publisher.OK, publisher.offer(message, 0, 4));
        }
        final List<Integer> received = new ArrayList<>();
        while (received.size() < 100)
        {
            subscriber.poll((buffer, offset, length) -> received.add(buffer.getInt(offset)), 10);
        }
        for (int i = 0; i < 100; i++)
        {
            assertEquals(i, received.get(i));
        }
        assertTrue(publisher.isConsumerAlive());
        assertEquals(1, subscriber.connectedPublishers());
    }

    @Test
    void claimCommitIsDeliveredAndAbortIsSkipped()
    {
        final Region region = track(Region.create(config(ChannelKind.MANY_TO_ONE)));
        final Publisher publisher = region.publisher("c");
        final Subscriber subscriber = region.subscriber("c");
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(claim.offset(), 7L);
        claim.abort();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(claim.offset(), 42L);
        claim.commit();
        final List<Long> received = new ArrayList<>();
        subscriber.poll(collectLongs(received), 10);
        assertEquals(List.of(42L), received);
    }

    @Test
    void secondPublisherOnOneToOneIsRefused()
    {
        final Region region = track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        final Region other = track(Region.attach(RegionLocation.shm(shmName), Duration.ZERO));
        final Publisher first = region.publisher("c");
        final ChannelInUseException sameHandle = assertThrows(ChannelInUseException.class, () -> region.publisher("c"));
        assertTrue(sameHandle.getMessage().contains("channel=c"), sameHandle.getMessage());
        assertThrows(ChannelInUseException.class, () -> other.publisher("c"));
        first.close();
        other.publisher("c").close();
        region.subscriber("c");
        assertThrows(ChannelInUseException.class, () -> other.subscriber("c"));
    }

    @Test
    void broadcastCountsLostMessages()
    {
        final RegionConfig config = RegionConfig.builder(RegionLocation.shm(shmName))
            .channel("b", ChannelKind.BROADCAST, 1024).build();
        final Region region = track(Region.create(config));
        final Publisher publisher = region.publisher("b");
        final Subscriber subscriber = region.subscriber("b");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        final int sent = 1000;
        for (int i = 0; i < sent; i++)
        {
            message.putInt(0, i);
            publisher.offer(message, 0, 64);
        }
        final List<Integer> received = new ArrayList<>();
        while (subscriber.poll((buffer, offset, length) -> received.add(buffer.getInt(offset)), 100) > 0)
        {
            assertTrue(received.size() <= sent);
        }
        assertEquals(sent - 1, received.get(received.size() - 1));
        assertEquals(sent, received.size() + subscriber.lostMessages());
        assertTrue(subscriber.lostMessages() > 0);
    }

    @Test
    void syncWritesAFileRegionThroughAndIsHarmlessInMemory() throws Exception
    {
        final Path file = tempDir.resolve("durable");
        final Region region = track(Region.create(RegionConfig.builder(RegionLocation.file(file))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).build()));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
        message.putLong(0, 0x0123456789ABCDEFL);
        assertEquals(Publisher.OK, region.publisher("c").offer(message, 0, Long.BYTES));
        region.sync();
        final byte[] bytes = Files.readAllBytes(file);
        final byte[] payload = new byte[Long.BYTES];
        message.getBytes(0, payload);
        boolean found = false;
        for (int at = 0; at + payload.length <= bytes.length && !found; at += Long.BYTES)
        {
            found = java.util.Arrays.equals(bytes, at, at + payload.length, payload, 0, payload.length);
        }
        assertTrue(found, "the record's payload is in the file");
        track(Region.create(config(ChannelKind.MANY_TO_ONE))).sync();
        region.close();
        assertThrows(RegionClosedException.class, region::sync);
    }

    @Test
    void createFailsWhenRegionExists()
    {
        track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        assertThrows(RegionExistsException.class, () -> Region.create(config(ChannelKind.ONE_TO_ONE)));
    }

    @Test
    void attachOfMissingRegionIsTyped()
    {
        final RegionNotFoundException ex = assertThrows(RegionNotFoundException.class,
            () -> Region.attach(RegionLocation.shm(shmName), Duration.ofMillis(20)));
        assertTrue(ex.getMessage().contains(shmName), ex.getMessage());
    }

    @Test
    void permissionsAreAppliedExactly() throws Exception
    {
        final Path file = tempDir.resolve("region");
        final RegionConfig config = RegionConfig.builder(RegionLocation.file(file))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).permissions(0660).build();
        track(Region.create(config));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertThrows(InvalidConfigurationException.class,
            () -> RegionConfig.builder(RegionLocation.file(file)).permissions(0666));
    }

    @Test
    void symlinkAtPathIsRefused() throws Exception
    {
        final Path target = tempDir.resolve("target");
        final Path link = tempDir.resolve("link");
        Files.createSymbolicLink(link, target);
        final RegionConfig config = RegionConfig.builder(RegionLocation.file(link))
            .channel("c", ChannelKind.ONE_TO_ONE, 4096).build();
        // O_CREAT|O_EXCL never follows a link: create is refused as existing, and nothing appears at the target.
        assertThrows(RegionExistsException.class, () -> Region.create(config));
        assertFalse(Files.exists(target));
        final RegionPermissionException ex = assertThrows(RegionPermissionException.class,
            () -> Region.attach(RegionLocation.file(link), Duration.ZERO));
        assertTrue(ex.getMessage().contains("symbolic link"), ex.getMessage());
    }

    @Test
    void aHandlersOwnExceptionReachesTheCallerUnchangedAndTheChannelGoesOn()
    {
        for (final ChannelKind kind : ChannelKind.values())
        {
            final Region region = Region.create(config(kind));
            try
            {
                final Publisher publisher = region.publisher("c");
                final Subscriber subscriber = region.subscriber("c");
                final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
                for (int i = 1; i <= 3; i++)
                {
                    message.putLong(0, i);
                    assertEquals(Publisher.OK, publisher.offer(message, 0, 8), kind.toString());
                }
                final IllegalStateException failure = new IllegalStateException("application failure");
                final AssertionError error = new AssertionError("application error");
                final List<Long> delivered = new ArrayList<>();
                final MessageHandler handler = (buffer, offset, length) ->
                {
                    final long value = buffer.getLong(offset);
                    if (value == 1)
                    {
                        throw failure;
                    }
                    if (value == 2)
                    {
                        throw error;
                    }
                    delivered.add(value);
                };
                assertSame(failure, assertThrows(IllegalStateException.class, () -> subscriber.poll(handler, 1)),
                    kind + ": a handler's RuntimeException is not taken for corruption");
                assertSame(error, assertThrows(AssertionError.class, () -> subscriber.poll(handler, 1)),
                    kind.toString());
                assertEquals(1, subscriber.poll(handler, 10), kind + ": the next message after the failures");
                assertEquals(List.of(3L), delivered, kind.toString());
            }
            finally
            {
                region.close();
                Region.delete(RegionLocation.shm(shmName));
            }
        }
    }

    @Test
    void aHandlerThrowingInsideABatchCostsNoOtherMessageOfIt()
    {
        for (final ChannelKind kind : List.of(ChannelKind.ONE_TO_ONE, ChannelKind.MANY_TO_ONE))
        {
            final Region region = Region.create(config(kind));
            try
            {
                final Publisher publisher = region.publisher("c");
                final Subscriber subscriber = region.subscriber("c");
                final BatchingPublisher batching = publisher.batching(1024);
                final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
                for (long i = 1; i <= 6; i++)
                {
                    message.putLong(0, i);
                    assertEquals(Publisher.OK, batching.offer(message, 0, 8), kind.toString());
                }
                assertEquals(Publisher.OK, batching.flush());
                message.putLong(0, 7);
                assertEquals(Publisher.OK, publisher.offer(message, 0, 8));

                final List<Long> delivered = new ArrayList<>();
                final MessageHandler handler = (buffer, offset, length) ->
                {
                    final long value = buffer.getLong(offset);
                    delivered.add(value);
                    if (value == 2 || value == 4)
                    {
                        throw new IllegalStateException("application failure at " + value);
                    }
                };
                assertThrows(IllegalStateException.class, () -> subscriber.poll(handler, 10), kind.toString());
                assertEquals(List.of(1L, 2L), delivered, kind + ": the batch stops at the failure");
                assertThrows(IllegalStateException.class, () -> subscriber.poll(handler, 10), kind.toString());
                assertEquals(List.of(1L, 2L, 3L, 4L), delivered, kind + ": the rest of the batch comes first");
                assertEquals(3, subscriber.poll(handler, 10), kind + ": the end of the batch, then the ring again");
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), delivered, kind + ": nothing lost, nothing twice");
                assertEquals(0, subscriber.poll(handler, 10), kind.toString());
            }
            finally
            {
                region.close();
                Region.delete(RegionLocation.shm(shmName));
            }
        }
    }

    /**
     * The rest of a batch whose handler threw waits in the ring, not in the subscriber: if the subscriber closes (or
     * dies) before its next poll, the next subscriber gets the whole batch again, nothing lost.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE"})
    void theRestOfABatchWhoseHandlerThrewOutlivesItsSubscriber(final ChannelKind kind)
    {
        final Region region = track(Region.create(config(kind)));
        final BatchingPublisher batching = region.publisher("c").batching(1024);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        for (long i = 1; i <= 4; i++)
        {
            message.putLong(0, i);
            assertEquals(Publisher.OK, batching.offer(message, 0, 8));
        }
        assertEquals(Publisher.OK, batching.flush());
        final Subscriber failing = region.subscriber("c");
        assertThrows(IllegalStateException.class, () -> failing.poll((buffer, offset, length) ->
        {
            if (buffer.getLong(offset) == 2)
            {
                throw new IllegalStateException("application failure");
            }
        }, 10));
        failing.close();

        final List<Long> received = new ArrayList<>();
        final Subscriber next = region.subscriber("c");
        assertEquals(4, next.poll(collectLongs(received), 10));
        assertEquals(List.of(1L, 2L, 3L, 4L), received, "the whole batch again: at-least-once");
    }

    @Test
    void useAfterCloseNeverTouchesMemory()
    {
        final Region region = Region.create(config(ChannelKind.ONE_TO_ONE));
        final Publisher publisher = region.publisher("c");
        final Subscriber subscriber = region.subscriber("c");
        region.close();
        assertTrue(publisher.isClosed());
        assertEquals(Publisher.CLOSED, publisher.offer(new UnsafeBuffer(new byte[8]), 0, 8));
        assertThrows(RegionClosedException.class, () -> subscriber.poll((b, o, l) -> { }, 1));
        assertThrows(RegionClosedException.class, () -> region.publisher("c"));
    }

    /**
     * Polling a subscriber again from inside its own handler would read the records the outer poll is still
     * delivering (the head moves only when a poll returns): every message twice. It is refused, before any shared
     * memory is read, and the outer poll goes on as after any exception of its handler: nothing lost, nothing twice.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void pollingASubscriberFromItsOwnHandlerIsRefused(final ChannelKind kind)
    {
        final Region region = track(Region.create(config(kind)));
        final Subscriber subscriber = region.subscriber("c");
        offerLongs(region.publisher("c"), 0, 3);
        final List<Long> received = new ArrayList<>();
        final List<Long> nested = new ArrayList<>();
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> subscriber.poll((buffer, offset, length) ->
            {
                received.add(buffer.getLong(offset));
                subscriber.poll((b, o, l) -> nested.add(b.getLong(o)), 10);
            }, 10));
        assertTrue(refused.getMessage().contains("channel=c"), refused.getMessage());
        assertEquals(List.of(), nested, "the nested poll delivered nothing");
        assertThrows(NullPointerException.class, () -> subscriber.poll(null, 10));
        while (received.size() < 3)
        {
            subscriber.poll(collectLongs(received), 10);
        }
        assertEquals(List.of(0L, 1L, 2L), received, "each message once, in order");
    }

    /**
     * A negative length is the caller's mistake, never the region's: it must not be reported as corruption, and it
     * must leave the channel usable.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void negativeLengthsAreTheCallersMistake(final ChannelKind kind)
    {
        final Ends ends = ends(kind);
        final Subscriber subscriber = ends.subscriber();
        final Publisher publisher = ends.publisher();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> publisher.tryClaim(-1, new Claim()));
        assertThrows(IndexOutOfBoundsException.class, () -> publisher.offer(message, 0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> publisher.offer(message, -1, 4));
        offerLongs(publisher, 42, 43);
        final List<Long> received = new ArrayList<>();
        subscriber.poll(collectLongs(received), 10);
        assertEquals(List.of(42L), received, "the channel goes on");
    }

    /**
     * A claim's buffer is exactly the claimed space: writing past either end is refused instead of overwriting the
     * next record's header or the ring's positions, and a reference kept after the commit cannot change a message
     * already published.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aClaimWritesOnlyTheClaimedSpace(final ChannelKind kind)
    {
        final Ends ends = ends(kind);
        final Subscriber subscriber = ends.subscriber();
        final Publisher publisher = ends.publisher();
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        final org.agrona.MutableDirectBuffer buffer = claim.buffer();
        assertEquals(8, buffer.capacity());
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(claim.offset() + 8, -1L));
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putInt(claim.offset() - 4, -1));
        buffer.putLong(claim.offset(), 42L);
        claim.commit();
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.putLong(0, -1L));
        final List<Long> received = new ArrayList<>();
        subscriber.poll((b, offset, length) -> received.add(b.getLong(offset)), 10);
        assertEquals(List.of(42L), received);
    }

    /**
     * Offering while a claim of the same publisher is held: the offer goes behind the claim, and the subscriber,
     * although it looks for records left by dead publishers all the while (every 64 empty polls), must not take the
     * held claim for one. Both messages arrive, in the order of their places in the ring.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE"})
    void offeringWhileAClaimIsHeldLosesNothing(final ChannelKind kind)
    {
        final Ends ends = ends(kind);
        final Subscriber subscriber = ends.subscriber();
        final Publisher publisher = ends.publisher();
        final Claim claim = new Claim();
        assertEquals(Publisher.OK, publisher.tryClaim(8, claim));
        claim.buffer().putLong(claim.offset(), 1L);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        message.putLong(0, 2L);
        assertEquals(Publisher.OK, publisher.offer(message, 0, 8));
        final List<Long> received = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(0, subscriber.poll(collectLongs(received), 10));
        }
        claim.commit();
        while (received.size() < 2)
        {
            subscriber.poll(collectLongs(received), 10);
        }
        assertEquals(List.of(1L, 2L), received);
        assertEquals(0, subscriber.unblockedRecords());
    }

    /**
     * A subscriber closed by its own handler gets nothing more, even from the poll in progress, and what it was not
     * given stays in the ring for the next subscriber: a batch it was inside comes again whole (at-least-once).
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE"})
    void aSubscriberClosedByItsHandlerLeavesTheRestForTheNextOne(final ChannelKind kind)
    {
        final Region region = track(Region.create(config(kind)));
        final Publisher publisher = region.publisher("c");
        offerLongs(publisher, 0, 3);
        final BatchingPublisher batching = publisher.batching(1024);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        for (int i = 3; i < 6; i++)
        {
            message.putLong(0, i);
            assertEquals(Publisher.OK, batching.offer(message, 0, 8));
        }
        assertEquals(Publisher.OK, batching.flush());
        offerLongs(publisher, 6, 7);

        final List<Long> first = new ArrayList<>();
        final Subscriber closing = region.subscriber("c");
        closing.poll((buffer, offset, length) ->
        {
            first.add(buffer.getLong(offset));
            if (buffer.getLong(offset) == 1)
            {
                closing.close();
            }
        }, 10);
        assertEquals(List.of(0L, 1L), first, "nothing after the close");

        final List<Long> second = new ArrayList<>();
        final Subscriber next = region.subscriber("c");
        while (!next.isClosed())
        {
            next.poll((buffer, offset, length) ->
            {
                second.add(buffer.getLong(offset));
                if (buffer.getLong(offset) == 4)
                {
                    next.close();
                }
            }, 10);
        }
        assertEquals(List.of(2L, 3L, 4L), second, "the rest, none lost, nothing after the close");

        final List<Long> third = new ArrayList<>();
        final Subscriber last = region.subscriber("c");
        while (third.size() < 4)
        {
            last.poll(collectLongs(third), 10);
        }
        assertEquals(List.of(3L, 4L, 5L, 6L), third, "the batch closed inside comes again whole, then the rest");
    }

    @Test
    void aBroadcastReceiverClosedByItsHandlerGetsNothingMore()
    {
        final Region region = track(Region.create(config(ChannelKind.BROADCAST)));
        final Subscriber receiver = region.subscriber("c");
        offerLongs(region.publisher("c"), 0, 5);
        final List<Long> received = new ArrayList<>();
        receiver.poll((buffer, offset, length) ->
        {
            received.add(buffer.getLong(offset));
            if (buffer.getLong(offset) == 1)
            {
                receiver.close();
            }
        }, 10);
        assertEquals(List.of(0L, 1L), received);
    }

    @Test
    void misuseIsReportedWithNames()
    {
        final Region region = track(Region.create(config(ChannelKind.ONE_TO_ONE)));
        final Publisher publisher = region.publisher("c");
        final MessageTooLargeException tooLarge = assertThrows(MessageTooLargeException.class,
            () -> publisher.offer(new UnsafeBuffer(new byte[64 * 1024]), 0, 64 * 1024));
        assertTrue(tooLarge.getMessage().contains("maxMessageLength=8192"), tooLarge.getMessage());
        assertThrows(NoSuchChannelException.class, () -> region.subscriber("nope"));
        assertThrows(InvalidConfigurationException.class, () -> RegionLocation.shm("../etc"));
        assertThrows(InvalidConfigurationException.class, () -> Region.create(
            RegionConfig.builder(RegionLocation.shm(shmName + "x")).channel("c", ChannelKind.ONE_TO_ONE, 1000)
                .build()));
    }

    @Test
    void truncatedRegionIsRejected() throws Exception
    {
        final Path file = tempDir.resolve("truncated");
        Files.write(file, new byte[100]);
        final CorruptRegionException ex = assertThrows(CorruptRegionException.class,
            () -> Region.attach(RegionLocation.file(file), Duration.ZERO));
        assertEquals("file.size", ex.field());
    }
}
