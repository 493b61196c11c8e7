package io.shmipc.wait;

import com.sun.jna.Memory;
import io.shmipc.testing.RecordingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

import static io.shmipc.layout.ChannelDescriptor.*;
import static io.shmipc.layout.EndpointDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The wake-up word on real buffers over direct memory: the two counts, each endpoint's mirror of its share in its
 * slot's wait state, the order of those stores, taking back the shares of dead endpoints exactly once (the tag
 * makes a stale compare-and-set fail), and a real futex sleep woken by a signal.
 */
@Timeout(30)
class WakeUpWordTest
{
    /** These tests interrupt nobody. */
    private static final InterruptHook NO_INTERRUPTS = new InterruptHook(() -> { });

    private static final int SLOTS = 4;
    private static final long TAG_A = 0x1000;
    private static final long TAG_B = 0x2000;
    private static final long TAG_C = 0x3000;

    private final List<String> log = new ArrayList<>();
    private final RecordingBuffer control = new RecordingBuffer("control", CONTROL_LENGTH, log);
    private final RecordingBuffer table = new RecordingBuffer("table", SLOTS * SLOT_LENGTH, log);
    private final boolean[] alive = new boolean[SLOTS];
    private final List<Integer> probed = new ArrayList<>();

    private WakeUpWord word(final int slot, final long endpointId)
    {
        return word(slot, endpointId, this::probe);
    }

    private WakeUpWord word(final int slot, final long endpointId, final IntPredicate slotAlive)
    {
        alive[slot] = true;
        return new WakeUpWord(control, table, SLOTS, slot, endpointId, slotAlive);
    }

    private boolean probe(final int slot)
    {
        probed.add(slot);
        return alive[slot];
    }

    private static int stateOffset(final int slot)
    {
        return slot * SLOT_LENGTH + WAIT_STATE_OFFSET;
    }

    private long state(final int slot)
    {
        return table.getLongVolatile(stateOffset(slot));
    }

    private int blocking()
    {
        return control.getIntVolatile(BLOCKING_SUBSCRIBERS_OFFSET);
    }

    private int waiters()
    {
        return control.getIntVolatile(WAITER_COUNT_OFFSET);
    }

    /** A share left behind by an endpoint that died: counted, and marked in its slot. */
    private void leaveDeadShare(final int slot, final long tag, final long flags)
    {
        alive[slot] = false;
        table.putLongVolatile(stateOffset(slot), tag | flags);
        if ((flags & WAIT_BLOCKING) != 0)
        {
            control.getAndAddInt(BLOCKING_SUBSCRIBERS_OFFSET, 1);
        }
        if ((flags & WAIT_SLEEPING) != 0)
        {
            control.getAndAddInt(WAITER_COUNT_OFFSET, 1);
        }
    }

    @Test
    void anEndpointIdWithoutTagBitsIsRefused()
    {
        assertThrows(IllegalArgumentException.class,
            () -> new WakeUpWord(control, table, SLOTS, 0, WAIT_FLAGS, slot -> true));
    }

    @Test
    void takingTheSlotStoresTheTagWithTheFlagBitsCleared()
    {
        word(1, TAG_A | WAIT_FLAGS).takeSlot();
        assertEquals(TAG_A, state(1));
        assertEquals(0, blocking());
        assertEquals(0, waiters());
    }

    @Test
    void aBlockingSubscriberIsCountedBeforeItIsMarkedAndUnmarkedBeforeItIsUncounted()
    {
        final WakeUpWord word = word(2, TAG_A);
        word.takeSlot();
        log.clear();
        word.addBlockingSubscriber();
        assertEquals(1, blocking());
        assertEquals(TAG_A | WAIT_BLOCKING, state(2));
        assertTrue(control.indexOf("control:getAndAddInt@" + BLOCKING_SUBSCRIBERS_OFFSET + "+1") <
            table.indexOf("table:putLongRelease@" + stateOffset(2) + "=" + (TAG_A | WAIT_BLOCKING)), log::toString);
        log.clear();
        word.removeBlockingSubscriber();
        assertEquals(0, blocking());
        assertEquals(TAG_A, state(2));
        assertTrue(table.indexOf("table:compareAndSetLong@" + stateOffset(2) + "=" + TAG_A) <
            control.indexOf("control:getAndAddInt@" + BLOCKING_SUBSCRIBERS_OFFSET + "-1"), log::toString);
    }

