package io.shmipc.service;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pending table against a hash map doing the same random adds, removals, expiries and server failures: after
 * every step they hold the same requests, so deletion by backward shift never loses an entry behind it.
 */
class PendingRequestsTest
{
    @Test
    void behavesLikeAMapUnderRandomOperations()
    {
        final long seed = System.nanoTime();
        final Random random = new Random(seed);
        final PendingRequests pending = new PendingRequests(64);
        final Map<Long, long[]> model = new HashMap<>();
        long nextId = 1;
        long now = 0;
        for (int step = 0; step < 200_000; step++)
        {
            now += random.nextInt(10);
            final int operation = random.nextInt(10);
            if (operation < 5 && !pending.isFull())
            {
                final long id = nextId++;
                final long server = 1 + random.nextInt(3);
                final long deadline = now + 50 + random.nextInt(500);
                pending.add(id, deadline, server);
                model.put(id, new long[] {deadline, server});
            }
            else if (operation < 8)
            {
                final long id = Math.max(1, nextId - 1 - random.nextInt(80));
                assertEquals(model.remove(id) != null, pending.remove(id), "remove " + id + " seed " + seed);
            }
            else if (operation == 8)
            {
                final long id = pending.removeExpired(now);
                if (id != 0)
                {
                    final long[] entry = model.remove(id);
                    assertNotNull(entry, "seed " + seed);
                    assertTrue(now - entry[0] >= 0, "expired only: seed " + seed);
                }
                else
                {
                    for (final long[] entry : model.values())
                    {
                        assertTrue(now - entry[0] < 0, "nothing left expired: seed " + seed);
                    }
                }
            }
            else
            {
                final long live = 1 + random.nextInt(3);
                long id;
                while ((id = pending.removeNotSentTo(live)) != 0)
                {
                    assertNotEquals(live, model.remove(id)[1], "seed " + seed);
                }
                model.values().forEach(entry -> assertEquals(live, entry[1], "seed " + seed));
            }
            assertEquals(model.size(), pending.size(), "seed " + seed);
            if (step % 1000 == 0)
            {
                for (final Long id : model.keySet())
                {
                    assertTrue(pending.contains(id), "id " + id + " seed " + seed);
                }
            }
        }
    }

    @Test
    void theEarliestDeadlineBoundsTheLookForTimeouts()
    {
        final PendingRequests pending = new PendingRequests(4);
        assertFalse(pending.mayHaveExpired(100));
        pending.add(1, 500, 9);
        pending.add(2, 300, 9);
        assertEquals(300, pending.earliestDeadline());
        assertFalse(pending.mayHaveExpired(299));
        assertTrue(pending.mayHaveExpired(300));
        assertEquals(2, pending.removeExpired(300));
        assertEquals(0, pending.removeExpired(300));
        assertEquals(500, pending.earliestDeadline(), "recomputed once nothing else had expired");
        pending.add(3, 700, 9);
        pending.add(4, 800, 9);
        pending.add(5, 900, 9);
        assertTrue(pending.isFull());
    }

    /**
     * A request that never times out (a timeout of 2^62 ns or more, as {@code ChronoUnit.FOREVER} gives) added after
     * a near deadline has passed does not hide it: its deadline, added to the clock, would wrap around and pass for
     * the earliest one, already due.
     */
    @Test
    void aRequestThatNeverTimesOutDoesNotHideOneThatIsDue()
    {
        final long sent = -5_000_000_000L; // the clock's origin is arbitrary: near the wrap is as good as anywhere
        final PendingRequests pending = new PendingRequests(4);
        pending.add(1, PendingRequests.deadline(sent, 1_000_000), 9);
        final long now = sent + 20_000_000;
        assertEquals(PendingRequests.NO_DEADLINE, PendingRequests.deadline(now, Long.MAX_VALUE));
        assertEquals(PendingRequests.NO_DEADLINE, PendingRequests.deadline(now, PendingRequests.NEVER_NS));
        assertEquals(now + PendingRequests.NEVER_NS - 1, PendingRequests.deadline(now, PendingRequests.NEVER_NS - 1));
        pending.add(2, PendingRequests.deadline(now, Long.MAX_VALUE), 9);
        assertEquals(sent + 1_000_000, pending.earliestDeadline());
        assertTrue(pending.mayHaveExpired(now));
        assertEquals(1, pending.removeExpired(now));
        assertEquals(0, pending.removeExpired(Long.MAX_VALUE), "never, whatever the clock says");
        assertEquals(PendingRequests.NO_DEADLINE, pending.earliestDeadline());
        assertFalse(pending.mayHaveExpired(now + Long.MAX_VALUE));
        assertTrue(pending.contains(2));
    }
}
