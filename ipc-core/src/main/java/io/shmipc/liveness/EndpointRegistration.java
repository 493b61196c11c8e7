package io.shmipc.liveness;

import io.shmipc.ChannelKind;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.EndpointDescriptor;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;

import static io.shmipc.layout.EndpointDescriptor.*;

/**
 * One endpoint's place in a channel: the channel's exclusive role when its kind admits one endpoint of that role
 * ({@link ChannelKind#hasSinglePublisher()}, {@link ChannelKind#hasSingleSubscriber()}), and a slot in the role's
 * range of the endpoint table, each held by an OFD lock for as long as the endpoint lives. The static scans answer,
 * from the same locks, which endpoints of a channel are alive.
 */
public final class EndpointRegistration implements AutoCloseable
{
    private final RegionLocks locks;
    private final UnsafeBuffer table;
    private final long roleLockOffset;
    private final long slotLockOffset;
    private final long inUseLockOffset;
    private final int slotOffsetInTable;
    private final long endpointId;
    /**
     * Claim In Progress, addressed directly: a many-to-one publisher sets and clears it around every message, and the
     * table's bounds-checked accessors cost that path a measurable share of its rate (docs/performance.md). The
     * offset is checked once, here.
     */
    private final byte[] claimMarkArray;
    private final long claimMarkAddress;
    private int claimsInProgress;
    private boolean closed;

    private EndpointRegistration(
        final RegionLocks locks,
        final UnsafeBuffer table,
        final long roleLockOffset,
        final long slotLockOffset,
        final long inUseLockOffset,
        final int slotOffsetInTable,
        final long endpointId)
    {
        this.locks = locks;
        this.table = table;
        this.roleLockOffset = roleLockOffset;
        this.slotLockOffset = slotLockOffset;
        this.inUseLockOffset = inUseLockOffset;
        this.slotOffsetInTable = slotOffsetInTable;
        this.endpointId = endpointId;
        table.boundsCheck(slotOffsetInTable + CLAIM_IN_PROGRESS_OFFSET, Integer.BYTES);
        this.claimMarkArray = table.byteArray();
        this.claimMarkAddress = table.addressOffset() + slotOffsetInTable + CLAIM_IN_PROGRESS_OFFSET;
    }

    /**
     * Register an endpoint: take the channel's role if its kind admits one endpoint of that role, then the first
     * free slot of the role's range ({@link ChannelLayout#firstSlot}, as many slots as the kind admits endpoints of
     * the role), and write the slot (its endpoint id last, with a release store). Each role has slots of its own,
     * so one role filling up never locks the other out. The caller holds this process's share of the channel's
     * in-use lock ({@link RegionLocks#acquireShared}); {@link #close()} gives it back, after the slot and the role,
     * and so does the caller itself when this throws.
     *
     * @param region  the region, for messages.
     * @param locks   the region's locks.
     * @param channel the channel.
     * @param table   a buffer over the channel's endpoint table.
     * @param role    {@link EndpointDescriptor#ROLE_PUBLISHER} or {@link EndpointDescriptor#ROLE_SUBSCRIBER}.
     * @return the registration.
     * @throws ChannelInUseException when the role is held by a live endpoint or every slot of the role is taken,
     *                               naming the kind's limit.
     */
    public static EndpointRegistration register(
        final String region,
        final RegionLocks locks,
        final ChannelLayout channel,
        final UnsafeBuffer table,
        final int role)
    {
        final boolean publisher = role == ROLE_PUBLISHER;
        final ChannelKind kind = channel.kind();
        long roleLock = -1;
        if (publisher ? kind.hasSinglePublisher() : kind.hasSingleSubscriber())
        {
            roleLock = channel.roleLockOffset(publisher);
            if (!locks.tryHold(roleLock))
            {
                final String roleName = publisher ? "publisher" : "subscriber";
                throw new ChannelInUseException(region, "channel already has a live " + roleName + ": region=" +
                    region + " channel=" + channel.name() + " kind=" + kind + " admits 1 " + roleName +
                    "; close the other one or wait for its process to exit");
            }
        }
        final int first = channel.firstSlot(publisher);
        final int end = Math.min(first + channel.slotCount(publisher), channel.endpointSlots());
        final ProcessIdentity self = ProcessIdentity.current(); // before any lock: slow the first time in a JVM
        for (int slot = first; slot < end; slot++)
        {
            final long slotLock = channel.slotOffset(slot);
            final int offset = slot * SLOT_LENGTH;
            clearDeadOwner(locks, table, offset, slotLock, kind);
            if (locks.tryHold(slotLock))
            {
                // At once: a dead former owner's id must not look alive under this lock while the slot is written.
                table.putLongRelease(offset + ENDPOINT_ID_OFFSET, 0);
                final long endpointId = newEndpointId();
                writeSlot(table, offset, role, endpointId, kind, self);
                return new EndpointRegistration(locks, table, roleLock, slotLock, channel.inUseLockOffset(), offset,
                    endpointId);
            }
        }
        if (roleLock >= 0)
        {
            locks.release(roleLock);
        }
        final String roleName = publisher ? "publisher" : "subscriber";
        throw new ChannelInUseException(region, "channel has no free " + roleName + " slot: region=" + region +
            " channel=" + channel.name() + " kind=" + kind + " admits " + channel.slotCount(publisher) + " " +
            roleName + (channel.slotCount(publisher) == 1 ? "" : "s") + " (slots " + first + "-" + (end - 1) +
            "), all held by live endpoints; close one or wait for its process to exit");
    }