    @Test
    void aShareTakenBackByTheSlotsNextOwnerIsNotTakenBackAgain()
    {
        // A subscriber closed by another thread while it slept: its slot went to a successor, which took back the
        // shares the slot showed. The sleeper's late leave must neither uncount them again nor touch the slot.
        final WakeUpWord closed = word(0, TAG_A);
        closed.takeSlot();
        closed.addBlockingSubscriber();
        closed.prepareWait();
        assertEquals(1, waiters());
        final WakeUpWord successor = word(0, TAG_B);
        successor.takeSlot();
        assertEquals(0, waiters(), "the successor took the sleeping share back");
        assertEquals(0, blocking(), "and the blocking one");
        assertEquals(TAG_B, state(0));
        closed.finishWait();
        closed.removeBlockingSubscriber();
        assertEquals(0, waiters(), "not uncounted twice");
        assertEquals(0, blocking());
        assertEquals(TAG_B, state(0), "the successor's slot untouched");
    }

    @Test
    void aWaiterReadsTheSequenceThenIsCountedThenMarkedAndUnmarkedBeforeItIsUncounted()
    {
        final WakeUpWord word = word(0, TAG_A);
        word.takeSlot();
        word.addBlockingSubscriber();
        control.putInt(WAKE_SEQUENCE_OFFSET, 7);
        log.clear();
        assertEquals(7, word.prepareWait());
        assertEquals(1, waiters());
        assertEquals(TAG_A | WAIT_BLOCKING | WAIT_SLEEPING, state(0));
        final int sequenceRead = control.indexOf("control:getIntVolatile@" + WAKE_SEQUENCE_OFFSET);
        final int counted = control.indexOf("control:getAndAddInt@" + WAITER_COUNT_OFFSET + "+1");
        final int marked = table.indexOf("table:putLongRelease@" + stateOffset(0) + "=" +
            (TAG_A | WAIT_BLOCKING | WAIT_SLEEPING));
        assertTrue(sequenceRead < counted && counted < marked, log::toString);
        log.clear();
        word.finishWait();
        assertEquals(0, waiters());
        assertEquals(TAG_A | WAIT_BLOCKING, state(0));
        assertTrue(table.indexOf("table:compareAndSetLong@" + stateOffset(0) + "=" + (TAG_A | WAIT_BLOCKING)) <
            control.indexOf("control:getAndAddInt@" + WAITER_COUNT_OFFSET + "-1"), log::toString);
    }

    @Test
    void whileNobodyMayBlockASignalIsOneRead()
    {
        final WakeUpWord publisher = word(0, TAG_A);
        publisher.takeSlot();
        log.clear();
        publisher.signal();
        assertEquals(List.of("control:getIntAcquire@" + BLOCKING_SUBSCRIBERS_OFFSET), log);
    }

    @Test
    void aSignalMovesTheSequenceOnlyWhenSomebodyWaits()
    {
        final WakeUpWord publisher = word(0, TAG_A);
        final WakeUpWord subscriber = word(1, TAG_B);
        publisher.takeSlot();
        subscriber.takeSlot();
        subscriber.addBlockingSubscriber();
        publisher.signal();
        assertEquals(0, control.getIntVolatile(WAKE_SEQUENCE_OFFSET), "nobody asleep: no wake-up");
        final int sequence = subscriber.prepareWait();
        publisher.signal();
        assertEquals(sequence + 1, control.getIntVolatile(WAKE_SEQUENCE_OFFSET));
        subscriber.finishWait();
    }

