package io.shmipc.liveness;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import io.shmipc.testing.RecordingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.shmipc.layout.EndpointDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Endpoint registration with real OFD locks on a temporary file. Each {@link Holder} opens the file twice (one
 * open file description holding locks, one probing), so two holders see each other's locks exactly as two
 * processes would, and closing a holder's descriptors is a process dying: the kernel drops its locks.
 */
class EndpointRegistrationTest
{
    @TempDir
    Path directory;

    /** Told of every access to {@link #table} as it is logged. */
    private Consumer<String> onAccess = entry ->
    {
    };
    private final RecordingBuffer table = new RecordingBuffer("table", 64 * SLOT_LENGTH, new ArrayList<>()
    {
        @Override
        public boolean add(final String entry)
        {
            onAccess.accept(entry);
            return super.add(entry);
        }
    });
    private final List<Holder> holders = new ArrayList<>();

    @AfterEach
    void closeHolders()
    {
        holders.forEach(Holder::die);
    }

    /** One process's view of the file: its locks and the descriptors behind them. */
    private final class Holder
    {
        final int lockFd;
        final int probeFd;
        final RegionLocks locks;
        boolean dead;

        Holder()
        {
            final String path = directory.resolve("region").toString();
            lockFd = Posix.open(path, PosixPlatform.O_RDWR | PosixPlatform.O_CREAT | PosixPlatform.O_CLOEXEC, 0600,
                "test");
            probeFd = Posix.open(path, PosixPlatform.O_RDONLY | PosixPlatform.O_CLOEXEC, 0, "test");
            locks = new RegionLocks("test", lockFd, probeFd);
            holders.add(this);
        }

        EndpointRegistration register(final ChannelLayout channel, final int role)
        {
            return EndpointRegistration.register("test", locks, channel, table, role);
        }

        void die()
        {
            if (!dead)
            {
                dead = true;
                Posix.close(probeFd, "test");
                Posix.close(lockFd, "test");
            }
        }
    }

    /**
     * A subscriber registered by a process that then died: its slot keeps what it wrote, its lock is free.
     */
    private EndpointRegistration deadSubscriber(final ChannelLayout channel)
    {
        final Holder dead = new Holder();
        final EndpointRegistration subscriber = dead.register(channel, ROLE_SUBSCRIBER);
        dead.die();
        return subscriber;
    }

    private static ChannelLayout channel(final ChannelKind kind)
    {
        return ChannelLayout.place(0, new ChannelSpec("orders", kind, 4096, 512), 8 * 4096);
    }

    @Test
    void slotsAreTakenFirstFreeInTheRolesRangeAndTheEndpointIdIsWrittenLast()
    {
        final Holder process = new Holder();
        final ChannelLayout channel = channel(ChannelKind.MANY_TO_ONE);
        final long before = System.currentTimeMillis();
        final EndpointRegistration first = process.register(channel, ROLE_PUBLISHER);
        final EndpointRegistration second = process.register(channel, ROLE_SUBSCRIBER);
        final EndpointRegistration third = process.register(channel, ROLE_PUBLISHER);
        assertEquals(0, first.slot());
        assertEquals(63, second.slot(), "the subscriber's slot comes after the 63 publishers' slots");
        assertEquals(1, third.slot());
        assertNotEquals(0, first.endpointId() & ~WAIT_FLAGS, "never an empty wait tag");
        assertEquals(first.endpointId(), table.getLong(ENDPOINT_ID_OFFSET));
        assertEquals(ROLE_PUBLISHER, table.getInt(ROLE_OFFSET));
        assertEquals(ROLE_SUBSCRIBER, table.getInt(63 * SLOT_LENGTH + ROLE_OFFSET));
        assertEquals(ProcessHandle.current().pid(), table.getInt(PID_OFFSET));
        assertTrue(table.getLong(ATTACH_TIME_OFFSET) >= before);
        final List<String> log = table.log();
        final int idStore = log.indexOf("table:putLongRelease@" + SLOT_LENGTH + "=" + third.endpointId());
        assertEquals(log.size() - 1, idStore, "the id is the last store into the slot: " + log);
    }