    /**
     * Clear what a dead endpoint left in a free slot before its lock is taken, so that it never shows under a held
     * lock, where peers take it for a live endpoint's: its id (a service client looking for its server would address
     * requests to the dead one), and a log subscriber's Log State (the log's publisher would wait for the dead
     * subscriber's position, or its join, until the new owner's own join). Compare-and-set: what another registrant
     * that took the lock meanwhile wrote stays.
     */
    private static void clearDeadOwner(final RegionLocks locks, final UnsafeBuffer table, final int offset,
        final long slotLock, final ChannelKind kind)
    {
        final long id = table.getLongVolatile(offset + ENDPOINT_ID_OFFSET);
        if (id != 0 && !locks.isHeld(slotLock))
        {
            final long logState = table.getLongVolatile(offset + LOG_STATE_OFFSET);
            // Only the dead owner's own state (its tag): a registrant that took the slot since has written its own.
            if (kind == ChannelKind.PUBLISH_SUBSCRIBE && (logState & ~LOG_STATE_MASK) == subscriberTag(id) &&
                (logState & LOG_STATE_MASK) != LOG_STATE_NONE)
            {
                table.compareAndSetLong(offset + LOG_STATE_OFFSET, logState,
                    (logState & ~LOG_STATE_MASK) | LOG_STATE_NONE);
            }
            table.compareAndSetLong(offset + ENDPOINT_ID_OFFSET, id, 0);
        }
    }

    /**
     * Write a slot's fields, the endpoint id last with a release store.
     */
    private static void writeSlot(final UnsafeBuffer table, final int offset, final int role, final long endpointId,
        final ChannelKind kind, final ProcessIdentity self)
    {
        final long now = System.currentTimeMillis();
        table.putInt(offset + ROLE_OFFSET, role);
        table.putInt(offset + PID_OFFSET, self.pid());
        table.putLong(offset + START_TIME_OFFSET, self.startTime());
        table.putLong(offset + BOOT_ID_OFFSET, self.bootId().getMostSignificantBits());
        table.putLong(offset + BOOT_ID_OFFSET + Long.BYTES, self.bootId().getLeastSignificantBits());
        table.putLong(offset + HEARTBEAT_OFFSET, now);
        table.putLong(offset + ATTACH_TIME_OFFSET, now);
        table.putInt(offset + CLAIM_IN_PROGRESS_OFFSET, 0);
        if (kind != ChannelKind.PUBLISH_SUBSCRIBE)
        {
            // A log publisher may still read a dead former owner's position until it sees the slot's Log State
            // change: the new owner writes its own as it joins.
            table.putLong(offset + RECEIVER_POSITION_OFFSET, 0);
            table.putLong(offset + RECEIVER_LOST_OFFSET, 0);
        }
        table.putLongRelease(offset + ENDPOINT_ID_OFFSET, endpointId);
    }

    /**
     * This endpoint's slot in the channel's endpoint table.
     *
     * @return the slot index.
     */
    public int slot()
    {
        return slotOffsetInTable / SLOT_LENGTH;
    }

    /**
     * This endpoint's random id.
     *
     * @return the id written in its slot.
     */
    public long endpointId()
    {
        return endpointId;
    }

    /**
     * Write the heartbeat time into the slot (information for tools; liveness is the lock).
     *
     * @param nowMs milliseconds since the epoch.
     */
    public void heartbeat(final long nowMs)
    {
        table.putLongRelease(slotOffsetInTable + HEARTBEAT_OFFSET, nowMs);
    }