    @Test
    void aSleeperIsWokenByASignal() throws Exception
    {
        assertTrue(Futex.isAvailable(), "futex available on this Linux host");
        final WakeUpWord publisher = word(0, TAG_A);
        final WakeUpWord subscriber = word(1, TAG_B);
        publisher.takeSlot();
        subscriber.takeSlot();
        subscriber.addBlockingSubscriber();
        final CompletableFuture<Integer> sleeper = CompletableFuture.supplyAsync(() ->
        {
            final Memory timespec = Futex.newTimespec();
            final int sequence = subscriber.prepareWait();
            try
            {
                return subscriber.await(sequence, TimeUnit.SECONDS.toNanos(20), timespec, NO_INTERRUPTS);
            }
            finally
            {
                subscriber.finishWait();
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiters() == 0 && System.nanoTime() - deadline < 0)
        {
            Thread.onSpinWait();
        }
        assertEquals(1, waiters(), "the sleeper registered");
        publisher.signal();
        final int result = sleeper.get(10, TimeUnit.SECONDS);
        assertTrue(result == Futex.WOKEN || result == Futex.VALUE_CHANGED, "woken, not timed out: " + result);
        assertEquals(0, waiters());
    }

    @Test
    void aWaitWithNobodyToSignalTimesOut()
    {
        final WakeUpWord subscriber = word(0, TAG_A);
        subscriber.takeSlot();
        final int sequence = subscriber.prepareWait();
        try
        {
            assertEquals(Futex.TIMED_OUT, subscriber.await(sequence, TimeUnit.MILLISECONDS.toNanos(1),
                Futex.newTimespec(), NO_INTERRUPTS));
        }
        finally
        {
            subscriber.finishWait();
        }
    }

    @Test
    void aNewOwnerTakesBackWhatTheDeadFormerOwnerOfItsSlotLeftCounted()
    {
        leaveDeadShare(3, TAG_A, WAIT_BLOCKING | WAIT_SLEEPING);
        word(3, TAG_B).takeSlot();
        assertEquals(0, blocking());
        assertEquals(0, waiters());
        assertEquals(TAG_B, state(3));
    }

    @Test
    void aNewEndpointTakesBackTheSharesOfEveryDeadEndpointButNoLiveOne()
    {
        final WakeUpWord live = word(2, TAG_B);
        live.takeSlot();
        live.addBlockingSubscriber();
        live.prepareWait();
        leaveDeadShare(1, TAG_A, WAIT_BLOCKING);
        assertEquals(2, blocking());
        word(0, TAG_C).takeSlot();
        assertEquals(1, blocking(), "the dead share is gone, the live one stays");
        assertEquals(1, waiters());
        assertEquals(TAG_A, state(1), "the dead slot keeps its bare tag");
        assertEquals(TAG_B | WAIT_FLAGS, state(2));
        live.finishWait();
        live.removeBlockingSubscriber();
    }

    @Test
    void aDeadShareIsTakenBackOnceWhoeverLooksAndHowOften()
    {
        final WakeUpWord publisherA = word(0, TAG_A);
        final WakeUpWord publisherB = word(1, TAG_B);
        publisherA.takeSlot();
        publisherB.takeSlot();
        leaveDeadShare(2, TAG_C, WAIT_BLOCKING | WAIT_SLEEPING);
        assertTrue(publisherA.releaseNextDeadShare());
        assertFalse(publisherB.releaseNextDeadShare(), "nothing left counted to take back");
        assertFalse(publisherA.releaseNextDeadShare());
        assertEquals(0, blocking());
        assertEquals(0, waiters());
    }

    @Test
    void theTagMakesAStaleCompareAndSetFail()
    {
        leaveDeadShare(2, TAG_A, WAIT_BLOCKING);
        // Between the publisher's read of slot 2's state and its compare-and-set, a new endpoint takes the slot
        // (taking back the dead share itself), counts its own share, and dies too: the probe then says dead.
        final WakeUpWord[] newcomer = new WakeUpWord[1];
        final WakeUpWord publisher = word(0, TAG_C, slot ->
        {
            if (slot == 2 && newcomer[0] == null)
            {
                newcomer[0] = new WakeUpWord(control, table, SLOTS, 2, TAG_B, s -> s != 2);
                newcomer[0].takeSlot();
                newcomer[0].addBlockingSubscriber();
            }
            return slot != 2;
        });
        assertFalse(publisher.releaseNextDeadShare(), "the swap of the stale state fails on the tag");
        assertEquals(1, blocking(), "the newcomer's share is counted once, the first share taken back once");
        assertEquals(TAG_B | WAIT_BLOCKING, state(2));
        assertTrue(publisher.releaseNextDeadShare(), "the newcomer's own share is taken back next time");
        assertEquals(0, blocking());
        assertEquals(TAG_B, state(2));
    }

    @Test
    void housekeepingProbesOneMarkedSlotPerRoundInTurn()
    {
        final WakeUpWord publisher = word(0, TAG_A);
        publisher.takeSlot();
        probed.clear();
        assertFalse(publisher.releaseNextDeadShare());
        assertEquals(List.of(), probed, "nobody blocks: no probe at all");
        final WakeUpWord first = word(1, TAG_B);
        final WakeUpWord second = word(3, TAG_C);
        first.takeSlot();
        second.takeSlot();
        first.addBlockingSubscriber();
        second.addBlockingSubscriber();
        probed.clear();
        for (int round = 0; round < 4; round++)
        {
            assertFalse(publisher.releaseNextDeadShare(), "both are alive");
        }
        assertEquals(List.of(1, 3, 1, 3), probed, "one probe a round, marked slots only, round robin");
    }
}
