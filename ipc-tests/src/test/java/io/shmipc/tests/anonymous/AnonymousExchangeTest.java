package io.shmipc.tests.anonymous;

import io.shmipc.tests.support.Prerequisites;
import io.shmipc.tests.support.Summary;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.tests.support.ChildJvms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A parent and three children exchange over 1,000,000 checked messages through an anonymous region: 1,002,000 up a
 * {@code MANY_TO_ONE} channel (each child's in order, none missing, every payload checked), and 250,000 broadcast
 * to each child (each child's in order, received plus counted losses equal to what was sent; a broadcast receiver
 * may lose, so the million is counted on the lossless channel alone). Throughout, nothing appears in
 * {@code /dev/shm} or in the processes' working directory: the parent runs in a mount namespace of its own with a
 * fresh, empty tmpfs on {@code /dev/shm} (so that what other processes of the machine do there cannot be confused
 * with it), lists both at each step and watches both throughout (inotify: an entry created and removed between two
 * listings is seen too). Needs root for the namespace (CI runs as root).
 */
class AnonymousExchangeTest
{
    private static final int CHILDREN = 3;
    private static final long PER_CHILD = 334_000;
    private static final long BROADCAST = 250_000;

    @TempDir
    Path workingDirectory;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void threeChildrenAndTheirParentExchangeAMillionCheckedMessagesLeavingNoFile() throws IOException
    {
        Prerequisites.requireRoot("a mount namespace with its own /dev/shm");
        final List<String> java = new ArrayList<>(ChildJvms.javaCommand(List.of()));
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), AnonymousExchangeMain.class.getName(),
            Holders.uniqueLabel("exchange"), Integer.toString(CHILDREN), Long.toString(PER_CHILD),
            Long.toString(BROADCAST)));
        final String script = "cd '" + workingDirectory + "' && mount -t tmpfs -o size=16m shmipc-test /dev/shm && " +
            "exec \"$@\"";
        final List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
            "sh", "-c", script, "sh"));
        command.addAll(java);
        try (ChildProcess parent = ChildProcess.start("anonymous exchange", command))
        {
            final Summary done = Summary.parse(parent.awaitLineStartingWith("DONE ", Duration.ofSeconds(240)));
            done.assertValue("received", CHILDREN * PER_CHILD);
            done.assertValue("broadcast", BROADCAST);
            done.assertText("exits", "0,0,0");
            long checked = CHILDREN * PER_CHILD;
            for (int id = 0; id < CHILDREN; id++)
            {
                final Summary child = Summary.parse(parent.awaitLineStartingWith("CHILD id=" + id + " ",
                    Duration.ofSeconds(10)));
                child.assertValue("sent", PER_CHILD);
                assertEquals(BROADCAST, child.number("received") + child.number("lost"), child.line());
                checked += child.number("received");
                System.out.println(child.line());
            }
            assertTrue(checked >= 1_000_000, "checked messages: " + checked + "; output:\n" + parent.output());
            final List<String> phases = new ArrayList<>();
            for (final String line : parent.lines())
            {
                if (line.startsWith("ENTRIES "))
                {
                    final Summary entries = Summary.parse(line);
                    entries.assertText("shm", "");
                    entries.assertText("cwd", "");
                    phases.add(entries.text("phase"));
                }
            }
            assertEquals(List.of("before", "attached", "during", "after"), phases);
            final Summary watched = Summary.parse(parent.awaitLineStartingWith("WATCHED ", Duration.ofSeconds(10)));
            watched.assertText("shm", "");
            watched.assertText("cwd", "");
            parent.awaitSuccess(Duration.ofSeconds(30));
        }
        try (Stream<Path> left = Files.list(workingDirectory))
        {
            assertEquals(List.of(), left.toList(), "the working directory after the processes exited");
        }
    }
}
