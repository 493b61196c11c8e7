package io.shmipc.tests.cli;

import io.shmipc.examples.support.DoneLine;
import io.shmipc.tests.anonymous.AnonymousHolderMain;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.ChildJvms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tools and the quick start with anonymous regions: {@code list} shows the anonymous region a running process
 * holds, with its pid and descriptor; {@code stat} and {@code peek} inspect it by {@code /proc/<pid>/fd/<fd>} and
 * by {@code anon:<label>}; {@code rm} refuses it (it has no name); {@code demo --anonymous} runs its five
 * processes over an anonymous region they were handed.
 */
@Timeout(180)
class AnonymousToolsTest extends CliTestBase
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void listAndStatShowAnAnonymousRegionAndItsHolder()
    {
        final String label = "tools-" + UUID.randomUUID().toString().substring(0, 8);
        try (ChildProcess holder = ChildJvms.start(AnonymousHolderMain.class, "create-dumpable", label, "65536",
            "holder"))
        {
            final String ready = holder.awaitLineStartingWith("holder READY ", WAIT);
            final String fd = ready.replaceAll(".* fd=(\\d+) .*", "$1");
            final String descriptor = "/proc/" + holder.pid() + "/fd/" + fd;
            holder.send("SEND hello");
            holder.awaitLineStartingWith("holder SENT", WAIT);

            final ChildProcess json = shmIpc("list", "--json", "--no-shm");
            assertExit(json, 0);
            final String line = json.lines().stream().filter(text -> text.contains("\"anon:" + label + "\""))
                .findFirst().orElseThrow(() -> new AssertionError("not listed: " + json.output()));
            assertTrue(line.contains("\"holders\":[\"" + holder.pid() + ":" + fd + "\"]"), line);
            assertTrue(line.contains("\"path\":\"" + descriptor + "\"") && line.contains("\"state\":\"live\""), line);

            final ChildProcess table = shmIpc("list", "--no-shm");
            assertExit(table, 0);
            assertTrue(table.output().contains("anon:" + label + " " + descriptor), table.output());

            for (final String region : new String[] {descriptor, "anon:" + label})
            {
                final ChildProcess stat = shmIpc("stat", region, "--wide");
                assertExit(stat, 0);
                assertTrue(stat.output().contains("MANY_TO_ONE") &&
                    stat.output().contains("publisher  slot 0  pid " + holder.pid()), stat.output());
            }
            for (final String region : new String[] {descriptor, "anon:" + label})
            {
                final ChildProcess peek = shmIpc("peek", region);
                assertExit(peek, 0);
                assertTrue(peek.output().contains("1 message") && peek.output().contains("hello"), peek.output());
            }
            final ChildProcess rm = shmIpc("rm", descriptor);
            assertExit(rm, 1);
            assertTrue(rm.output().contains("has no name to remove"), rm.output());
            holder.send("EXIT");
            holder.awaitSuccess(WAIT);
        }
        final ChildProcess gone = shmIpc("stat", "anon:" + label);
        assertExit(gone, 1);
        assertTrue(gone.output().contains("no running process"), gone.output());
    }

    /**
     * A tool given an anonymous region that no process handed it creates no private region of its own (where what it
     * sends would reach nobody): it says the hand-off is missing and sends nothing.
     */
    @Test
    void aToolGivenAnAnonymousRegionNobodyHandedItSaysSoAndSendsNothing()
    {
        final ChildProcess send = shmIpc("send", "--region", "anon:nobody-handed-it", "--count", "1");
        assertExit(send, 1);
        assertTrue(send.output().contains("no anonymous region anon:nobody-handed-it was handed to this process: " +
            "the environment variable SHMIPC_REGION_nobody-handed-it is not set"), send.output());
        assertFalse(send.output().contains("sent=1"), send.output());
        final ChildProcess receive = shmIpc("receive", "--region", "anon:nobody-handed-it", "--timeout", "30s");
        assertExit(receive, 1);
        assertTrue(receive.output().contains("SHMIPC_REGION_nobody-handed-it is not set"), receive.output());
    }

    @Test
    void theQuickStartRunsOverAnAnonymousRegion()
    {
        final ChildProcess demo = shmIpc("demo", "--anonymous", "--messages", "20000", "--round-trips", "2000",
            "--warmup", "500");
        final Map<String, String> done = DoneLine.parse(demo.awaitLine(line -> line.startsWith("[demo ") &&
            line.contains("] " + DoneLine.MARKER), RUN));
        assertExit(demo, 0);
        assertEquals(40_000, number(done, "received"));
        assertEquals("true", done.get("region-deleted"));
        assertTrue(demo.output().contains("freed with its last holder"), demo.output());
        assertTrue(demo.output().contains("--region anon:shm-ipc-demo-"), demo.output());
        final ChildProcess both = shmIpc("demo", "--anonymous", "--region", "x");
        assertExit(both, 2);
    }
}