    @Test
    void aDeadOwnersIdIsClearedBeforeTheSlotsLockIsTaken()
    {
        // Under a held lock, the dead owner's id would look alive to a peer looking for a live endpoint (a service
        // client for its server) until the new owner cleared it.
        final ChannelLayout channel = channel(ChannelKind.MANY_TO_ONE);
        final int slot = deadSubscriber(channel).slot();
        final int idOffset = slot * SLOT_LENGTH + ENDPOINT_ID_OFFSET;
        assertNotEquals(0, table.getLong(idOffset));
        final Holder observer = new Holder();
        final List<Boolean> lockedWhenCleared = new ArrayList<>();
        onAccess = entry ->
        {
            if (entry.startsWith("table:putLongRelease@" + idOffset + "=0") ||
                entry.equals("table:compareAndSetLong@" + idOffset + "=0"))
            {
                lockedWhenCleared.add(observer.locks.isHeld(channel.slotOffset(slot)));
            }
        };
        assertEquals(slot, new Holder().register(channel, ROLE_SUBSCRIBER).slot());
        assertFalse(lockedWhenCleared.isEmpty(), "the dead owner's id was cleared");
        assertFalse(lockedWhenCleared.get(0), "first while the slot's lock was free: " + lockedWhenCleared);
    }

    @Test
    void aDeadLogSubscribersStateIsClearedBeforeTheSlotsLockIsTaken()
    {
        // Under a held lock, the dead subscriber's TETHERED state and position would hold the log's publisher back
        // until the new owner's join wrote its own state: for as long as that join ran, or its process was stopped.
        final ChannelLayout channel = channel(ChannelKind.PUBLISH_SUBSCRIBE);
        final EndpointRegistration subscriber = deadSubscriber(channel);
        final int offset = subscriber.slot() * SLOT_LENGTH;
        final long tag = subscriberTag(subscriber.endpointId());
        table.putLongRelease(offset + LOG_STATE_OFFSET, tag | LOG_STATE_TETHERED);
        final Holder observer = new Holder();
        final List<String> statesUnderTheLock = new ArrayList<>();
        onAccess = entry ->
        {
            if (entry.startsWith("table:") && observer.locks.isHeld(channel.slotOffset(subscriber.slot())))
            {
                statesUnderTheLock.add(Long.toHexString(table.getLong(offset + LOG_STATE_OFFSET)));
            }
        };
        assertEquals(subscriber.slot(), new Holder().register(channel, ROLE_SUBSCRIBER).slot());
        assertFalse(statesUnderTheLock.isEmpty());
        assertEquals(Long.toHexString(tag | LOG_STATE_NONE), statesUnderTheLock.get(0),
            "the dead subscriber's state was NONE once the slot's lock was held");
    }

    @Test
    void onlyTheDeadOwnersOwnLogStateIsCleared()
    {
        // What a registrant delayed between its look at a dead owner's slot and its compare-and-set may find: the
        // state of a subscriber that took the slot meanwhile, under another tag. That one is never touched.
        final ChannelLayout channel = channel(ChannelKind.PUBLISH_SUBSCRIBE);
        final EndpointRegistration subscriber = deadSubscriber(channel);
        final int offset = subscriber.slot() * SLOT_LENGTH;
        final long otherTag = subscriberTag(subscriber.endpointId()) ^ 0x100;
        table.putLongRelease(offset + LOG_STATE_OFFSET, otherTag | LOG_STATE_TETHERED);
        assertEquals(subscriber.slot(), new Holder().register(channel, ROLE_SUBSCRIBER).slot());
        assertEquals(otherTag | LOG_STATE_TETHERED, table.getLong(offset + LOG_STATE_OFFSET));
    }

