package io.shmipc.log;

import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.layout.EndpointDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static io.shmipc.layout.EndpointDescriptor.*;
import static io.shmipc.layout.LogBufferDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The publisher's limit of docs/layout.md, "The publisher limit" and "Joining": the order of a scan, what each
 * subscriber state contributes, and how dead and demoted subscribers stop holding the publisher back.
 */
class SubscriberGateTest
{
    private static final int CAPACITY = 4096;
    private static final int SLOTS = 64;
    private static final int PUBLISHER_SLOT = 0;
    private static final int LIMIT = CAPACITY + PUBLISHER_LIMIT_OFFSET;
    private static final int MASK = CAPACITY + SUBSCRIBER_MASK_OFFSET;

    private final LogRecordingBuffer log = new LogRecordingBuffer(CAPACITY + TRAILER_LENGTH);
    private final UnsafeBuffer table = new UnsafeBuffer(ByteBuffer.allocateDirect(SLOTS * SLOT_LENGTH));
    private final LogFailure failure = LogFailure.unmarked("test", "log");
    private final Set<Integer> dead = new HashSet<>();
    private final int[] probes = new int[1];
    private long now = 1_000_000_000L;
    private final SubscriberGate gate = new SubscriberGate(log, CAPACITY, table, SLOTS, PUBLISHER_SLOT, slot ->
    {
        probes[0]++;
        return !dead.contains(slot);
    }, () -> now, failure);

    private void subscriber(final int slot, final long tag, final int state, final long position)
    {
        table.putLong(slot * SLOT_LENGTH + RECEIVER_POSITION_OFFSET, position);
        table.putLong(slot * SLOT_LENGTH + LOG_STATE_OFFSET, tag | state);
        log.putLong(MASK, log.getLong(MASK) | 1L << slot);
    }

    @Test
    void aScanStoresItsBoundThenFencesThenReadsTheMaskThenStoresTheLimit()
    {
        subscriber(3, 0x100, LOG_STATE_TETHERED, 1024);
        log.clear();
        assertEquals(1024 + CAPACITY, gate.scan(2048, 2064));
        final int bound = log.indexOf("putLongRelease@" + LIMIT + "=" + (2048 + CAPACITY));
        final int mask = log.indexOf("getLongVolatile@" + MASK);
        final int limit = log.indexOf("compareAndSetLong@" + LIMIT + "=" + (1024 + CAPACITY));
        assertTrue(bound < mask && mask < limit, log.log().toString());
    }

    /**
     * A subscriber that asks for a scan while one runs (bit 0 of Publisher Limit set between the bound and the
     * limit) makes the scan's closing compare-and-set fail: it scans again and sees the new subscriber.
     */
    @Test
    void aScanRequestedDuringAScanMakesItScanAgain()
    {
        subscriber(3, 0x300, LOG_STATE_TETHERED, 1024);
        final boolean[] joined = new boolean[1];
        log.onGetLongVolatile(MASK, () ->
        {
            if (!joined[0])
            {
                joined[0] = true;
                subscriber(5, 0x500, LOG_STATE_JOINING, 512); // after the mask was loaded
                log.putLongVolatile(LIMIT, log.getLongVolatile(LIMIT) | SCAN_REQUESTED);
            }
        });
        assertEquals(512 + CAPACITY, gate.scan(2048, 2064));
        assertEquals(512 + CAPACITY, log.getLongVolatile(LIMIT));
    }

    /**
     * A joining subscriber without a start yet (position -1), or whose start the publisher overwrote before it knew
     * of it, stops every write beyond the extent; one at a start the log holds holds the publisher from there.
     */
    @Test
    void noSubscriberLeavesACapacityAheadAndAJoiningOneHoldsItAtItsStartOrAtTheExtent()
    {
        assertEquals(100 * 16 + CAPACITY, gate.scan(1600, 1616));
        subscriber(5, 0x200, LOG_STATE_JOINING, -1);
        assertEquals(1616, gate.scan(1600, 1616));
        subscriber(5, 0x200, LOG_STATE_JOINING, 256);
        assertEquals(256 + CAPACITY, gate.scan(1600, 1616));
        subscriber(5, 0x200, LOG_STATE_JOINING, 256);
        assertEquals(8208, gate.scan(8192, 8208), "256 is no longer held: not corruption for a joiner");
    }

