package io.shmipc.log;

import io.shmipc.exceptions.CorruptRegionException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.shmipc.layout.EndpointDescriptor.*;
import static io.shmipc.layout.LogBufferDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A subscriber's side of docs/layout.md, "Joining" and "Leaving": the order of its stores, its mask bit, and the
 * check of its own position.
 */
class SubscriberSlotTest
{
    private static final int CAPACITY = 4096;
    private static final int SLOT = 5;
    private static final long ENDPOINT_ID = 0x1234_5678_9ABC_DEF7L;
    private static final long TAG = subscriberTag(ENDPOINT_ID);
    private static final int MASK = CAPACITY + SUBSCRIBER_MASK_OFFSET;
    private static final int LIMIT = CAPACITY + PUBLISHER_LIMIT_OFFSET;
    private static final int STATE = SLOT * SLOT_LENGTH + LOG_STATE_OFFSET;

    private final LogRecordingBuffer log = new LogRecordingBuffer(CAPACITY + TRAILER_LENGTH);
    private final LogRecordingBuffer table = new LogRecordingBuffer(64 * SLOT_LENGTH);
    private final MarkedFailures failures = new MarkedFailures();
    private final LogFailure failure = failures.failure();
    private final SubscriberSlot slot = new SubscriberSlot(table, SLOT, ENDPOINT_ID, log, CAPACITY, failure);

    @Test
    void aTetheredJoinStoresNoStartAndJoiningThenSetsItsBitThenReadsTheLimitThenStoresItsGateThenTethered()
    {
        log.putLong(LIMIT, 5000);
        final java.util.List<String> order = new java.util.ArrayList<>();
        log.clear();
        table.clear();
        assertEquals(5000, slot.beginTetheredJoin());
        order.addAll(table.log());
        order.addAll(log.log());
        assertEquals("putLongRelease@" + (SLOT * SLOT_LENGTH + RECEIVER_POSITION_OFFSET) + "=-1", order.get(0),
            "no start yet: the publisher holds nothing for it, and writes nothing more once it sees it joining");
        assertEquals("putLongRelease@" + STATE + "=" + (TAG | LOG_STATE_JOINING), order.get(1));
        final int bit = log.indexOf("compareAndSetLong@" + MASK + "=" + (1L << SLOT));
        final int limit = log.indexOf("getLongVolatile@" + LIMIT);
        assertTrue(bit < limit, log.log().toString());
        table.clear();
        slot.tether(1024);
        assertEquals(java.util.List.of("putLongRelease@" + (SLOT * SLOT_LENGTH + RECEIVER_POSITION_OFFSET) + "=1024",
            "compareAndSetLong@" + STATE + "=" + (TAG | LOG_STATE_TETHERED)), table.log());
        assertEquals(LOG_STATE_TETHERED, slot.state());
    }

    /**
     * A joiner that replays history asks the publisher for a scan by setting bit 0 of Publisher Limit, once however
     * many ask; the limit a joiner reads has the bit cleared.
     */
    @Test
    void aScanIsRequestedInBitZeroOfPublisherLimitWhichAJoinerReadsCleared()
    {
        log.putLong(LIMIT, 5008);
        slot.beginTetheredJoin();
        slot.requestScan();
        assertEquals(5008 | SCAN_REQUESTED, log.getLong(LIMIT));
        log.clear();
        slot.requestScan();
        assertEquals(List.of("getLongVolatile@" + LIMIT), log.log(), "already requested: nothing stored");
        assertEquals(5008, slot.beginTetheredJoin());
    }

    @Test
    void aJoinerDemotedBeforeItTetheredStaysDemotedAndAnyOtherStateIsCorruption()
    {
        slot.beginTetheredJoin();
        table.putLong(STATE, TAG | LOG_STATE_DEMOTED); // the publisher demoted it: it was stopped during its join
        slot.tether(1024);
        assertEquals(LOG_STATE_DEMOTED, slot.state());

        table.putLong(STATE, TAG | LOG_STATE_UNTETHERED);
        assertThrows(io.shmipc.exceptions.CorruptRegionException.class, () -> slot.tether(1024));
    }

    @Test
    void aBitLeftByADeadFormerOwnerIsKeptAndLeavingClearsIt()
    {
        log.putLong(MASK, 1L << SLOT | 1L << 9);
        slot.beginTetheredJoin();
        assertEquals(1L << SLOT | 1L << 9, log.getLong(MASK));
        slot.leave();
        assertEquals(1L << 9, log.getLong(MASK));
        assertEquals(TAG | LOG_STATE_NONE, table.getLong(STATE));
    }

    @Test
    void anUntetheredSubscriberNeverSetsABit()
    {
        slot.init(2048, 0);
        slot.joinUntethered(4096);
        assertEquals(0, log.getLong(MASK));
        assertEquals(TAG | LOG_STATE_UNTETHERED, table.getLong(STATE));
        assertEquals(2048, table.getInt(SLOT * SLOT_LENGTH + LAG_WINDOW_OFFSET));
        slot.leave();
        assertEquals(TAG | LOG_STATE_NONE, table.getLong(STATE));
    }

    @Test
    void aPositionSomeoneElseWroteIsCorruption()
    {
        slot.beginTetheredJoin();
        slot.tether(1024);
        slot.storeProgress(2048);
        slot.checkAndStoreCounts(10);
        assertEquals(10, table.getLong(SLOT * SLOT_LENGTH + DELIVERED_MESSAGES_OFFSET));
        table.putLong(SLOT * SLOT_LENGTH + RECEIVER_POSITION_OFFSET, 4096 * 100);
        final CorruptRegionException refused = assertThrows(CorruptRegionException.class,
            () -> slot.checkAndStoreCounts(11));
        assertEquals("channel[log].slot[5].logPosition", refused.field());
        assertEquals(List.of("slot[5].logPosition"), failures.marked());
    }

    @Test
    void theStateOfAnotherOwnerIsNotThisSubscribers()
    {
        slot.beginTetheredJoin();
        table.putLong(STATE, 0x7770 | LOG_STATE_TETHERED);
        assertEquals(-1, slot.state());
    }
}
