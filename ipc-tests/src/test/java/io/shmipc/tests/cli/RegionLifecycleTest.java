package io.shmipc.tests.cli;

import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.tests.support.Prerequisites;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.JsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a region becomes when its processes leave, and the tools that look at it and remove it, all through
 * {@code ./shm-ipc}: a region left with a message says so with its size and how to remove it; {@code rm} removes it,
 * refusing a live one unless forced; {@code peek} shows what waits without consuming it; {@code clean} keeps and
 * marks a stale region holding undelivered messages.
 */
@Timeout(240)
class RegionLifecycleTest extends CliTestBase
{
    /** Bytes of a log record's header, before its payload (docs/layout.md). */
    private static final int RECORD_HEADER = 16;
    /** Bytes of a ring record's header (length, type), before its payload (docs/layout.md). */
    private static final int RING_RECORD_HEADER = 8;

    @TempDir
    Path directory;

    /**
     * The rm line a sender prints when it leaves a region works pasted into a shell as printed: a path with a space
     * is quoted, and a name starting with '-' is not taken for an option.
     */
    @Test
    void theRmLineASenderLeavesWorksPastedIntoAShell()
    {
        final String dashed = "-" + uniqueRegion("dash");
        for (final String region : List.of(directory.resolve("a b").toString(), dashed))
        {
            final ChildProcess send = launch("send", "--region", region, "--count", "1");
            assertEquals(0, send.awaitExit(RUN), send::output);
            final String marker = "remove it with: shm-ipc rm ";
            final String line = send.errorLines().stream().filter(text -> text.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError(send.output()));
            final String pasted = line.substring(line.indexOf(marker) + marker.length());
            final ChildProcess rm = track(ChildProcess.start("pasted rm", List.of("bash", "-c",
                repositoryRoot().resolve("shm-ipc") + " rm " + pasted)));
            assertEquals(0, rm.awaitExit(RUN), () -> pasted + ": " + rm.output());
            assertTrue(rm.output().startsWith("removed "), rm.output());
        }
        assertFalse(Files.exists(directory.resolve("a b")));
        assertFalse(shmExists(dashed));
    }

    @Test
    void aSenderLeavingAMessageSaysSoAndRmDeletesTheRegion()
    {
        final String region = uniqueRegion("left");
        final ChildProcess send = launch("send", "--region", region, "--capacity", "64m", "--count", "1");
        assertEquals(0, send.awaitExit(RUN), send::output);
        assertTrue(send.errors().contains("left region shm:" + region + " (256.1 MiB) in /dev/shm: 1 undelivered " +
            "message (19 B) in 'messages' for a subscriber; remove it with: shm-ipc rm " + region), send.errors());
        assertTrue(shmExists(region));

        final ChildProcess rm = launch("rm", region);
        assertEquals(0, rm.awaitExit(RUN), rm::output);
        assertEquals(List.of("removed shm:" + region + " (256.1 MiB); 1 undelivered message (19 B) in 'messages' " +
            "went with it"), rm.lines());
        assertFalse(shmExists(region));
        final ChildProcess again = launch("rm", region);
        assertEquals(1, again.awaitExit(RUN));
        assertEquals(List.of("shm-ipc rm: error: no such region: shm:" + region), again.errorLines());
    }

    @Test
    void rmRefusesALiveRegionNamingItsUsersUnlessForcedAndItsReceiverThenStops()
    {
        final String region = uniqueRegion("live");
        final ChildProcess receive = launch("receive", "--region", region);
        awaitError(receive, "receiving on channel 'messages'");

        final ChildProcess refused = launch("rm", region);
        assertEquals(1, refused.awaitExit(RUN));
        assertEquals(List.of("shm-ipc rm: error: region shm:" + region + " is in use by pid " + receive.pid() +
            ": stop those processes first, or unlink it anyway with: shm-ipc rm --force " + region),
            refused.errorLines());
        assertTrue(shmExists(region));

        final ChildProcess forced = launch("rm", "--force", "--region", region);
        assertEquals(0, forced.awaitExit(RUN), forced::output);
        assertTrue(forced.output().startsWith("unlinked shm:" + region + " (4.1 MiB) while in use by pid " +
            receive.pid()), forced.output());
        assertFalse(shmExists(region));
        assertEquals(4, receive.awaitExit(RUN), receive::output);
        assertTrue(receive.errors().contains("shm-ipc receive: error: region shm:" + region + " was deleted while " +
            "in use"), receive.errors());
    }

