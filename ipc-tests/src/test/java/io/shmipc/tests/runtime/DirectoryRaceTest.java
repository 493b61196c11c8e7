package io.shmipc.tests.runtime;

import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.Summary;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordinary directory work of several processes at once, none killed: two churners at full speed and a slow one
 * (interpreted) add, use and remove channels of their own and share two more, and a slow process attaches and lists
 * in a loop. No operation may fail: not the removal of a channel nobody uses (an open of another channel, through a
 * lookup the churn made stale, passes through its in-use lock), not an attach (a channel removed after the attach read
 * the directory may have given its space to another, whose data are not its positions), not a listing of a slow
 * process that changes overtake at every read, nor that of a slow inspector (the tools' read-only view).
 */
class DirectoryRaceTest extends RuntimeTestBase
{
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final List<String> INTERPRETED = List.of("-Xint");

    DirectoryRaceTest()
    {
        super("shmipc-dirrace");
    }

    @Test
    @Timeout(300)
    void directoryWorkRacingTheSameWorkOfOtherProcessesNeverFails()
    {
        try (Region region = Region.create(RegionConfig.builder(location).maxChannels(7)
            .dataAreaLength(7 * 32 * 1024).build()))
        {
            final String regionArgument = "region=" + ChildArguments.format(location);
            final List<ChildProcess> fast = List.of(
                children.start(DirectoryRaceMain.class, regionArgument, "id=0", "mode=churn"),
                children.start(DirectoryRaceMain.class, regionArgument, "id=1", "mode=churn"));
            final List<ChildProcess> slow = List.of(
                children.start(INTERPRETED, DirectoryRaceMain.class, regionArgument, "id=2", "mode=churn",
                    "rounds=1200"),
                children.start(INTERPRETED, DirectoryRaceMain.class, regionArgument, "id=3", "mode=attach",
                    "rounds=3000"),
                children.start(INTERPRETED, DirectoryRaceMain.class, regionArgument, "id=4", "mode=inspect",
                    "rounds=3000"));
            fast.forEach(child -> child.awaitLineStartingWith("READY", WAIT));
            final List<String> failures = new ArrayList<>();
            long cycles = 0;
            for (final ChildProcess child : slow)
            {
                cycles += raced(child, failures);
            }
            fast.forEach(child -> child.send("STOP"));
            for (final ChildProcess child : fast)
            {
                cycles += raced(child, failures);
            }
            assertEquals(List.of(), failures);
            assertTrue(cycles > 1000, "the processes raced: " + cycles + " cycles");
            assertTrue(region.channels().stream().noneMatch(channel -> channel.name().startsWith("own-")),
                () -> "every churner removed its own channels: " + region.channels());
        }
    }

    /**
     * The cycles a child ran, once it has stopped; its errors, with the first, go to {@code failures}.
     */
    private static long raced(final ChildProcess child, final List<String> failures)
    {
        final String line = child.awaitLineStartingWith("RACED ", WAIT);
        System.out.println(child + ": " + line);
        final Summary raced = Summary.parse(line);
        if (raced.number("errors") > 0)
        {
            failures.add(child.output());
        }
        child.awaitSuccess(WAIT);
        return raced.number("cycles");
    }
}