    @Test
    void aClosedEndpointsSlotIsFreeForTheNext()
    {
        final Holder process = new Holder();
        final ChannelLayout channel = channel(ChannelKind.BROADCAST);
        final EndpointRegistration first = process.register(channel, ROLE_SUBSCRIBER);
        process.register(channel, ROLE_SUBSCRIBER);
        assertEquals(1, first.slot(), "slot 0 is the transmitter's");
        first.close();
        first.close();
        assertEquals(0, table.getLong(first.slot() * SLOT_LENGTH + ENDPOINT_ID_OFFSET));
        assertEquals(first.slot(), process.register(channel, ROLE_SUBSCRIBER).slot());
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aNewOwnerZeroesTheReceiverProgressOfItsSlotButOnALogChannelLeavesItToTheSubscriber(final ChannelKind kind)
    {
        final Holder dead = new Holder();
        final ChannelLayout channel = channel(kind);
        final int slot = dead.register(channel, ROLE_SUBSCRIBER).slot();
        final int offset = slot * SLOT_LENGTH;
        table.putLong(offset + RECEIVER_POSITION_OFFSET, 4096);
        table.putLong(offset + RECEIVER_LOST_OFFSET, 7);
        dead.die();

        assertEquals(slot, new Holder().register(channel, ROLE_SUBSCRIBER).slot());
        final boolean log = kind == ChannelKind.PUBLISH_SUBSCRIBE;
        // A log publisher may read the dead subscriber's position until the slot's Log State changes: never 0.
        assertEquals(log ? 4096 : 0, table.getLong(offset + RECEIVER_POSITION_OFFSET), kind.name());
        assertEquals(log ? 7 : 0, table.getLong(offset + RECEIVER_LOST_OFFSET), kind.name());
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aKindThatAdmitsOneEndpointOfARoleRefusesASecondInAnyProcess(final ChannelKind kind)
    {
        final ChannelLayout channel = channel(kind);
        final Holder one = new Holder();
        final Holder other = new Holder();
        one.register(channel, ROLE_PUBLISHER);
        one.register(channel, ROLE_SUBSCRIBER);
        for (final Holder process : List.of(one, other))
        {
            assertAdmits(!kind.hasSinglePublisher(), () -> process.register(channel, ROLE_PUBLISHER), kind);
            assertAdmits(!kind.hasSingleSubscriber(), () -> process.register(channel, ROLE_SUBSCRIBER), kind);
        }
    }

    private static void assertAdmits(final boolean admitted, final Runnable register, final ChannelKind kind)
    {
        if (admitted)
        {
            register.run();
        }
        else
        {
            final ChannelInUseException refused = assertThrows(ChannelInUseException.class, register::run);
            assertTrue(refused.getMessage().contains("channel=orders kind=" + kind), refused.getMessage());
        }
    }

    @Test
    void aRoleIsFreeOnceItsHolderClosesOrDies()
    {
        final ChannelLayout channel = channel(ChannelKind.ONE_TO_ONE);
        final Holder one = new Holder();
        final Holder other = new Holder();
        one.register(channel, ROLE_PUBLISHER).close();
        other.register(channel, ROLE_PUBLISHER);
        assertThrows(ChannelInUseException.class, () -> one.register(channel, ROLE_PUBLISHER));
        other.die();
        one.register(channel, ROLE_PUBLISHER);
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void eachRoleGetsExactlyItsLimitWhicheverRoleFillsFirst(final ChannelKind kind)
    {
        for (final boolean publishersFirst : List.of(true, false))
        {
            closeHolders();
            holders.clear();
            table.setMemory(0, table.capacity(), (byte)0);
            final ChannelLayout channel = channel(kind);
            final Holder one = new Holder();
            final Holder other = new Holder();
            final int firstRole = publishersFirst ? ROLE_PUBLISHER : ROLE_SUBSCRIBER;
            final int secondRole = publishersFirst ? ROLE_SUBSCRIBER : ROLE_PUBLISHER;
            final List<EndpointRegistration> first = fill(channel, firstRole, limit(kind, firstRole), one, other);
            fill(channel, secondRole, limit(kind, secondRole), other, one);
            for (final int role : List.of(firstRole, secondRole))
            {
                final ChannelInUseException refused = assertThrows(ChannelInUseException.class,
                    () -> other.register(channel, role), kind + " role " + role);
                final String limit = "admits " + limit(kind, role) + " " + (role == ROLE_PUBLISHER ? "publisher" :
                    "subscriber");
                assertTrue(refused.getMessage().contains(limit), refused.getMessage());
            }
            first.get(first.size() - 1).close();
            other.register(channel, firstRole);
        }
    }

    @Test
    void everyKindsLimitsFitTheTable()
    {
        for (final ChannelKind kind : ChannelKind.values())
        {
            assertTrue(kind.maxPublishers() >= 1 && kind.maxSubscribers() >= 1, kind.name());
            assertTrue(kind.maxPublishers() + kind.maxSubscribers() <= channel(kind).endpointSlots(), kind.name());
            assertEquals(kind.maxPublishers() == 1, kind.hasSinglePublisher(), kind.name());
            assertEquals(kind.maxSubscribers() == 1, kind.hasSingleSubscriber(), kind.name());
        }
    }

    private static int limit(final ChannelKind kind, final int role)
    {
        return role == ROLE_PUBLISHER ? kind.maxPublishers() : kind.maxSubscribers();
    }

    /** Register {@code count} endpoints of a role, alternating between two processes. */
    private List<EndpointRegistration> fill(
        final ChannelLayout channel, final int role, final int count, final Holder one, final Holder other)
    {
        final List<EndpointRegistration> registered = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            registered.add((i % 2 == 0 ? one : other).register(channel, role));
        }
        return registered;
    }

    /**
     * The mark is written at an address taken once (docs/performance.md): it lands in the publisher's own slot and
     * nowhere else, and the outermost claim sets and clears it.
     */
    @Test
    void claimMarksNestAndTheLastClearsTheFlag()
    {
        final ChannelLayout channel = channel(ChannelKind.MANY_TO_ONE);
        final Holder holder = new Holder();
        holder.register(channel, ROLE_PUBLISHER);
        final EndpointRegistration publisher = holder.register(channel, ROLE_PUBLISHER);
        final int flag = publisher.slot() * SLOT_LENGTH + CLAIM_IN_PROGRESS_OFFSET;
        final byte[] before = new byte[table.capacity()];
        table.getBytes(0, before);
        publisher.claimStarted();
        publisher.claimStarted();
        assertEquals(1, table.getInt(flag), "the outer claim sets the flag");
        final byte[] marked = new byte[table.capacity()];
        table.getBytes(0, marked);
        marked[flag] = before[flag];
        assertArrayEquals(before, marked, "nothing but the flag in the publisher's own slot is written");
        publisher.claimFinished();
        assertEquals(1, table.getInt(flag), "still held by the outer claim");
        publisher.claimFinished();
        assertEquals(0, table.getInt(flag));
        publisher.claimStarted();
        publisher.close();
        assertEquals(0, table.getInt(flag), "closing clears a claim left marked");
    }

    @Test
    void onlyLiveEndpointsOfTheRoleAreCounted()
    {
        final ChannelLayout channel = channel(ChannelKind.MANY_TO_ONE);
        final Holder one = new Holder();
        final Holder other = new Holder();
        one.register(channel, ROLE_PUBLISHER);
        one.register(channel, ROLE_PUBLISHER).close();
        one.register(channel, ROLE_SUBSCRIBER);
        other.register(channel, ROLE_PUBLISHER);
        other.register(channel, ROLE_PUBLISHER);
        assertEquals(3, EndpointRegistration.countAlive(one.locks, channel, table, ROLE_PUBLISHER));
        assertEquals(1, EndpointRegistration.countAlive(one.locks, channel, table, ROLE_SUBSCRIBER));
        other.die(); // its slots keep their fields, but nobody holds their locks any more
        assertEquals(1, EndpointRegistration.countAlive(one.locks, channel, table, ROLE_PUBLISHER));
        one.locks.close();
        assertEquals(0, EndpointRegistration.countAlive(one.locks, channel, table, ROLE_SUBSCRIBER),
            "no probe once the region's locks are closed");
    }

    @Test
    void aClaimMarkCountsOnlyWhileItsPublisherLives()
    {
        final ChannelLayout channel = channel(ChannelKind.MANY_TO_ONE);
        final Holder one = new Holder();
        final Holder other = new Holder();
        final EndpointRegistration subscriber = one.register(channel, ROLE_SUBSCRIBER);
        table.putInt(subscriber.slot() * SLOT_LENGTH + CLAIM_IN_PROGRESS_OFFSET, 1);
        assertFalse(EndpointRegistration.anyLiveClaim(one.locks, channel, table), "a subscriber's flag is noise");
        final EndpointRegistration publisher = other.register(channel, ROLE_PUBLISHER);
        publisher.claimStarted();
        assertTrue(EndpointRegistration.anyLiveClaim(one.locks, channel, table));
        other.die();
        assertFalse(EndpointRegistration.anyLiveClaim(one.locks, channel, table), "its publisher died mid-claim");
    }
}
