package io.shmipc.tests.faults;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.shmipc.tests.faults.FaultSupport.START_TIMEOUT;
import static io.shmipc.tests.faults.FaultSupport.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The endpoint limits hold exactly, across processes, whichever role fills up first: a {@code MANY_TO_ONE}
 * channel admits 63 publishers and one subscriber, a {@code BROADCAST} channel one transmitter and 63 receivers (a
 * {@code PUBLISH_SUBSCRIBE} channel likewise one publisher and 63 subscribers), a {@code ONE_TO_ONE} channel one of
 * each. One role filling up never locks the other out, one endpoint more of a
 * full role is refused with {@link ChannelInUseException} naming the limit, and the slots of a process killed with
 * {@code SIGKILL} are free again at once. Each role's endpoints are held by two child JVMs; this JVM asks for more.
 */
class EndpointExhaustionTest
{
    private static final int CAPACITY = 64 * 1024;

    private final ChildProcesses children = new ChildProcesses();
    private final RegionLocation location = RegionLocation.shm(FaultSupport.uniqueName("limits"));

    @AfterEach
    void tearDown()
    {
        children.close();
        FaultSupport.deleteQuietly(location);
    }

    static Stream<Arguments> orders()
    {
        final List<Arguments> orders = new ArrayList<>();
        for (final ChannelKind kind : ChannelKind.values())
        {
            orders.add(Arguments.of(kind, "publisher"));
            orders.add(Arguments.of(kind, "subscriber"));
        }
        return orders.stream();
    }

    @ParameterizedTest(name = "{0}, {1}s first")
    @MethodSource("orders")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void eachRoleGetsExactlyItsLimitWhicheverFillsFirst(final ChannelKind kind, final String firstRole)
    {
        final String secondRole = firstRole.equals("publisher") ? "subscriber" : "publisher";
        final String channel = kind.name().toLowerCase(Locale.ROOT);
        try (Region region = Region.create(RegionConfig.builder(location).channel(channel, kind, CAPACITY).build()))
        {
            final List<ChildProcess> firstHolders = fill(channel, firstRole, limit(kind, firstRole));
            assertRefused(region, channel, kind, firstRole);
            fill(channel, secondRole, limit(kind, secondRole));
            assertRefused(region, channel, kind, firstRole);
            assertRefused(region, channel, kind, secondRole);

            // A killed holder's slots are free at once, and only as many as it held.
            final ChildProcess killed = firstHolders.get(0);
            final int freed = Integer.parseInt(killed.awaitLineStartingWith("HOLDING ", STEP_TIMEOUT).split(" ")[1]);
            killed.kill();
            final List<AutoCloseable> replacements = new ArrayList<>();
            for (int i = 0; i < freed; i++)
            {
                replacements.add(open(region, channel, firstRole));
            }
            assertRefused(region, channel, kind, firstRole);
        }
    }

    private static int limit(final ChannelKind kind, final String role)
    {
        final boolean publisher = role.equals("publisher");
        return switch (kind)
        {
            case ONE_TO_ONE -> 1;
            case MANY_TO_ONE -> publisher ? 63 : 1;
            case BROADCAST, PUBLISH_SUBSCRIBE -> publisher ? 1 : 63;
        };
    }

    /** Open {@code count} endpoints of a role, split between two child JVMs (one when the limit is one). */
    private List<ChildProcess> fill(final String channel, final String role, final int count)
    {
        final List<ChildProcess> holders = new ArrayList<>();
        final int firstShare = (count + 1) / 2;
        holders.add(children.start(EndpointFillerMain.class, location.shmName(), channel, role,
            Integer.toString(firstShare)));
        if (count > firstShare)
        {
            holders.add(children.start(EndpointFillerMain.class, location.shmName(), channel, role,
                Integer.toString(count - firstShare)));
        }
        for (final ChildProcess holder : holders)
        {
            final String line = holder.awaitLine(text -> text.startsWith("HOLDING ") || text.startsWith("REFUSED "),
                START_TIMEOUT);
            assertTrue(line.startsWith("HOLDING "), () -> role + "s below the limit " + count + " refused: " + line);
        }
        return holders;
    }

    private static void assertRefused(final Region region, final String channel, final ChannelKind kind,
        final String role)
    {
        final ChannelInUseException refused = assertThrows(ChannelInUseException.class,
            () -> open(region, channel, role), () -> "one " + role + " more than a " + kind + " channel admits");
        final int limit = limit(kind, role);
        final String admits = "admits " + limit + " " + role + (limit == 1 ? "" : "s");
        assertTrue(refused.getMessage().contains(admits) && refused.getMessage().contains("channel=" + channel),
            refused.getMessage());
    }

    private static AutoCloseable open(final Region region, final String channel, final String role)
    {
        return role.equals("publisher") ? region.publisher(channel) : region.subscriber(channel);
    }
}