    @Test
    void aSubscriberStoppedBeforeItsFeedCameRemovesTheEmptyRegionItMade()
    {
        final String region = uniqueRegion("nofeed");
        final ChildProcess subscriber = launch("market-subscriber", "--region", region);
        awaitOutput(subscriber, "waiting for quotes");
        assertTrue(shmExists(region));
        subscriber.signal("INT");

        assertEquals(130, subscriber.awaitExit(RUN), subscriber::output);
        assertEquals("interrupted", doneLine(subscriber).get("stop"));
        assertTrue(subscriber.output().contains("removed region shm:" + region + ": nobody uses it and nothing " +
            "waits in it"), subscriber.output());
        assertFalse(shmExists(region), "region left behind");
    }

    @Test
    void peekShowsWhatWaitsWithoutConsumingItAndReceiveStillGetsEverything()
    {
        final String region = uniqueRegion("peek");
        final ChildProcess send = launch("send", "--region", region, "--count", "5", "--size", "24");
        assertEquals(0, send.awaitExit(RUN), send::output);

        final ChildProcess peek = launch("peek", region, "--count", "2");
        assertEquals(0, peek.awaitExit(RUN), peek::output);
        assertEquals(List.of("channel 'messages' (MANY_TO_ONE): 5 messages (120 B) waiting; the first 2:",
            "    24  message 0 from send.....", "    24  message 1 from send....."), peek.lines());
        final ChildProcess last = launch("peek", "--region", region, "--channel", "messages", "--last", "--count",
            "1", "--json");
        assertEquals(0, last.awaitExit(RUN), last::output);
        final Map<String, Object> summary = JsonReader.parseObject(last.lines().get(0));
        assertEquals(5.0, summary.get("waitingMessages"));
        assertEquals("message 4 from send.....", JsonReader.parseObject(last.lines().get(1)).get("text"));
        final ChildProcess hex = launch("peek", region, "--count", "1", "--hex");
        assertEquals(0, hex.awaitExit(RUN), hex::output);
        assertTrue(hex.lines().get(2).startsWith("        00000000  6d 65 73 73 61 67 65 20"), hex.output());

        final ChildProcess receive = launch("receive", "--region", region, "--count", "5");
        assertEquals(0, receive.awaitExit(RUN), receive::output);
        assertEquals(List.of("message 0 from send.....", "message 1 from send.....", "message 2 from send.....",
            "message 3 from send.....", "message 4 from send....."), receive.lines());
    }