    /**
     * The Endpoint Id the slot holds now: this endpoint's while it is registered, since no one else writes it while
     * the slot's lock is held; another value is damage (peers would take another endpoint for this one, as a
     * service's clients take the server id from its slot).
     *
     * @return the id in the slot.
     */
    public long endpointIdInSlot()
    {
        return table.getLongVolatile(slotOffsetInTable + ENDPOINT_ID_OFFSET);
    }

    /**
     * Write a broadcast receiver's progress into the slot (information for tools).
     *
     * @param nextSequence the broadcast sequence of the next message the receiver expects.
     * @param lost         messages it lost to lapping so far.
     */
    public void receiverProgress(final long nextSequence, final long lost)
    {
        table.putLongRelease(slotOffsetInTable + RECEIVER_LOST_OFFSET, lost);
        table.putLongRelease(slotOffsetInTable + RECEIVER_POSITION_OFFSET, nextSequence + 1);
    }

    /**
     * Mark a claim in progress; call before claiming space in the ring. Marks nest: only the outermost sets the
     * flag, so an offer made while a claim of this endpoint is held leaves the flag set for the held claim.
     */
    public void claimStarted()
    {
        if (claimsInProgress++ == 0)
        {
            UnsafeApi.putInt(claimMarkArray, claimMarkAddress, 1);
        }
    }

    /**
     * Mark a claim finished; call after commit or abort. The flag is cleared (release store) when the outermost
     * claim finishes.
     */
    public void claimFinished()
    {
        if (--claimsInProgress == 0)
        {
            UnsafeApi.putIntRelease(claimMarkArray, claimMarkAddress, 0);
        }
    }

    /**
     * Free the slot, the role and this endpoint's share of the channel's in-use lock. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        claimsInProgress = 0;
        table.putInt(slotOffsetInTable + CLAIM_IN_PROGRESS_OFFSET, 0);
        table.putLongRelease(slotOffsetInTable + ENDPOINT_ID_OFFSET, 0);
        locks.release(slotLockOffset);
        if (roleLockOffset >= 0)
        {
            locks.release(roleLockOffset);
        }
        locks.releaseShared(inUseLockOffset);
    }

    /**
     * Count the live endpoints of a role in a channel: slots whose lock is held and whose role matches. Once the
     * region's locks are closed the answer is 0, without a probe on a closed descriptor.
     *
     * @param locks   the region's locks.
     * @param channel the channel.
     * @param table   a buffer over the channel's endpoint table.
     * @param role    the role to count.
     * @return live endpoints.
     */
    public static int countAlive(
        final RegionLocks locks, final ChannelLayout channel, final UnsafeBuffer table, final int role)
    {
        synchronized (locks)
        {
            if (locks.isClosed())
            {
                return 0;
            }
            int alive = 0;
            for (int slot = 0; slot < channel.endpointSlots(); slot++)
            {
                final int offset = slot * SLOT_LENGTH;
                if (table.getLongVolatile(offset + ENDPOINT_ID_OFFSET) != 0 &&
                    table.getInt(offset + ROLE_OFFSET) == role && locks.isHeld(channel.slotOffset(slot)))
                {
                    alive++;
                }
            }
            return alive;
        }
    }

    /**
     * Whether any live publisher of the channel has a claim in progress. When a ring is stuck on an uncommitted
     * record and this is false, the record's owner is dead.
     *
     * @param locks   the region's locks.
     * @param channel the channel.
     * @param table   a buffer over the channel's endpoint table.
     * @return true when a live publisher may still commit.
     */
    public static boolean anyLiveClaim(final RegionLocks locks, final ChannelLayout channel, final UnsafeBuffer table)
    {
        for (int slot = 0; slot < channel.endpointSlots(); slot++)
        {
            final int offset = slot * SLOT_LENGTH;
            if (table.getIntVolatile(offset + CLAIM_IN_PROGRESS_OFFSET) != 0 &&
                table.getInt(offset + ROLE_OFFSET) == ROLE_PUBLISHER && locks.isHeld(channel.slotOffset(slot)))
            {
                return true;
            }
        }
        return false;
    }

    private static long newEndpointId()
    {
        long id;
        do
        {
            id = ThreadLocalRandom.current().nextLong();
        }
        while ((id & ~LOG_STATE_MASK) == 0); // never 0, and never an empty wait or subscriber tag
        return id;
    }
}
