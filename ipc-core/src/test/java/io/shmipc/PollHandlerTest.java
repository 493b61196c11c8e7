package io.shmipc;

import io.shmipc.exceptions.ChannelInUseException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a poll does with its handler beyond delivering: a handler's own exception reaches the caller unchanged and
 * costs no message, a handler that polls its own subscriber again is refused, and a handler that closes its
 * subscriber leaves the rest in the channel for the next one.
 */
class PollHandlerTest extends RegionTestBase
{
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
                    if (value == 2)
                    {
                        throw new IllegalStateException("application failure at " + value);
                    }
                    if (value == 4)
                    {
                        // A checked exception, as a handler written in another JVM language may throw.
                        PollHandlerTest.<RuntimeException>throwUnchecked(new IOException("application I/O at 4"));
                    }
                };
                assertThrows(IllegalStateException.class, () -> subscriber.poll(handler, 10), kind.toString());
                assertEquals(List.of(1L, 2L), delivered, kind + ": the batch stops at the failure");
                assertThrows(IOException.class, () -> subscriber.poll(handler, 10), kind.toString());
                assertEquals(List.of(1L, 2L, 3L, 4L), delivered, kind + ": the rest of the batch comes first");
                assertEquals(3, subscriber.poll(handler, 10), kind + ": the end of the batch, then the ring again");
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), delivered, kind + ": nothing lost, nothing twice");
                assertEquals(0, subscriber.poll(handler, 10), kind.toString());
                try (RegionInspector inspector = RegionInspector.of(region))
                {
                    assertEquals(7, inspector.channels().get(0).counts().consumedMessages(), kind + ": counted once");
                }
            }
            finally
            {
                region.close();
                Region.delete(RegionLocation.shm(shmName));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void throwUnchecked(final Throwable failure) throws T
    {
        throw (T)failure;
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
                assertTrue(closing.isClosed());
                // The poll still finishes its read: the role is the closing subscriber's until the poll returns.
                assertThrows(ChannelInUseException.class, () -> region.subscriber("c"));
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

    /**
     * A subscriber closed by another thread while its handler runs gives up its role at once: a successor may take
     * the channel and read on. The poll then writes nothing more into the channel when the handler returns (its
     * stale head, or log position, would fail the channel for the successor), so what it delivered is delivered
     * again (at-least-once).
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE"})
    void aSuccessorTakesOverWhileTheHandlerOfASubscriberClosedByAnotherThreadRuns(final ChannelKind kind)
        throws Exception
    {
        final Region region = track(Region.create(config(kind)));
        final SlowPoll slow = closedDuringItsHandler(region);
        final Subscriber successor = region.subscriber("c");
        final List<Long> second = new ArrayList<>();
        while (second.size() < 3)
        {
            successor.poll(collectLongs(second), 10);
        }
        slow.finish();
        assertEquals(List.of(1L, 2L, 3L), second, "the closed subscriber's message again, and the rest");
        offerLongs(slow.publisher(), 4, 6);
        while (second.size() < 5)
        {
            successor.poll(collectLongs(second), 10);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), second, "the channel goes on for the successor");
    }

    /**
     * The channel of a subscriber closed by another thread while its handler runs may be removed, and its space given
     * to a new channel: the poll that returns then must write nothing into what is now the new channel's.
     */
    @ParameterizedTest
    @EnumSource(value = ChannelKind.class, names = {"ONE_TO_ONE", "MANY_TO_ONE", "PUBLISH_SUBSCRIBE"})
    void aPollWhoseSubscriberWasClosedMeanwhileLeavesTheSpaceOfItsRemovedChannelAlone(final ChannelKind kind)
        throws Exception
    {
        final Region region = track(Region.create(RegionConfig.builder(RegionLocation.shm(shmName)).maxChannels(2)
            .dataAreaLength(256 * 1024).channel("c", kind, 64 * 1024).build()));
        final SlowPoll slow = closedDuringItsHandler(region);
        slow.publisher().close();
        assertTrue(region.directory().removeChannel("c"));
        final ChannelSpec d = new ChannelSpec("d", kind, 64 * 1024, 0);
        region.directory().openOrCreateChannel(d);
        final Subscriber newSubscriber = region.subscriber("d");
        final Publisher newPublisher = region.publisher("d");
        slow.finish();
        offerLongs(newPublisher, 10, 13);
        final List<Long> received = new ArrayList<>();
        while (received.size() < 3)
        {
            newSubscriber.poll(collectLongs(received), 10);
        }
        assertEquals(List.of(10L, 11L, 12L), received, "the new channel is whole");
    }

    /**
     * A region closed by another thread while a handler runs, for however long: the handler's view of its message
     * must never reach a mapping made later at the same addresses, so the closed region's addresses stay reserved
     * (its reads find zeros). A region closed with no handler running gives them up after the usual linger.
     */
    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aRegionClosedWhileAHandlerRunsKeepsItsAddressesForThatHandler(final ChannelKind kind) throws Exception
    {
        final Region region = Region.create(config(kind));
        final Subscriber subscriber = region.subscriber("c");
        offerLongs(region.publisher("c"), 1, 2);
        final CountDownLatch handlerMayReturn = new CountDownLatch(1);
        final List<Long> readAfterTheClose = new ArrayList<>();
        final CountDownLatch inHandler = new CountDownLatch(1);
        final Thread polling = new Thread(() -> subscriber.poll((buffer, offset, length) ->
        {
            inHandler.countDown();
            awaitQuietly(handlerMayReturn);
            readAfterTheClose.add(buffer.getLong(offset));
        }, 1), "slow-handler");
        polling.start();
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        region.close();
        assertTrue(region.mapped().keepsAddressesAfterClose(), kind + ": kept for the handler still running");
        handlerMayReturn.countDown();
        polling.join();
        // A broadcast receiver hands its handler a copy (the transmitter may overwrite the original meanwhile).
        assertEquals(List.of(kind == ChannelKind.BROADCAST ? 1L : 0L), readAfterTheClose,
            kind + ": the placeholder's zeros, or the copy");

        Region.delete(RegionLocation.shm(shmName));
        final Region idle = Region.create(config(kind));
        idle.subscriber("c").poll((buffer, offset, length) -> { }, 1);
        idle.close();
        assertFalse(idle.mapped().keepsAddressesAfterClose(), kind + ": no handler running, nothing kept");
    }

    /**
     * A poll in another thread whose handler, on the first of channel c's messages 1 to 3, waits until {@link #finish}
     * lets it return; its subscriber is closed by this thread while the handler waits.
     */
    private record SlowPoll(Thread thread, List<Long> got, CountDownLatch mayReturn, Publisher publisher)
    {
        void finish() throws InterruptedException
        {
            mayReturn.countDown();
            thread.join();
            assertEquals(List.of(1L), got, "the slow handler had the first message");
        }
    }

    private static SlowPoll closedDuringItsHandler(final Region region) throws InterruptedException
    {
        final Subscriber subscriber = region.subscriber("c");
        final Publisher publisher = region.publisher("c");
        offerLongs(publisher, 1, 4);
        final List<Long> got = new ArrayList<>();
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch mayReturn = new CountDownLatch(1);
        final Thread polling = new Thread(() -> subscriber.poll((buffer, offset, length) ->
        {
            got.add(buffer.getLong(offset));
            inHandler.countDown();
            awaitQuietly(mayReturn);
        }, 1), "slow-handler");
        polling.start();
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        subscriber.close();
        return new SlowPoll(polling, got, mayReturn, publisher);
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
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
}
