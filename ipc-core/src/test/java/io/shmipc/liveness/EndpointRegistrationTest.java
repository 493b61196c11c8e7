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

    private final RecordingBuffer table = new RecordingBuffer("table", 64 * SLOT_LENGTH);
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

    private static ChannelLayout channel(final ChannelKind kind)
    {
        return ChannelLayout.place(0, new ChannelSpec("orders", kind, 4096, 512), 8 * 4096);
    }

    @Test
    void slotsAreTakenFirstFreeAndTheEndpointIdIsWrittenLast()
    {
        final Holder process = new Holder();
        final ChannelLayout channel = channel(ChannelKind.MANY_TO_ONE);
        final long before = System.currentTimeMillis();
        final EndpointRegistration first = process.register(channel, ROLE_PUBLISHER);
        final EndpointRegistration second = process.register(channel, ROLE_SUBSCRIBER);
        assertEquals(0, first.slot());
        assertEquals(1, second.slot());
        assertNotEquals(0, first.endpointId() & ~WAIT_FLAGS, "never an empty wait tag");
        assertEquals(first.endpointId(), table.getLong(ENDPOINT_ID_OFFSET));
        assertEquals(ROLE_PUBLISHER, table.getInt(ROLE_OFFSET));
        assertEquals(ROLE_SUBSCRIBER, table.getInt(SLOT_LENGTH + ROLE_OFFSET));
        assertEquals(ProcessHandle.current().pid(), table.getInt(PID_OFFSET));
        assertTrue(table.getLong(ATTACH_TIME_OFFSET) >= before);
        final List<String> log = table.log();
        final int idStore = log.indexOf("table:putLongRelease@" + SLOT_LENGTH + "=" + second.endpointId());
        assertEquals(log.size() - 1, idStore, "the id is the last store into the slot: " + log);
    }

    @Test
    void aClosedEndpointsSlotIsFreeForTheNext()
    {
        final Holder process = new Holder();
        final ChannelLayout channel = channel(ChannelKind.BROADCAST);
        final EndpointRegistration first = process.register(channel, ROLE_SUBSCRIBER);
        process.register(channel, ROLE_SUBSCRIBER);
        first.close();
        first.close();
        assertEquals(0, table.getLong(ENDPOINT_ID_OFFSET));
        assertEquals(0, process.register(channel, ROLE_SUBSCRIBER).slot());
    }

    @ParameterizedTest
    @EnumSource(ChannelKind.class)
    void aNewOwnerZeroesTheReceiverProgressOfItsSlotButOnALogChannelLeavesItToTheSubscriber(final ChannelKind kind)
    {
        final Holder dead = new Holder();
        final ChannelLayout channel = channel(kind);
        dead.register(channel, ROLE_SUBSCRIBER);
        table.putLong(RECEIVER_POSITION_OFFSET, 4096);
        table.putLong(RECEIVER_LOST_OFFSET, 7);
        dead.die();

        assertEquals(0, new Holder().register(channel, ROLE_SUBSCRIBER).slot());
        final boolean log = kind == ChannelKind.PUBLISH_SUBSCRIBE;
        // A log publisher may read the dead subscriber's position until the slot's Log State changes: never 0.
        assertEquals(log ? 4096 : 0, table.getLong(RECEIVER_POSITION_OFFSET), kind.name());
        assertEquals(log ? 7 : 0, table.getLong(RECEIVER_LOST_OFFSET), kind.name());
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

    @Test
    void aFullTableIsRefusedAndGivesTheRoleBack()
    {
        final ChannelLayout channel = channel(ChannelKind.MANY_TO_ONE);
        final Holder process = new Holder();
        final List<EndpointRegistration> publishers = new ArrayList<>();
        for (int i = 0; i < channel.endpointSlots(); i++)
        {
            publishers.add(process.register(channel, ROLE_PUBLISHER));
        }
        final ChannelInUseException full = assertThrows(ChannelInUseException.class,
            () -> process.register(channel, ROLE_SUBSCRIBER));
        assertTrue(full.getMessage().contains("endpoint table full") && full.getMessage().contains("slots=64"),
            full.getMessage());
        publishers.get(17).close();
        assertEquals(17, process.register(channel, ROLE_SUBSCRIBER).slot(), "the subscriber role was given back");
    }

    @Test
    void claimMarksNestAndTheLastIsClearedWithARelease()
    {
        final EndpointRegistration publisher = new Holder().register(channel(ChannelKind.MANY_TO_ONE),
            ROLE_PUBLISHER);
        final int flag = CLAIM_IN_PROGRESS_OFFSET;
        table.log().clear();
        publisher.claimStarted();
        publisher.claimStarted();
        assertEquals(List.of("table:putInt@" + flag + "=1"), table.log(), "the outer claim sets the flag once");
        publisher.claimFinished();
        assertEquals(1, table.getInt(flag), "still held by the outer claim");
        publisher.claimFinished();
        assertEquals(0, table.getInt(flag));
        assertEquals("table:putIntRelease@" + flag + "=0", table.log().get(table.log().size() - 1));
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