    @Test
    void untetheredDemotedAndThePublishersOwnSlotDoNotHoldItBack()
    {
        subscriber(PUBLISHER_SLOT, 0x100, LOG_STATE_TETHERED, 0);
        subscriber(1, 0x200, LOG_STATE_UNTETHERED, 0);
        subscriber(2, 0x300, LOG_STATE_DEMOTED, 0);
        subscriber(4, 0x400, LOG_STATE_NONE, 0);
        assertEquals(8192 + CAPACITY, gate.scan(8192, 8208));
    }

    @Test
    void aPositionTheLogNoLongerHoldsIsCorruptionNamingTheSlot()
    {
        subscriber(7, 0x700, LOG_STATE_TETHERED, 16);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class,
            () -> gate.scan(8192, 8208));
        assertEquals("channel[log].slot[7].logPosition", refused.field());
        assertEquals("16", refused.actual());
        subscriber(7, 0x700, LOG_STATE_TETHERED, 8192);
        subscriber(8, 0x800, LOG_STATE_TETHERED, 8176);
        final CorruptRegionException misaligned = assertThrows(CorruptRegionException.class,
            () -> gate.scan(8192, 8208), "a multiple of 16, not of the records' 32");
        assertEquals("channel[log].slot[8].logPosition", misaligned.field());
        assertEquals("8176", misaligned.actual());
    }

    /**
     * A position the log no longer holds is a dead subscriber's, not corruption, when its slot's lock is free: a
     * publisher before this one found it dead and went past it. One whose slot another subscriber took meanwhile is
     * looked at again, as the new subscriber's.
     */
    @Test
    void aPositionLeftBehindByADeadSubscriberIsIgnoredAndAReplacedOneLookedAtAgain()
    {
        subscriber(7, 0x700, LOG_STATE_TETHERED, 16);
        dead.add(7);
        assertEquals(8192 + CAPACITY, gate.scan(8192, 8208));
        assertEquals(1, gate.deadSubscribers());
        assertEquals(1, probes[0]);
        assertEquals(8192 + CAPACITY, gate.scan(8192, 8208));
        assertEquals(1, probes[0], "its tag is ignored from now on");
        final SubscriberGate replaced = new SubscriberGate(log, CAPACITY, table, SLOTS, PUBLISHER_SLOT, slot ->
        {
            subscriber(7, 0x900, LOG_STATE_TETHERED, 8000); // the probe finds a new subscriber holding the slot
            return true;
        }, () -> now, failure);
        assertEquals(8000 + CAPACITY, replaced.scan(8192, 8208));
        assertEquals(0, replaced.deadSubscribers());
    }

    @Test
    void aDeadSubscriberStopsHoldingThePublisherAtTheFirstProbeAndProbesAreRateLimited()
    {
        subscriber(3, 0x300, LOG_STATE_TETHERED, 1024);
        dead.add(3);
        assertEquals(1024 + CAPACITY, gate.scan(1024, 1040));
        final long end = 1024 + CAPACITY + 64;
        assertEquals(1024 + CAPACITY - 16 + CAPACITY, gate.limit(1024 + CAPACITY - 16, 1024 + CAPACITY, end),
            "the first back-pressured scan probes, finds it dead and scans again without it");
        assertEquals(1, probes[0]);
        subscriber(3, 0x300, LOG_STATE_TETHERED, 1024); // unchanged: the publisher ignores its tag now
        assertEquals(1024 + CAPACITY - 16 + CAPACITY, gate.scan(1024 + CAPACITY - 16, 1024 + CAPACITY));
        assertEquals(1, gate.deadSubscribers());
        subscriber(3, 0x900, LOG_STATE_TETHERED, 2048); // a new subscriber in the same slot: a new tag
        assertEquals(2048 + CAPACITY, gate.scan(2048, 2064));
        dead.add(3);
        gate.limit(2048 + CAPACITY - 16, 2048 + CAPACITY, 2048 + CAPACITY + 64);
        assertEquals(1, probes[0], "within a millisecond of the last probe: none");
        now += SubscriberGate.LIVENESS_INTERVAL_NS;
        gate.limit(2048 + CAPACITY - 16, 2048 + CAPACITY, 2048 + CAPACITY + 64);
        assertEquals(2, probes[0]);
        assertEquals(2, gate.deadSubscribers());
    }

    @Test
    void aLiveStoppedSubscriberHoldsThePublisherUntilItsDemoteAfterHasPassed()
    {
        subscriber(6, 0x600, LOG_STATE_TETHERED, 0);
        table.putInt(6 * SLOT_LENGTH + DEMOTE_AFTER_OFFSET, 50);
        final long end = CAPACITY + 16;
        assertEquals(CAPACITY, gate.limit(CAPACITY - 48, CAPACITY - 32, end));
        now += 49_000_000L;
        assertEquals(CAPACITY, gate.limit(CAPACITY - 48, CAPACITY - 32, end), "49 ms: still held");
        now += 1_000_000L;
        assertEquals(CAPACITY - 48 + CAPACITY, gate.limit(CAPACITY - 48, CAPACITY - 32, end), "50 ms: demoted");
        assertEquals(0x600 | LOG_STATE_DEMOTED, table.getLong(6 * SLOT_LENGTH + LOG_STATE_OFFSET));
        assertEquals(1, gate.demotedSubscribers());
    }

    @Test
    void aDemotableSubscriberStoppedDuringItsJoinIsDemotedAfterItsDemoteAfter()
    {
        // A joining subscriber stops every write beyond the extent; stopped there (SIGSTOP during its join), one that
        // asked to be demoted must not hold the publisher longer than it asked for.
        subscriber(6, 0x600, LOG_STATE_JOINING, -1);
        table.putInt(6 * SLOT_LENGTH + DEMOTE_AFTER_OFFSET, 50);
        final long end = CAPACITY + 16;
        assertEquals(CAPACITY - 32, gate.limit(CAPACITY - 48, CAPACITY - 32, end), "joining: held at the extent");
        now += 49_000_000L;
        assertEquals(CAPACITY - 32, gate.limit(CAPACITY - 48, CAPACITY - 32, end), "49 ms: still held");
        now += 1_000_000L;
        assertEquals(CAPACITY - 48 + CAPACITY, gate.limit(CAPACITY - 48, CAPACITY - 32, end), "50 ms: demoted");
        assertEquals(0x600 | LOG_STATE_DEMOTED, table.getLong(6 * SLOT_LENGTH + LOG_STATE_OFFSET));
        assertEquals(1, gate.demotedSubscribers());

        subscriber(7, 0x700, LOG_STATE_JOINING, -1);
        now += 3_600_000_000_000L;
        assertEquals(CAPACITY - 32, gate.limit(CAPACITY - 48, CAPACITY - 32, end), "one that never asked is held");
    }

    @Test
    void aSubscriberThatNeverAskedIsNeverDemoted()
    {
        subscriber(6, 0x600, LOG_STATE_TETHERED, 0);
        now += 3_600_000_000_000L;
        assertEquals(CAPACITY, gate.limit(CAPACITY - 48, CAPACITY - 32, CAPACITY + 16));
        assertEquals(0x600 | LOG_STATE_TETHERED, table.getLong(6 * SLOT_LENGTH + LOG_STATE_OFFSET));
    }

    @Test
    void thePublisherTakesItsOwnSlotOutOfTheMask()
    {
        subscriber(PUBLISHER_SLOT, 0x100, LOG_STATE_TETHERED, 0);
        subscriber(9, 0x900, LOG_STATE_TETHERED, 0);
        gate.takeOwnSlot(PUBLISHER_SLOT, 0xABCDEF5L);
        assertEquals(1L << 9, log.getLong(MASK));
        assertEquals(EndpointDescriptor.subscriberTag(0xABCDEF5L), table.getLong(LOG_STATE_OFFSET));
    }

    @Test
    void aRefusalWhileTheSubscriberSettingTheLimitStandsStillReadsItsSlotAndWritesNothing()
    {
        subscriber(3, 0x300, LOG_STATE_TETHERED, 1024);
        final long end = 1024 + CAPACITY + 64;
        assertEquals(1024 + CAPACITY, gate.limit(1024 + CAPACITY - 16, 1024 + CAPACITY, end));
        log.clear();
        for (int i = 0; i < 100; i++)
        {
            assertEquals(1024 + CAPACITY, gate.limit(1024 + CAPACITY - 16, 1024 + CAPACITY, end));
        }
        assertTrue(log.log().stream().allMatch(("getLongVolatile@" + LIMIT)::equals),
            "nothing read from the log but Publisher Limit (whether a scan was asked for), nothing written: " +
            log.log());
        subscriber(3, 0x300, LOG_STATE_TETHERED, 1024 + 96);
        assertEquals(1024 + 96 + CAPACITY, gate.limit(1024 + CAPACITY - 16, 1024 + CAPACITY, end),
            "once it moved, the next refusal scans and finds the higher limit");
        assertTrue(log.log().contains("compareAndSetLong@" + LIMIT + "=" + (1024 + 96 + CAPACITY)),
            log.log().toString());
    }

    /**
     * A subscriber joining behind the one that set the limit is seen once it asks for a scan (Publisher Limit is then
     * not the limit last stored), though the one setting the limit stands still; one that leaves is seen at the next
     * refusal.
     */
    @Test
    void aSubscriberThatLeavesOrJoinsBehindTheOneSettingTheLimitIsSeen()
    {
        subscriber(3, 0x300, LOG_STATE_TETHERED, 2048);
        final long tail = 1024 + CAPACITY - 16;
        final long extent = 1024 + CAPACITY;
        final long end = 2048 + CAPACITY + 64;
        assertEquals(2048 + CAPACITY, gate.limit(tail, extent, end));
        subscriber(5, 0x500, LOG_STATE_JOINING, 1024);
        assertEquals(2048 + CAPACITY, gate.limit(tail, extent, end), "not asked: the limit is kept");
        log.putLongVolatile(LIMIT, (2048 + CAPACITY) | SCAN_REQUESTED);
        assertEquals(1024 + CAPACITY, gate.limit(tail, extent, end), "asked: scanned, and the joiner holds it");
        subscriber(5, 0x500, LOG_STATE_NONE, 1024);
        assertEquals(2048 + CAPACITY, gate.limit(tail, extent, end), "the joiner left");
        subscriber(3, 0x300, LOG_STATE_NONE, 2048);
        assertEquals(tail + CAPACITY, gate.limit(tail, extent, end),
            "the subscriber setting the limit left: the next refusal scans without it");
    }

    @Test
    void aSubscriberThatKeepsMovingBehindAStoppedOneIsNotDemoted()
    {
        subscriber(5, 0x500, LOG_STATE_TETHERED, 0);
        subscriber(6, 0x600, LOG_STATE_TETHERED, ALIGNMENT);
        table.putInt(6 * SLOT_LENGTH + DEMOTE_AFTER_OFFSET, 50);
        final long end = CAPACITY + 1024;
        assertEquals(CAPACITY, gate.limit(CAPACITY - 48, CAPACITY - 32, end));
        for (int ms = 1; ms <= 60; ms++)
        {
            now += 1_000_000L;
            subscriber(6, 0x600, LOG_STATE_TETHERED, ALIGNMENT + ALIGNMENT * ms);
            assertEquals(CAPACITY, gate.limit(CAPACITY - 48, CAPACITY - 32, end));
        }
        assertEquals(0x600 | LOG_STATE_TETHERED, table.getLong(6 * SLOT_LENGTH + LOG_STATE_OFFSET),
            "it moved every millisecond, though no scan ran while the first one stood still");
        assertEquals(0, gate.demotedSubscribers());
    }
}