    @Test
    void cleanKeepsAndMarksAStaleRegionHoldingUndeliveredMessagesUnlessForced()
    {
        final Path empty = directory.resolve("empty");
        final Path holding = directory.resolve("holding");
        assertEquals(0, launch("send", "--region", holding.toString(), "--count", "3").awaitExit(RUN));
        // A region nobody uses and nothing waits in is removed by the process leaving it, unless asked to keep it.
        final ChildProcess receive = launch("receive", "--region", empty.toString(), "--keep-region", "--timeout",
            "100ms");
        assertEquals(3, receive.awaitExit(RUN), receive::output);
        assertTrue(receive.errors().contains("left region " + empty + " (4.1 MiB) in " + directory + ": kept " +
            "(--keep-region); remove it with: shm-ipc rm " + empty), receive.errors());
        assertTrue(Files.exists(empty) && Files.exists(holding), "both regions are there");
        final String dir = directory.toString();

        final ChildProcess dryRun = launch("clean", "--no-shm", "--dir", dir, "--dry-run");
        assertEquals(0, dryRun.awaitExit(RUN), dryRun::output);
        assertTrue(dryRun.lines().contains("would delete " + empty + " (4.1 MiB)"), dryRun.output());
        assertTrue(dryRun.lines().contains("would keep " + holding + " (4.1 MiB): holds 3 undelivered messages " +
            "(57 B) in 'messages' (--force deletes it; shm-ipc rm " + holding + " deletes this one)"),
            dryRun.output());
        assertTrue(dryRun.lines().contains("stale regions: 1 to delete, 1 to keep"), dryRun.output());

        final ChildProcess json = launch("clean", "--no-shm", "--dir", dir, "--json");
        assertEquals(0, json.awaitExit(RUN), json::output);
        assertEquals(2, json.lines().size(), json.output());
        final Map<String, Object> deleted = JsonReader.parseObject(json.lines().get(0));
        final Map<String, Object> kept = JsonReader.parseObject(json.lines().get(1));
        assertEquals("kept", kept.get("action"));
        assertEquals(3.0, kept.get("undeliveredMessages"));
        assertEquals("deleted", deleted.get("action"));
        assertFalse(Files.exists(empty));
        assertTrue(Files.exists(holding));

        final ChildProcess forced = launch("clean", "--no-shm", "--dir", dir, "--force");
        assertEquals(0, forced.awaitExit(RUN), forced::output);
        assertTrue(forced.lines().contains("deleted " + holding + " (4.1 MiB): holds 3 undelivered messages (57 B) " +
            "in 'messages'"), forced.output());
        assertFalse(Files.exists(holding));
    }
    /**
     * Stale regions on a file system mounted read-only cannot be deleted: {@code clean} (also {@code --dry-run} and
     * {@code --json}) reports each of them as kept, saying why, and goes on to the next; {@code rm} says why in one
     * line. Both used to stop at the first region with the raw error of its open.
     */
    @Test
    @Timeout(120)
    void staleRegionsOnAReadOnlyFileSystemAreEachReportedKeptWithTheReason(@TempDir final Path directory)
        throws Exception
    {
        Prerequisites.requireRoot("mount -t tmpfs");
        final Path mountPoint = Files.createDirectory(directory.resolve("ro"));
        assertEquals(0, command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mountPoint.toString()));
        try
        {
            for (final String name : List.of("a", "b", "c"))
            {
                assertExit(shmIpc("send", "--region", mountPoint.resolve(name).toString(), "--count", "2"), 0);
            }
            assertEquals(0, command("mount", "-o", "remount,ro", mountPoint.toString()));
            final ChildProcess dryRun = shmIpc("clean", "--no-shm", "--dir", mountPoint.toString(), "--dry-run");
            assertExit(dryRun, 0);
            final ChildProcess forced = shmIpc("clean", "--no-shm", "--dir", mountPoint.toString(), "--force",
                "--json");
            assertExit(forced, 0);
            for (final String name : List.of("a", "b", "c"))
            {
                assertTrue(dryRun.output().contains("would keep " + mountPoint.resolve(name) + " (") &&
                    dryRun.output().contains("no process uses it, but it is on a read-only file system"),
                    dryRun.output());
                assertTrue(forced.output().contains("{\"region\":\"" + mountPoint.resolve(name) +
                    "\",") && forced.output().contains("\"action\":\"left-alone\""), forced.output());
            }
            final ChildProcess rm = shmIpc("rm", mountPoint.resolve("a").toString());
            assertExit(rm, 1);
            assertTrue(rm.output().contains("shm-ipc rm: error: region " + mountPoint.resolve("a") + " is used by " +
                "no process, but it is on a read-only file system"), rm.output());
        }
        finally
        {
            if (command("umount", mountPoint.toString()) != 0)
            {
                command("umount", "-l", mountPoint.toString());
            }
        }
    }

    /**
     * Run a system command to its end.
     *
     * @return its exit code.
     */
    private static int command(final String... command) throws IOException, InterruptedException
    {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    @Test
    void cleanKeepsAStaleLogForItsHistoryAndCallsItHistory()
    {
        final Path journal = directory.resolve("journal");
        final ChildProcess send = launch("send", "--region", journal.toString(), "--kind", "PUBLISH_SUBSCRIBE",
            "--channel", "journal", "--count", "5");
        assertEquals(0, send.awaitExit(RUN), send::output);
        final ChildProcess dryRun = launch("clean", "--no-shm", "--dir", directory.toString(), "--dry-run");
        assertEquals(0, dryRun.awaitExit(RUN), dryRun::output);
        assertTrue(dryRun.lines().contains("would keep " + journal + " (4.1 MiB): holds 5 messages (95 B) of history " +
            "in 'journal' (--force deletes it; shm-ipc rm " + journal + " deletes this one)"), dryRun.output());
    }

    @Test
    void aLogWithARecordThatCannotBeReadIsReportedByEveryToolAndKept() throws IOException
    {
        final Path region = directory.resolve("journal");
        final ChildProcess send = launch("send", "--region", region.toString(), "--kind", "PUBLISH_SUBSCRIBE",
            "--channel", "journal", "--count", "5");
        assertEquals(0, send.awaitExit(RUN), send::output);
        assertTrue(send.errors().contains("5 messages (95 B) of history in 'journal' for a subscriber"), send.errors());
        // Zero the header of the third record, as damage leaves it: no publisher is attached to complete it.
        write(region, payloadOf(region, "message 2 from ") - RECORD_HEADER, ByteBuffer.allocate(RECORD_HEADER));

        final ChildProcess receive = launch("receive", "--region", region.toString(), "--kind", "PUBLISH_SUBSCRIBE",
            "--channel", "journal", "--from-oldest");
        assertEquals(1, receive.awaitExit(RUN), receive::output);
        assertEquals(List.of("message 0 from send", "message 1 from send"), receive.lines(), receive::output);
        // Five records of 19-byte messages, each its header and payload aligned: the third at two records' length.
        final int span = RECORD_HEADER + "message 0 from send".length();
        final int record = (span + LogBufferDescriptor.ALIGNMENT - 1) & -LogBufferDescriptor.ALIGNMENT;
        assertTrue(receive.errors().contains("channel 'journal' holds " + 3 * record + " B after position " +
            2 * record + " (the tail is " + 5 * record + ") " +
            "that cannot be read: the record there is not complete, and no publisher is attached to finish it; " +
            "received 2 before it"), receive.errors());
        assertTrue(receive.errors().contains(" in " + directory + ": an unknown number of messages in 'journal', " +
            "which cannot be read ("), receive.errors());
        assertTrue(Files.exists(region), "the region was removed although its history could not be counted");

        final ChildProcess peek = launch("peek", region.toString(), "--count", "1");
        assertEquals(1, peek.awaitExit(RUN), peek::output);
        assertEquals(List.of("channel 'journal' (PUBLISH_SUBSCRIBE): 2 messages before the damage; the first 1:",
            "    19  message 0 from send"), peek.lines(), peek::output);
        assertTrue(peek.errors().contains("channel 'journal' cannot be read to its end: ") &&
            peek.errors().contains("field=channel[journal].log.record expected=a complete record at position " +
            2 * record + ", below the tail " + 5 * record + " actual=header word 0"), peek.errors());
        final ChildProcess counting = launch("peek", region.toString(), "--count", "0", "--json");
        assertEquals(1, counting.awaitExit(RUN), counting::output);
        final Map<String, Object> damaged = JsonReader.parseObject(counting.lines().get(0));
        assertEquals(2.0, damaged.get("messagesBeforeDamage"), counting.output());
        assertEquals(true, damaged.get("unreadable"), counting.output());

        assertListedUncounted(region);

        final ChildProcess clean = cleanDryRun();
        assertTrue(clean.output().contains("would keep " + region), clean.output());
    }

    @Test
    void aReceiverDeliversWhatADeadPublishersUnfinishedRecordHeldBackBeforeItSaysTheSendersAreGone()
        throws IOException
    {
        for (final String kind : List.of("MANY_TO_ONE", "ONE_TO_ONE"))
        {
            final Path region = directory.resolve("unfinished-" + kind);
            sent(region, "--kind", kind, "--capacity", "4k", "--count", "20");
            // Record 1 as a publisher killed between claim and commit leaves it: its length negated.
            final long header = payloadOf(region, "message 1 from ") - RING_RECORD_HEADER;
            final int recordLength = (int)readLong(region, header); // length, then type: the low half
            assertEquals(RING_RECORD_HEADER + "message 1 from send".length(), recordLength, kind);
            write(region, header, intBytes(-recordLength));

            final ChildProcess receive = launch("receive", "--region", region.toString(), "--kind", kind,
                "--capacity", "4k", "--timeout", "20s");
            assertEquals(0, receive.awaitExit(RUN), receive::output);
            final List<String> expected = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                if (i != 1)
                {
                    expected.add("message " + i + " from send");
                }
            }
            assertEquals(expected, receive.lines(), kind + ": every committed message, the unfinished one padded");
            assertTrue(receive.errors().contains("stop=senders-gone"), receive.errors());
            assertFalse(Files.exists(region), kind + ": the emptied region is removed");
        }
    }

    @Test
    void rmSaysARegionNobodyUsesButWhoseHeaderCannotBeProvenIsNotInUse() throws IOException
    {
        final Path region = directory.resolve("newer");
        sent(region, "--kind", "ONE_TO_ONE", "--count", "5");
        // Major Version (header offset 8) of a later layout: no process holds the region, and rm cannot prove it.
        write(region, 8, intBytes(RegionHeaderDescriptor.MAJOR_VERSION + 1));
        final ChildProcess rm = launch("rm", region.toString());
        assertEquals(1, rm.awaitExit(RUN), rm::output);
        assertTrue(rm.errors().contains("region " + region + " is used by no process, but its header is not a " +
            "whole region of this version (state 2; shm-ipc stat says what is wrong): left alone; unlink it anyway " +
            "with: shm-ipc rm --force "), rm.errors());
        assertTrue(Files.exists(region));
        final ChildProcess forced = launch("rm", "--force", region.toString());
        assertEquals(0, forced.awaitExit(RUN), forced::output);
        assertTrue(forced.output().contains("unlinked " + region + " (4.1 MiB), which no process used"),
            forced.output());
        assertFalse(Files.exists(region));
    }

    @Test
    void statAndPeekCallImpossiblePositionsDamageInsteadOfShowingThem() throws IOException
    {
        for (final String kind : List.of("MANY_TO_ONE", "ONE_TO_ONE"))
        {
            final Path region = directory.resolve("positions-" + kind);
            sent(region, "--kind", kind, "--capacity", "4k", "--count", "20");
            // The first channel's Buffer Offset is in its directory entry (+80 from the directory at 4096); the ring's
            // Tail Position is its trailer's +128 (docs/layout.md).
            write(region, readLong(region, 4096 + 80) + 4096 + 128, longBytes(-8));
            final ChildProcess stat = launch("stat", region.toString());
            assertEquals(0, stat.awaitExit(RUN), stat::output);
            assertTrue(stat.lines().stream().anyMatch(line -> line.startsWith("messages ") && line.contains(" ?") &&
                line.contains(" damaged ")), stat.output());
            assertTrue(stat.output().contains("    damaged: its positions cannot be right ("), stat.output());
            final ChildProcess peek = launch("peek", region.toString());
            assertEquals(1, peek.awaitExit(RUN), peek::output);
            assertTrue(peek.errors().contains("field=channel messages positions expected=positions within their " +
                "invariants (docs/layout.md) actual="), kind + ": " + peek.errors());
        }
    }

    @Test
    void aStaleRegionWithAnUnknownStateIsNeitherCountedEmptyNorCalledInUse() throws IOException
    {
        final Path region = directory.resolve("state7");
        sent(region, "--kind", "ONE_TO_ONE", "--count", "5");
        // The header's State (offset 24) set to none of this version's: no process holds the region.
        write(region, 24, intBytes(7));
        assertListedUncounted(region);
        final ChildProcess dryRun = cleanDryRun();
        assertTrue(dryRun.output().contains("would keep " + region + " (4.1 MiB): holds an unknown number of " +
            "messages (its header's state 7 is none of this version's;"), dryRun.output());
        // A dry run of the forced clean says what the clean then does.
        final ChildProcess forcedDryRun = launch("clean", "--no-shm", "--dir", directory.toString(), "--force",
            "--dry-run");
        assertEquals(0, forcedDryRun.awaitExit(RUN), forcedDryRun::output);
        assertTrue(forcedDryRun.output().contains("would leave alone " + region + " (4.1 MiB)") &&
            forcedDryRun.output().contains(": no process uses it, but its header cannot be proven"),
            forcedDryRun.output());
        final ChildProcess forced = launch("clean", "--no-shm", "--dir", directory.toString(), "--force");
        assertEquals(0, forced.awaitExit(RUN), forced::output);
        assertTrue(forced.output().contains("left alone " + region + " (4.1 MiB)") && forced.output().contains(
            ": no process uses it, but its header cannot be proven a whole region of this version (shm-ipc rm " +
            "--force "), forced.output());
        assertTrue(Files.exists(region));
    }

    @Test
    void keepRegionKeepsTheRegionOfAReceiverOfAnyKind()
    {
        for (final String kind : List.of("BROADCAST", "PUBLISH_SUBSCRIBE"))
        {
            final Path region = directory.resolve("kept-" + kind);
            final ChildProcess receive = launch("receive", "--region", region.toString(), "--kind", kind,
                "--keep-region", "--timeout", "100ms");
            assertEquals(3, receive.awaitExit(RUN), receive::output);
            assertTrue(receive.errors().contains("kept (--keep-region); remove it with: shm-ipc rm " + region),
                receive.errors());
            assertTrue(Files.exists(region), kind + ": removed despite --keep-region");
        }
    }

    /**
     * {@code list} of the test's directory shows the region with WAITING {@code ?}: nothing of it could be counted.
     */
    private void assertListedUncounted(final Path region)
    {
        final ChildProcess list = launch("list", "--no-shm", "--no-anonymous", "--dir", directory.toString());
        assertEquals(0, list.awaitExit(RUN), list::output);
        assertTrue(list.lines().stream().anyMatch(line -> line.startsWith(region.toString()) && line.endsWith(" ?")),
            list.output());
    }

    /**
     * {@code clean --dry-run} of the test's directory, exited 0.
     */
    private ChildProcess cleanDryRun()
    {
        final ChildProcess clean = launch("clean", "--no-shm", "--dir", directory.toString(), "--dry-run");
        assertEquals(0, clean.awaitExit(RUN), clean::output);
        return clean;
    }

    /** A region file made by {@code send} with these options, which must exit 0 (and leave the region). */
    private void sent(final Path region, final String... options)
    {
        final List<String> command = new java.util.ArrayList<>(List.of("send", "--region", region.toString()));
        command.addAll(List.of(options));
        final ChildProcess send = launch(command.toArray(new String[0]));
        assertEquals(0, send.awaitExit(RUN), send::output);
    }

    /** Where a message's payload starts in a region file, found by its text. */
    private static int payloadOf(final Path region, final String message) throws IOException
    {
        final int payload = indexOf(Files.readAllBytes(region), message.getBytes(StandardCharsets.US_ASCII));
        assertTrue(payload >= RECORD_HEADER, () -> "'" + message + "' is not in " + region);
        return payload;
    }

    private static long readLong(final Path file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer word = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(word, offset);
            return word.getLong(0);
        }
    }

    /** Overwrite bytes of a region file, as damage or another program would: little-endian, as the layout is. */
    private static void write(final Path file, final long offset, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(bytes, offset);
        }
    }

    private static ByteBuffer intBytes(final int value)
    {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value);
    }

    private static ByteBuffer longBytes(final long value)
    {
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
    }

    private static int indexOf(final byte[] bytes, final byte[] wanted)
    {
        outer:
        for (int i = 0; i + wanted.length <= bytes.length; i++)
        {
            for (int j = 0; j < wanted.length; j++)
            {
                if (bytes[i + j] != wanted[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
