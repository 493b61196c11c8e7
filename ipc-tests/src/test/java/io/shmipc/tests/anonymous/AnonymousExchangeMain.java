package io.shmipc.tests.anonymous;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionHandoff;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.tests.support.ChildJvms;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The parent of the anonymous exchange: creates an anonymous region with a {@code MANY_TO_ONE} channel {@code up}
 * and a {@code BROADCAST} channel {@code fan}, starts its children with {@link RegionHandoff#start} (their lines go to
 * this process's output), checks every message they send up (per child, in order, none missing), broadcasts its
 * own (one for every {@code children} received, then {@link AnonymousExchangeChildMain#END}), and lists what
 * {@code /dev/shm} and its working directory hold at each step.
 * <p>
 * Arguments: {@code <label> <children> <messages per child> <broadcast messages>}. Prints
 * {@code ENTRIES phase=<phase> shm=<names> cwd=<names>} at {@code before}, {@code attached}, {@code during} and
 * {@code after}, {@code WATCHED shm=<events> cwd=<events>} with every entry created, modified or deleted in either
 * directory from before the region was created until after the children exited (inotify, so nothing that came and
 * went between two listings escapes), then {@code DONE received=<n> broadcast=<n> exits=<codes>}; exits 2 on a
 * message out of place.
 */
public final class AnonymousExchangeMain
{
    private final int children;
    private final long perChild;
    private final long[] next;
    private long received;
    private int hellos;

    private AnonymousExchangeMain(final int children, final long perChild)
    {
        this.children = children;
        this.perChild = perChild;
        this.next = new long[children];
    }

    public static void main(final String[] args) throws Exception
    {
        final String label = args[0];
        final int children = Integer.parseInt(args[1]);
        final long perChild = Long.parseLong(args[2]);
        final long broadcast = Long.parseLong(args[3]);
        final WatchService watch = FileSystems.getDefault().newWatchService();
        final WatchKey shmKey = watch(watch, Path.of("/dev/shm"));
        final WatchKey cwdKey = watch(watch, Path.of("").toAbsolutePath());
        entries("before");
        final AnonymousExchangeMain parent = new AnonymousExchangeMain(children, perChild);
        try (Region region = Region.create(RegionConfig.builder(RegionLocation.anonymous(label))
            .channel("up", ChannelKind.MANY_TO_ONE, 1 << 20).channel("fan", ChannelKind.BROADCAST, 1 << 20).build());
            Subscriber up = region.subscriber("up");
            Publisher fan = region.publisher("fan"))
        {
            final List<Process> started = new ArrayList<>();
            for (int id = 0; id < children; id++)
            {
                final List<String> command = new ArrayList<>(ChildJvms.javaCommand(List.of()));
                command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    AnonymousExchangeChildMain.class.getName(), label, Integer.toString(id), args[2], args[3]));
                started.add(RegionHandoff.start(region, new ProcessBuilder(command).redirectOutput(Redirect.INHERIT)
                    .redirectErrorStream(true)));
            }
            final IdleStrategy idle = ChildSupport.idleStrategy();
            while (parent.hellos < children)
            {
                idle.idle(up.poll(parent::onMessage, 64));
            }
            entries("attached");
            final long sent = parent.exchange(up, fan, broadcast);
            final StringBuilder exits = new StringBuilder();
            for (final Process child : started)
            {
                exits.append(exits.length() == 0 ? "" : ",").append(child.waitFor(120, TimeUnit.SECONDS) ?
                    Integer.toString(child.exitValue()) : "hung");
            }
            entries("after");
            ChildSupport.println("WATCHED shm=" + events(shmKey) + " cwd=" + events(cwdKey));
            ChildSupport.println("DONE received=" + parent.received + " broadcast=" + sent + " exits=" + exits);
        }
    }

    private long exchange(final Subscriber up, final Publisher fan, final long broadcast) throws IOException
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[AnonymousExchangeChildMain.LENGTH]);
        final IdleStrategy idle = ChildSupport.idleStrategy();
        final long total = children * perChild;
        long sent = 0;
        boolean during = false;
        while (received < total || sent < broadcast)
        {
            int work = up.poll(this::onMessage, 256);
            while (sent < broadcast && sent * children <= received)
            {
                message.putLong(0, sent++);
                fan.offer(message, 0, message.capacity());
                work++;
            }
            if (!during && received >= total / 2)
            {
                during = true;
                entries("during");
            }
            idle.idle(work);
        }
        message.putLong(0, AnonymousExchangeChildMain.END);
        fan.offer(message, 0, message.capacity());
        return sent;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int child = buffer.getInt(offset);
        final long sequence = buffer.getLong(offset + Long.BYTES);
        if (sequence == AnonymousExchangeChildMain.HELLO)
        {
            hellos++;
            return;
        }
        if (child < 0 || child >= children || sequence != next[child] ||
            !AnonymousExchangeChildMain.payloadMatches(buffer, offset, length, child, sequence))
        {
            ChildSupport.exitIncomplete("OUT-OF-PLACE child=" + child + " sequence=" + sequence + " expected=" +
                (child >= 0 && child < children ? next[child] : -1) + " length=" + length);
        }
        next[child]++;
        received++;
    }

    private static void entries(final String phase) throws IOException
    {
        ChildSupport.println("ENTRIES phase=" + phase + " shm=" + names(Path.of("/dev/shm")) + " cwd=" +
            names(Path.of("").toAbsolutePath()));
    }

    /**
     * Watch a directory (inotify) for every entry created, modified or deleted, so that a file that came and went
     * between two listings is seen too.
     */
    private static WatchKey watch(final WatchService watch, final Path directory) throws IOException
    {
        return directory.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
    }

    /**
     * Every event the key collected, as {@code KIND:name}, comma-separated; empty when nothing happened.
     */
    private static String events(final WatchKey key)
    {
        final List<String> events = new ArrayList<>();
        for (final WatchEvent<?> event : key.pollEvents())
        {
            events.add(event.kind().name() + ":" + event.context());
        }
        return String.join(",", events);
    }

    private static String names(final Path directory) throws IOException
    {
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.map(path -> path.getFileName().toString()).sorted().collect(Collectors.joining(","));
        }
    }
}
