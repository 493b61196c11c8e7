package io.shmipc.tests.anonymous;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionHandoff;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.posix.MemoryFiles;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.tests.support.ChildJvms;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A process holding an anonymous region, driven line by line by the test: the region's creator, a process it
 * was handed to, or one that hands it on. The region has one {@code MANY_TO_ONE} channel {@code c}.
 * <p>
 * Arguments: {@code create <label> <capacity> <tag>} ({@code create-dumpable} to keep the process dumpable),
 * {@code attach <label> <tag>}, or {@code attach-send <label> <tag> <text>} (attach, send one message, exit); the
 * tag starts every line it prints. Prints {@code <tag> READY pid=<pid> fd=<descriptor> dumpable=<bool>}, or
 * {@code <tag> FAILED class=<exception> field=<field or -> message=...} (exit status 3) when the region cannot be
 * opened. Commands:
 * <ul>
 * <li>{@code GRANT}: a hand-off for a process the test starts; prints {@code <tag> GRANT <n> <variable> <value>}.</li>
 * <li>{@code STARTED <n> <pid>}: name the process grant {@code n} is for; prints {@code <tag> NAMED <n>}.</li>
 * <li>{@code SPAWN <tag> <text>}: start, with {@link RegionHandoff#start}, a process that attaches the region and sends
 * {@code text} (its lines go to this process's output); prints {@code <tag> SPAWNED pid=<pid>}.</li>
 * <li>{@code SEND <text>}: offer on {@code c}; {@code RECEIVE}: wait up to 10 s for one message on {@code c}
 * ({@code <tag> GOT <text>} or {@code <tag> NOTHING}).</li>
 * <li>{@code TRUNCATE}: try to shrink the region's file; prints {@code <tag> TRUNCATE refused|done <detail>}.</li>
 * <li>{@code CORRUPT}: overwrite the header's magic; prints {@code <tag> CORRUPTED}.</li>
 * <li>{@code EXIT}.</li>
 * </ul>
 */
public final class AnonymousHolderMain
{
    private static final String CHANNEL = "c";

    private final Region region;
    private final String label;
    private final String tag;
    private final List<RegionHandoff> grants = new ArrayList<>();
    private Publisher publisher;
    private Subscriber subscriber;

    private AnonymousHolderMain(final Region region, final String label, final String tag)
    {
        this.region = region;
        this.label = label;
        this.tag = tag;
    }

    /**
     * The command that starts a holder, in a JVM like this one.
     *
     * @param args the holder's arguments.
     * @return the command.
     */
    static List<String> command(final String... args)
    {
        final List<String> command = new ArrayList<>(ChildJvms.javaCommand(List.of()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AnonymousHolderMain.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    public static void main(final String[] args) throws IOException
    {
        final String mode = args[0];
        final String label = args[1];
        final boolean create = mode.startsWith("create");
        final String tag = create ? args[3] : args[2];
        final Region region;
        try
        {
            region = create ? Region.create(RegionConfig.builder(RegionLocation.anonymous(label))
                .channel(CHANNEL, ChannelKind.MANY_TO_ONE, Integer.parseInt(args[2]))
                .keepProcessDumpable(mode.equals("create-dumpable")).build()) :
                Region.attach(RegionLocation.anonymous(label), Duration.ofSeconds(10));
        }
        catch (final ShmIpcException ex)
        {
            ChildSupport.println(tag + " FAILED class=" + ex.getClass().getSimpleName() + " field=" +
                (ex instanceof CorruptRegionException ? ((CorruptRegionException)ex).field() : "-") + " message=" +
                ex.getMessage());
            System.exit(3);
            return;
        }
        try (region)
        {
            final AnonymousHolderMain holder = new AnonymousHolderMain(region, label, tag);
            ChildSupport.println(tag + " READY pid=" + ProcessHandle.current().pid() + " fd=" + descriptor(label) +
                " dumpable=" + MemoryFiles.isProcessDumpable());
            if (mode.equals("attach-send"))
            {
                holder.send(args[3]);
            }
            else
            {
                holder.serve();
            }
        }
        ChildSupport.println(tag + " EXITED");
    }

    private void serve() throws IOException
    {
        String command;
        while (!(command = ChildSupport.readCommand()).equals("EXIT"))
        {
            final String[] words = command.split(" ", 2);
            switch (words[0])
            {
                case "GRANT" ->
                {
                    final RegionHandoff handoff = RegionHandoff.of(region);
                    grants.add(handoff);
                    say("GRANT " + (grants.size() - 1) + " " + handoff.environmentVariable() + " " +
                        handoff.environmentValue());
                }
                case "STARTED" ->
                {
                    final String[] numbers = words[1].split(" ");
                    grants.get(Integer.parseInt(numbers[0])).started(
                        ProcessHandle.of(Long.parseLong(numbers[1])).orElseThrow());
                    say("NAMED " + numbers[0]);
                }
                case "SPAWN" ->
                {
                    final String[] spawn = words[1].split(" ", 2);
                    say("SPAWNED pid=" + RegionHandoff.start(region,
                        new ProcessBuilder(command("attach-send", label, spawn[0], spawn[1])).inheritIO()).pid());
                }
                case "SEND" -> send(words[1]);
                case "RECEIVE" -> receive();
                case "TRUNCATE" -> truncate();
                case "CORRUPT" -> corrupt();
                default -> say("UNKNOWN " + command);
            }
        }
    }

    private void send(final String text)
    {
        if (publisher == null)
        {
            publisher = region.publisher(CHANNEL);
        }
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final long result = publisher.offer(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length);
        say(result == Publisher.OK ? "SENT" : "SEND-FAILED result=" + result);
    }

    private void receive()
    {
        if (subscriber == null)
        {
            subscriber = region.subscriber(CHANNEL);
        }
        final String[] text = new String[1];
        final int read = subscriber.poll((buffer, offset, length) ->
            text[0] = buffer.getStringWithoutLengthUtf8(offset, length), 1, Duration.ofSeconds(10));
        say(read == 1 ? "GOT " + text[0] : "NOTHING");
    }

    private void truncate()
    {
        try (RandomAccessFile file = new RandomAccessFile("/proc/self/fd/" + descriptor(label), "rw"))
        {
            file.setLength(4096);
            say("TRUNCATE done length=" + file.length());
        }
        catch (final IOException ex)
        {
            say("TRUNCATE refused " + ex.getMessage());
        }
    }

    private void corrupt() throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile("/proc/self/fd/" + descriptor(label), "rw"))
        {
            file.write("NOT-OURS".getBytes(StandardCharsets.US_ASCII));
        }
        say("CORRUPTED");
    }

    private void say(final String line)
    {
        ChildSupport.println(tag + " " + line);
    }

    /**
     * This process's descriptor of the region, found as a tool would: the link {@code /memfd:shmipc:<label>}.
     */
    static int descriptor(final String label) throws IOException
    {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd")))
        {
            for (final Path fd : (Iterable<Path>)descriptors::iterator)
            {
                try
                {
                    if (Files.readSymbolicLink(fd).toString().startsWith("/memfd:shmipc:" + label + " "))
                    {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                }
                catch (final IOException ex)
                {
                    // Closed while listing.
                }
            }
        }
        return -1;
    }
}
