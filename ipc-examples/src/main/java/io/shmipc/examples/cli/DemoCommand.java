package io.shmipc.examples.cli;

import io.shmipc.ChannelKind;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionHandoff;
import io.shmipc.RegionLocation;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.Stop;
import io.shmipc.toolkit.ChildProcess;
import io.shmipc.toolkit.ChildProcessBuilder;
import io.shmipc.toolkit.JavaCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shm-ipc demo}: the quick start. Separate JVMs exchange messages over one region, then a summary.
 * <p>
 * Step 1: {@code --producers} {@code send} processes publish {@code --messages} each on a
 * {@link ChannelKind#MANY_TO_ONE} channel to one {@code receive} process. Step 2: a {@code ping} process measures
 * round trips to a {@code pong} process over two {@link ChannelKind#ONE_TO_ONE} channels. Every child is an
 * ordinary {@code shm-ipc} subcommand, printed before it starts, so the same can be typed in separate terminals.
 * With {@code --anonymous} the region is anonymous ({@code memfd}, no name anywhere) and handed to each child as it
 * starts ({@link RegionHandoff#of(Region)}).
 */
@Command(name = "demo")
public final class DemoCommand implements Callable<Integer>
{
    private static final String MESSAGES_CHANNEL = "messages";
    private static final String PING_CHANNEL = "ping";
    private static final int MESSAGES_CAPACITY = 1 << 20;
    private static final String CHILD_TIMEOUT = "30s";
    private static final long POLL_CHILDREN_MS = 20;
    private static final long CHILD_STOP_SECONDS = 15;

    @Spec
    private CommandSpec spec;

    @Option(names = "--region", paramLabel = "NAME|PATH", converter = RegionLocationConverter.class)
    private RegionLocation location;

    @Option(names = "--anonymous")
    private boolean anonymous;

    @Option(names = "--producers", paramLabel = "N", defaultValue = "2")
    private int producers;

    @Option(names = "--messages", converter = Counts.AtLeastOne.class, paramLabel = "N", defaultValue = "200000")
    private long messages;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "64", converter = ByteSizeConverter.class)
    private int size;

    @Option(names = "--round-trips", converter = Counts.AtLeastOne.class, paramLabel = "N", defaultValue = "20000")
    private long roundTrips;

    @Option(names = "--warmup", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "5000")
    private long warmup;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class)
    private Duration timeout;

    private RoleConsole console;
    private String regionArgument;
    private Region handedOn;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Map<ChildProcess, String> roles = new java.util.IdentityHashMap<>();

    @Override
    public Integer call()
    {
        validate();
        if (location == null)
        {
            final String name = "shm-ipc-demo-" + ProcessHandle.current().pid();
            location = anonymous ? RegionLocation.anonymous(name) : RegionLocation.shm(name);
        }
        regionArgument = RegionLocationConverter.argument(location);
        console = new RoleConsole("demo", System.out);
        ShutdownSignal.current().graceSeconds(CHILD_STOP_SECONDS + 10);
        final RegionConfig config = RegionConfig.builder(location)
            .channel(MESSAGES_CHANNEL, ChannelKind.MANY_TO_ONE, MESSAGES_CAPACITY)
            .channel(PING_CHANNEL, ChannelKind.ONE_TO_ONE, PingPongChannels.CAPACITY)
            .channel(PingPongChannels.replyChannel(PING_CHANNEL), ChannelKind.ONE_TO_ONE, PingPongChannels.CAPACITY)
            .deleteOnClose(true)
            .build();
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final Stop stop;
        try (Region region = Region.create(config))
        {
            console.say("created region %s (%s): %s", region.location(), RegionSupport.bytes(region.length()),
                RegionSupport.describeChannels(region));
            handedOn = anonymous ? region : null;
            try
            {
                stop = Stop.catching(() -> runExchange(deadlineNs) ? runPingPong(deadlineNs) : Stop.interrupted());
            }
            finally
            {
                stopChildren();
            }
        }
        printSummary(stop, location.isAnonymous() || !Files.exists(location.path()));
        return stop.exit();
    }

    private void validate()
    {
        if (producers < 1 || producers > 8)
        {
            throw new ParameterException(spec.commandLine(), "--producers must be from 1 to 8: " + producers);
        }
        if (timeout.isZero())
        {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
        }
        if (anonymous && location != null)
        {
            throw new ParameterException(spec.commandLine(), "--anonymous and --region exclude each other: an " +
                "anonymous region has no name");
        }
    }

    private boolean runExchange(final long deadlineNs)
    {
        final long total = messages * producers;
        console.say("step 1: %d producer processes send %,d messages of %d bytes each to 1 consumer process over " +
            "'%s' (MANY_TO_ONE)", producers, messages, size, MESSAGES_CHANNEL);
        final List<ChildProcess> step = new ArrayList<>();
        step.add(start("consumer", List.of("receive", "--region", regionArgument, "--channel", MESSAGES_CHANNEL,
            "--count", Long.toString(total), "--quiet", "--show", "3", "--keep-region", "--timeout", CHILD_TIMEOUT,
            "--name", "consumer")));
        for (int i = 1; i <= producers; i++)
        {
            step.add(start("producer-" + i, List.of("send", "--region", regionArgument, "--channel",
                MESSAGES_CHANNEL, "--count", Long.toString(messages), "--size", Integer.toString(size),
                "--await-subscriber", "--timeout", CHILD_TIMEOUT, "--name", "producer-" + i)));
        }
        return awaitAll(step, deadlineNs);
    }

    private Stop runPingPong(final long deadlineNs)
    {
        console.say("step 2: ping <-> pong, %,d round trips (after %,d to warm up) over '%s' and '%s' (ONE_TO_ONE)",
            roundTrips, warmup, PING_CHANNEL, PingPongChannels.replyChannel(PING_CHANNEL));
        final List<ChildProcess> step = new ArrayList<>();
        step.add(start("pong", List.of("pong", "--region", regionArgument, "--keep-region", "--timeout",
            CHILD_TIMEOUT, "--name", "pong")));
        step.add(start("ping", List.of("ping", "--region", regionArgument, "--count", Long.toString(roundTrips),
            "--warmup", Long.toString(warmup), "--timeout", CHILD_TIMEOUT, "--name", "ping")));
        return awaitAll(step, deadlineNs) ? Stop.done("complete") : Stop.interrupted();
    }

    private ChildProcess start(final String role, final List<String> args)
    {
        console.say("starting %s: shm-ipc %s%s", role, String.join(" ", args), handedOn == null ? "" :
            " (handed the anonymous region)");
        final ChildProcessBuilder builder = ChildProcess.builder(role, JavaCommand.likeThisJvm().mainClass(
            ShmIpcCommand.class, args)).echo(System.out::println);
        final RegionHandoff handoff = handedOn == null ? null : RegionHandoff.of(handedOn);
        if (handoff != null)
        {
            builder.environment(handoff.environmentVariable(), handoff.environmentValue());
        }
        final ChildProcess child = builder.start();
        if (handoff != null)
        {
            handoff.started(child.handle());
        }
        child.closeInput();
        children.add(child);
        roles.put(child, role);
        return child;
    }

    /**
     * Wait for a step's processes to exit 0.
     *
     * @return false when the demo was interrupted first.
     */
    private boolean awaitAll(final List<ChildProcess> step, final long deadlineNs)
    {
        final List<ChildProcess> running = new ArrayList<>(step);
        while (!running.isEmpty())
        {
            if (ShutdownSignal.current().isRequested())
            {
                return false;
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new CommandFailedException(ExitCodes.TIMEOUT, "the demo did not finish within " +
                    DurationConverter.describe(timeout) + "; its processes were stopped");
            }
            for (int i = running.size() - 1; i >= 0; i--)
            {
                final ChildProcess child = running.get(i);
                if (!child.waitFor(Duration.ofMillis(POLL_CHILDREN_MS / running.size() + 1)))
                {
                    continue;
                }
                running.remove(i);
                if (child.exitCode() != 0)
                {
                    throw new CommandFailedException("the " + roles.get(child) + " process (pid " + child.pid() +
                        ") exited with " + child.exitCode() + "; see its output above");
                }
            }
        }
        return true;
    }

    private Map<String, String> result(final String role)
    {
        for (final ChildProcess child : children)
        {
            if (roles.get(child).equals(role))
            {
                return result(child);
            }
        }
        return Map.of();
    }

    private static Map<String, String> result(final ChildProcess child)
    {
        Map<String, String> values = Map.of();
        for (final String line : child.lines())
        {
            if (DoneLine.isDoneLine(line))
            {
                values = DoneLine.parse(line);
            }
        }
        return values;
    }

    /**
     * Stop what still runs: SIGTERM first (a Ctrl-C in a terminal reached them already), so each child prints its
     * done: line and releases what it holds, then SIGKILL for any still there after {@value #CHILD_STOP_SECONDS} s.
     */
    private void stopChildren()
    {
        for (final ChildProcess child : children)
        {
            if (child.isAlive())
            {
                console.say("stopping the %s process (pid %d)", roles.get(child), child.pid());
                child.signal("TERM");
            }
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_STOP_SECONDS);
        for (final ChildProcess child : children)
        {
            child.waitFor(Duration.ofNanos(Math.max(0, deadlineNs - System.nanoTime())));
            child.close();
        }
    }

    private static String micros(final Map<String, String> result, final String key)
    {
        final String value = result.get(key);
        if (value == null)
        {
            return "-";
        }
        final double micros = Double.parseDouble(value);
        return String.format(Locale.ROOT, micros < 100 ? "%.2f" : "%.0f", micros);
    }

    private void printSummary(final Stop stop, final boolean deleted)
    {
        final Map<String, String> consumer = result("consumer");
        final Map<String, String> ping = result("ping");
        long sent = 0;
        for (final ChildProcess child : children)
        {
            if (roles.get(child).startsWith("producer-"))
            {
                sent += Long.parseLong(result(child).getOrDefault("sent", "0"));
            }
        }
        final long received = Long.parseLong(consumer.getOrDefault("received", "0"));
        final long rate = Long.parseLong(consumer.getOrDefault("rate", "0"));
        console.say("summary%s", stop.isDone() ? "" : " (" + stop.name() + ": what was done before)");
        console.say("  processes     %d JVMs besides this one%s; %s", children.size(), children.size() ==
            producers + 3 ? ": consumer, " + producers + " producers, pong, ping" : " (of " + (producers + 3) + ")",
            stop.isDone() ? "all exited 0" : "stopped");
        console.say("  messages      %,d sent by %d producers, %,d received by 1 consumer (%d bytes each, " +
            "MANY_TO_ONE)", sent, producers, received, size);
        console.say("  throughput    %,d messages/s (%.1f MB/s) at the consumer", rate, rate * (double)size / 1e6);
        console.say("  round trips   %s of 32 bytes, ping <-> pong (ONE_TO_ONE)",
            String.format(Locale.ROOT, "%,d", Long.parseLong(ping.getOrDefault("round-trips", "0"))));
        console.say("  latency (us)  p50 %s | p90 %s | p99 %s | p99.9 %s | max %s (HdrHistogram)",
            micros(ping, "p50-us"), micros(ping, "p90-us"), micros(ping, "p99-us"), micros(ping, "p99.9-us"),
            micros(ping, "max-us"));
        console.say("  region        %s %s", location, location.isAnonymous() ?
            "freed with its last holder (it never had a name)" : deleted ? "unlinked" : "NOT unlinked");
        if (stop.isDone())
        {
            console.say("next: run the processes in separate terminals, see docs/cli-and-demos.md");
        }
        console.done(new DoneLine().add("processes", children.size()).add("sent", sent).add("received", received)
            .add("rate", rate).add("round-trips", ping.getOrDefault("round-trips", "0"))
            .add("p50-us", ping.getOrDefault("p50-us", "-")).add("p99-us", ping.getOrDefault("p99-us", "-"))
            .add("max-us", ping.getOrDefault("max-us", "-")).add("region-deleted", Boolean.toString(deleted))
            .add("stop", stop.name()));
    }
}
