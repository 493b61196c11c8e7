package io.shmipc.channel;

import io.shmipc.ChannelKind;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.region.MappedRegion;
import io.shmipc.region.RegionRemoval;
import io.shmipc.region.RegionCreation;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The blocking poll of {@link SubscriberEndpoint} with a scripted subscriber whose channel shows a message only to
 * the poll that runs after the subscriber registered to sleep (the re-check that makes a lost wake-up impossible),
 * so that a handler runs there every time, not by chance.
 */
@Timeout(30)
class SubscriberEndpointTest
{
    private final RegionLocation location = RegionLocation.shm("shmipc-subscriber-" + UUID.randomUUID());
    private MappedRegion region;
    private EndpointFactory factory;
    private ChannelLayout channel;
    private UnsafeBuffer control;
    private UnsafeBuffer table;

    @BeforeEach
    void createRegion()
    {
        region = RegionCreation.create(RegionConfig.builder(location)
            .channel("c", ChannelKind.BROADCAST, 4096).build());
        factory = new EndpointFactory(region, endpoint -> { }, new HandleClosing());
        channel = region.layout().channels().get(0);
        control = region.buffer(channel.controlOffset(), ChannelDescriptor.CONTROL_LENGTH);
        table = region.buffer(channel.endpointTableOffset(), channel.endpointSlots() * EndpointDescriptor.SLOT_LENGTH);
    }

    @AfterEach
    void deleteRegion()
    {
        region.close(false);
        RegionRemoval.unlinkRegion(location);
    }

    /**
     * A subscriber whose channel holds one message that only the re-check before a sleep finds.
     */
    static final class RecheckSubscriber extends SubscriberEndpoint
    {
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        int rechecks;

        RecheckSubscriber(final ChannelContext context)
        {
            super(context);
        }

        @Override
        int receive(final int limit)
        {
            if (!isSleeping())
            {
                return 0;
            }
            rechecks++;
            deliver(message, 0, message.capacity());
            return 1;
        }

        @Override
        public int connectedPublishers()
        {
            return 0;
        }

        @Override
        boolean hasPending()
        {
            return false;
        }

        @Override
        long beforeSleep()
        {
            return Long.MAX_VALUE;
        }
    }

    private RecheckSubscriber open()
    {
        return factory.open(channel, EndpointDescriptor.ROLE_SUBSCRIBER, RecheckSubscriber::new);
    }

    private long waitState(final int slot)
    {
        return table.getLongVolatile(slot * EndpointDescriptor.SLOT_LENGTH + EndpointDescriptor.WAIT_STATE_OFFSET);
    }

    private void assertNothingCounted(final String when)
    {
        assertEquals(0, control.getIntVolatile(ChannelDescriptor.WAITER_COUNT_OFFSET), "waiters " + when);
        assertEquals(0, control.getIntVolatile(ChannelDescriptor.BLOCKING_SUBSCRIBERS_OFFSET), "blocking " + when);
    }

    @Test
    void handlerClosingItsSubscriberInTheRecheckClosesAtOnceAndLeavesNothingCounted()
    {
        final RecheckSubscriber subscriber = open();
        final int slot = subscriber.registration.slot();
        final long[] closeNs = new long[1];
        final int delivered = subscriber.poll((buffer, offset, length) ->
        {
            assertTrue(subscriber.isSleeping(), "the handler runs in the re-check");
            final long start = System.nanoTime();
            subscriber.close();
            closeNs[0] = System.nanoTime() - start;
        }, 10, Duration.ofSeconds(10));

        assertEquals(1, delivered);
        assertEquals(1, subscriber.rechecks);
        assertTrue(subscriber.isClosed());
        assertFalse(subscriber.isSleeping());
        assertTrue(closeNs[0] < TimeUnit.MILLISECONDS.toNanos(200), "the close from the handler did not wait for " +
            "the handler's own thread to leave: " + TimeUnit.NANOSECONDS.toMillis(closeNs[0]) + " ms");
        assertEquals(0, waitState(slot) & EndpointDescriptor.WAIT_FLAGS, "no share left in the slot");
        assertNothingCounted("after the poll");
        assertThrows(RegionClosedException.class, () -> subscriber.poll((buffer, offset, length) -> { }, 1));
    }

    @Test
    void aNewOwnerOfTheSlotKeepsItsWaitStateWhenTheClosedPollReturns()
    {
        final RecheckSubscriber subscriber = open();
        final int slot = subscriber.registration.slot();
        final List<RecheckSubscriber> successors = new ArrayList<>();
        subscriber.poll((buffer, offset, length) ->
        {
            // Closed by another thread while the handler runs (a close from the handler itself keeps the slot
            // until the poll returns): the slot is released at once, and the successor takes it.
            final Thread closing = new Thread(() ->
            {
                subscriber.close();
                successors.add(open());
            });
            closing.start();
            try
            {
                closing.join();
            }
            catch (final InterruptedException ex)
            {
                throw new AssertionError(ex);
            }
        }, 10, Duration.ofSeconds(10));

        final RecheckSubscriber successor = successors.get(0);
        assertEquals(slot, successor.registration.slot(), "the successor took the released slot");
        final long successorTag = successor.registration.endpointId() & ~EndpointDescriptor.WAIT_FLAGS;
        assertEquals(successorTag, waitState(slot), "the successor's tag, untouched by the closed poll");
        assertNothingCounted("after the closed poll returned");

        // The successor blocks and sleeps in turn; its share is counted once and taken back once.
        final int delivered = successor.poll((buffer, offset, length) ->
        {
            assertEquals(successorTag | EndpointDescriptor.WAIT_FLAGS, waitState(slot));
            assertEquals(1, control.getIntVolatile(ChannelDescriptor.WAITER_COUNT_OFFSET));
            assertEquals(1, control.getIntVolatile(ChannelDescriptor.BLOCKING_SUBSCRIBERS_OFFSET));
        }, 10, Duration.ofSeconds(10));
        assertEquals(1, delivered);
        assertEquals(successorTag | EndpointDescriptor.WAIT_BLOCKING, waitState(slot));
        successor.close();
        assertEquals(successorTag, waitState(slot));
        assertNothingCounted("after the successor closed");
    }
}
