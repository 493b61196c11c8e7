package io.shmipc.tests.channels;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.RegionDumpOnFailure;
import io.shmipc.tests.support.Summary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Eight JVMs call {@code Region.openOrCreate} on one name at the same moment (each waits for {@code GO} on its
 * standard input after starting): exactly one must report that it created the region, and all eight must then
 * exchange messages through it (see {@link OpenOrCreateRacer}), which proves none of them made a region of its
 * own under the same name or attached to a half-built one.
 */
class OpenOrCreateRaceTest
{
    private static final int RACERS = 8;

    @RegisterExtension
    final RegionDumpOnFailure dump = new RegionDumpOnFailure();

    private final ChildProcesses children = new ChildProcesses();
    private final RegionLocation location = dump.watch(RegionLocation.shm("shmipc-test-" + UUID.randomUUID()));

    @AfterEach
    void tearDown()
    {
        children.close();
        Region.delete(location);
    }

    @RepeatedTest(2)
    @Timeout(60)
    void exactlyOneOfEightCreatesAndAllShareTheRegion()
    {
        final List<ChildProcess> racers = new ArrayList<>();
        for (int id = 0; id < RACERS; id++)
        {
            racers.add(children.start(OpenOrCreateRacer.class, "region=" + ChildArguments.format(location),
                "id=" + id, "racers=" + RACERS));
        }
        for (final ChildProcess racer : racers)
        {
            racer.awaitLineStartingWith("READY ", Duration.ofSeconds(40));
        }
        for (final ChildProcess racer : racers)
        {
            racer.send("GO");
        }

        final List<Integer> creators = new ArrayList<>();
        for (int id = 0; id < RACERS; id++)
        {
            final Summary opened = Summary.parse(racers.get(id).awaitLineStartingWith("OPENED ",
                Duration.ofSeconds(30)));
            System.out.println(opened.line());
            if (Boolean.parseBoolean(opened.text("created")))
            {
                creators.add(id);
            }
        }
        assertEquals(1, creators.size(), () -> "racers that report having created the region: " + creators);
        final ChildProcess creator = racers.get(creators.get(0));
        final String allIds = IntStream.range(0, RACERS).mapToObj(String::valueOf).collect(Collectors.joining(","));
        Summary.parse(creator.awaitLineStartingWith("COLLECTED ", Duration.ofSeconds(30))).assertText("ids", allIds);
        for (final ChildProcess racer : racers)
        {
            Summary.parse(racer.awaitLineStartingWith("ACKED ", Duration.ofSeconds(30)))
                .assertValue("creatorPid", creator.pid());
            racer.awaitSuccess(Duration.ofSeconds(10));
        }
        System.out.println("creator: racer " + creators.get(0) + " of " + RACERS);
    }
}
