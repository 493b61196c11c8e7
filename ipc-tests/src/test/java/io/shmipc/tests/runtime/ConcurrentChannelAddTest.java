package io.shmipc.tests.runtime;

import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.Region;
import io.shmipc.RegionDirectory;
import io.shmipc.RegionConfig;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Eight processes add sixteen channels each to a live region at the same moment, while two others play ping-pong on
 * channels the region was created with. Every shared name is added once and opened by the others, the name asked for
 * with eight different specs is added once and refused to the other seven with the typed error naming the
 * difference, every process ends up seeing the same directory, and the ping-pong loses nothing and never stalls.
 */
class ConcurrentChannelAddTest extends RuntimeTestBase
{
    ConcurrentChannelAddTest()
    {
        super("shmipc-add");
    }

    private static final int PROCESSES = 8;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    @Timeout(300)
    void eightProcessesRacingToAddChannelsAgreeOnOneDirectory()
    {
        final int channels = 2 + ChannelAdderMain.SHARED + 1 + PROCESSES * ChannelAdderMain.OWN;
        try (Region region = Region.create(RegionConfig.builder(location)
            .channel("ping", ChannelKind.ONE_TO_ONE, 4096)
            .channel("pong", ChannelKind.ONE_TO_ONE, 4096)
            .maxChannels(channels)
            .dataAreaLength(channels * RegionDirectory.channelAreaLength(ChannelKind.ONE_TO_ONE, 1024 << PROCESSES))
            .build()))
        {
            final String regionArgument = "region=" + ChildArguments.format(location);
            final ChildProcess pong = children.start(PingPongMain.class, regionArgument, "role=pong");
            final ChildProcess ping = children.start(PingPongMain.class, regionArgument, "role=ping");
            final List<ChildProcess> adders = new ArrayList<>();
            for (int id = 0; id < PROCESSES; id++)
            {
                adders.add(children.start(ChannelAdderMain.class, regionArgument, "id=" + id));
            }
            for (final ChildProcess adder : adders)
            {
                adder.awaitLineStartingWith("READY", WAIT);
            }
            ping.awaitLineStartingWith("RUNNING", WAIT);
            adders.forEach(adder -> adder.send("GO"));

            int added = 0;
            final Set<String> refusals = new HashSet<>();
            for (final ChildProcess adder : adders)
            {
                final String line = adder.awaitLineStartingWith("ADDED ", WAIT);
                final Summary summary = Summary.parse(line);
                summary.assertValue("shared", ChannelAdderMain.SHARED).assertValue("own", ChannelAdderMain.OWN);
                if (line.contains("contested=added"))
                {
                    added++;
                }
                else
                {
                    assertTrue(line.contains("contested=mismatch differences=capacity="), line);
                    refusals.add(line);
                }
            }
            assertEquals(1, added, "one process adds the contested name, the others are refused");
            assertEquals(PROCESSES - 1, refusals.size());

            adders.forEach(adder -> adder.send("LIST"));
            final Set<String> directories = new HashSet<>();
            for (final ChildProcess adder : adders)
            {
                directories.add(adder.awaitLineStartingWith("DIRECTORY ", WAIT));
                adder.awaitSuccess(WAIT);
            }
            assertEquals(1, directories.size(), "every process sees the same directory: " + directories);
            final List<ChannelSpec> present = region.channels();
            assertEquals(channels, present.size(), "each shared name once: " + present);
            assertEquals(channels, present.stream().map(ChannelSpec::name).distinct().count());
            for (int k = 0; k < ChannelAdderMain.SHARED; k++)
            {
                assertTrue(directories.iterator().next().contains("shared-" + k + ":MANY_TO_ONE:" +
                    ChannelAdderMain.SHARED_CAPACITY + ":"));
            }

            ping.send("STOP");
            final Summary pinged = Summary.parse(ping.awaitLineStartingWith("PINGED ", WAIT));
            pinged.assertValue("wrong", 0);
            assertTrue(pinged.number("roundTrips") > 1000, ping.output());
            ping.awaitSuccess(WAIT);
            pong.awaitSuccess(WAIT);
        }
    }
}
