package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shm-ipc send} and {@code receive} in separate processes: exact content, per-sender order, standard input,
 * and the failures a user meets (a layout that does not match, a second receiver).
 */
@Timeout(180)
class SendReceiveTest extends CliTestBase
{
    private static final int COUNT = 300;
    private static final int SIZE = 40;

    @Test
    void twoSendersDeliverExactlyTheirMessagesInOrderToOneReceiver()
    {
        final String region = uniqueRegion("send");
        final ChildProcess receive = shmIpc("receive", "--region", region, "--count", Integer.toString(2 * COUNT),
            "--timeout", "60s");
        receive.awaitLine(line -> line.contains("receiving on channel 'messages' (MANY_TO_ONE)"), STARTUP);
        final ChildProcess alpha = shmIpc("send", "--region", region, "--count", Integer.toString(COUNT), "--size",
            Integer.toString(SIZE), "--name", "alpha");
        final ChildProcess beta = shmIpc("send", "--region", region, "--count", Integer.toString(COUNT), "--size",
            Integer.toString(SIZE), "--name", "beta");

        assertEquals(COUNT, number(result(alpha), "sent"));
        assertEquals(COUNT, number(result(beta), "sent"));
        final Map<String, String> received = result(receive);
        assertEquals(2 * COUNT, number(received, "received"));
        assertEquals("count", received.get("stop"));
        assertExit(receive, 0);
        assertExit(alpha, 0);
        assertExit(beta, 0);

        final List<String> messages = messages(receive);
        assertEquals(2 * COUNT, messages.size(), () -> "messages printed:\n" + receive.output());
        assertEquals(expected("alpha"), messages.stream().filter(line -> line.contains(" from alpha"))
            .collect(Collectors.toList()));
        assertEquals(expected("beta"), messages.stream().filter(line -> line.contains(" from beta"))
            .collect(Collectors.toList()));
    }

    @Test
    void linesOfStandardInputArriveVerbatimAndReceiveStopsWhenTheSenderLeaves()
    {
        final String region = uniqueRegion("stdin");
        final ChildProcess receive = shmIpc("receive", "--region", region, "--timeout", "60s");
        receive.awaitLine(line -> line.contains("receiving on channel"), STARTUP);
        final ChildProcess send = shmIpc("send", "--region", region);
        send.awaitLine(line -> line.contains("sending each line of standard input"), STARTUP);
        final List<String> lines = List.of("hello", "", "  spaced  out  ", "unicode: caf\u00e9 \u2713", "last");
        lines.forEach(send::send);
        send.closeInput();

        assertEquals(lines.size(), number(result(send), "sent"));
        assertExit(send, 0);
        final Map<String, String> received = result(receive);
        assertEquals(lines.size(), number(received, "received"));
        assertEquals("senders-gone", received.get("stop"));
        assertExit(receive, 0);
        assertEquals(lines, messages(receive));
    }

    /**
     * A {@code send} started with its standard input closed reads nothing: the JVM's first open file took descriptor
     * 0 (its class library), which it used to send line by line; it exits 1 saying the input was closed, and leaves
     * no region.
     */
    @Test
    void aSenderStartedWithStandardInputClosedSaysSoAndSendsNothing() throws Exception
    {
        final String region = uniqueRegion("stdin-closed");
        final List<String> command = new ArrayList<>(List.of("bash", "-c", "exec \"$@\" <&-", "closed-stdin"));
        command.addAll(launcherCommand("send", "--region", region, "--timeout", "30s"));
        final Process sender = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(sender.waitFor(RUN.toSeconds(), TimeUnit.SECONDS), output);
        assertEquals(1, sender.exitValue(), output);
        assertTrue(output.contains("shm-ipc send: error: cannot read standard input: it was closed when shm-ipc " +
            "started"), output);
        assertTrue(output.contains(" sent=0 "), output);
        assertFalse(shmExists(region), output);
    }

    @Test
    void aSenderHeldBackByAStoppedTetheredSubscriberSaysOneIsAttached()
    {
        final String region = uniqueRegion("held");
        final ChildProcess receive = shmIpc("receive", "--region", region, "--kind", "PUBLISH_SUBSCRIBE",
            "--capacity", "64k", "--quiet", "--timeout", "60s");
        receive.awaitLine(line -> line.contains("receiving on channel"), STARTUP);
        receive.signal("STOP");
        try
        {
            final ChildProcess send = shmIpc("send", "--region", region, "--kind", "PUBLISH_SUBSCRIBE", "--capacity",
                "64k", "--count", "100000", "--timeout", "1s");
            assertExit(send, 3);
            assertTrue(send.output().contains("channel 'messages' stayed full for 1s: a tethered subscriber is not " +
                "keeping up"), send.output());
            assertFalse(send.output().contains("no subscriber is attached"), send.output());
        }
        finally
        {
            receive.signal("CONT");
            receive.signal("INT");
        }
        receive.awaitExit(RUN);
    }

    @Test
    void aDifferentLayoutOrASecondReceiverFailsWithExitCodeOne()
    {
        final String region = uniqueRegion("clash");
        final ChildProcess receive = shmIpc("receive", "--region", region, "--timeout", "60s", "--count", "1");
        receive.awaitLine(line -> line.contains("receiving on channel"), STARTUP);

        final ChildProcess wrongKind = shmIpc("send", "--region", region, "--kind", "ONE_TO_ONE", "--count", "1");
        assertExit(wrongKind, 1);
        assertTrue(wrongKind.output().contains("channel exists with another spec"), wrongKind.output());
        assertTrue(wrongKind.output().contains("kind=MANY_TO_ONE expected ONE_TO_ONE"), wrongKind.output());

        final ChildProcess secondReceiver = shmIpc("receive", "--region", region, "--keep-region");
        assertExit(secondReceiver, 1);
        assertTrue(secondReceiver.output().contains("shm-ipc receive: error:"), secondReceiver.output());
        // Refused before its work began, it still ends its work with a done line, before the error
        // (docs/cli-and-demos.md).
        final String refused = secondReceiver.output();
        final int done = refused.indexOf("] done: stop=failed");
        assertTrue(done >= 0 && done < refused.indexOf("shm-ipc receive: error:"), refused);

        final ChildProcess badOption = shmIpc("send", "--region", region, "--capacity", "1000");
        assertExit(badOption, 2);
        assertTrue(badOption.output().contains("invalid capacity"), badOption.output());

        final ChildProcess send = shmIpc("send", "--region", region, "--count", "1");
        assertExit(send, 0);
        assertEquals(1, number(result(receive), "received"));
        assertExit(receive, 0);
    }

    private static List<String> expected(final String sender)
    {
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < COUNT; i++)
        {
            final StringBuilder message = new StringBuilder("message " + i + " from " + sender);
            while (message.length() < SIZE)
            {
                message.append('.');
            }
            expected.add(message.toString());
        }
        return expected;
    }

    /**
     * What receive printed on standard output: every line that is not a {@code [role pid]} status line.
     */
    private static List<String> messages(final ChildProcess receive)
    {
        return receive.lines().stream().filter(line -> !line.startsWith("[receive ")).collect(Collectors.toList());
    }
}
