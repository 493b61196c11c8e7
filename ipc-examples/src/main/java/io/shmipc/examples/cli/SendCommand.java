package io.shmipc.examples.cli;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.CommandRunner;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.examples.support.RegionLocationConverter;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shm-ipc send}: publish each line of standard input, or {@code --count} generated messages, on a channel.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    header = "Send lines of standard input, or generated messages, on a channel.",
    description = {
        "Send messages on a channel: each line of standard input (without its line end), or --count generated " +
        "messages 'message <i> from <name>'.",
        "Creates the region if it does not exist, so it may start before or after 'receive'. Ring channels " +
        "(ONE_TO_ONE, MANY_TO_ONE) keep messages until they are received; BROADCAST ones reach only receivers " +
        "already attached; PUBLISH_SUBSCRIBE ones reach every receiver, and wait for the tethered ones. Both " +
        "sides must agree on --kind and --capacity."},
    footer = {"", "Examples:", "  shm-ipc send --region chat < notes.txt",
        "  shm-ipc send --region chat --count 1000 --size 64"})
public final class SendCommand implements Callable<Integer>
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ChannelOptions options;

    @Option(names = "--count", paramLabel = "N",
        description = "Send N generated messages instead of reading standard input.")
    private Long count;

    @Option(names = "--size", paramLabel = "BYTES", converter = ByteSizeConverter.class,
        description = "Length of each generated message: the text is padded with '.' or cut to this length.")
    private Integer size;

    @Option(names = "--await-subscriber",
        description = "Wait (up to --timeout) for a subscriber to attach before sending.")
    private boolean awaitSubscriber;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
        description = "Longest wait for a full channel to take a message, or for --await-subscriber; 0 waits " +
        "forever. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--name", paramLabel = "ROLE", defaultValue = "send",
        description = "Name in the [name pid] prefix of status lines, and in generated messages. " +
        "Default: ${DEFAULT-VALUE}.")
    private String name;

    private RoleConsole console;
    private BlockingOffer offer;
    private long sent;
    private long bytes;
    private long nextProgressNs;

    /**
     * Run as its own process.
     *
     * @param args command line.
     */
    public static void main(final String[] args)
    {
        CommandRunner.main(new SendCommand(), args);
    }

    @Override
    public Integer call()
    {
        if (count != null && count < 0)
        {
            throw new ParameterException(spec.commandLine(), "--count must not be negative: " + count);
        }
        if (size != null && count == null)
        {
            throw new ParameterException(spec.commandLine(), "--size applies to --count generated messages");
        }
        console = new RoleConsole(name, System.err);
        final RegionConfig config = options.config()
            .deleteOnClose(false).build();
        try (ShutdownSignal signal = ShutdownSignal.install();
            Region region = RegionSupport.openOrCreate(config, console);
            Publisher publisher = region.publisher(options.channel))
        {
            offer = new BlockingOffer(publisher, timeout, signal, console);
            if (awaitSubscriber && !awaitSubscriber(publisher, signal))
            {
                return CommandRunner.FAILURE;
            }
            final long startNs = System.nanoTime();
            nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
            if (count != null)
            {
                sendGenerated(publisher, signal);
            }
            else
            {
                console.say("sending each line of standard input on channel '%s' (%s); end with Ctrl-D",
                    options.channel, options.kind);
                sendLines(publisher, signal);
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            console.done(new DoneLine().add("sent", sent).add("bytes", bytes).add("seconds", seconds)
                .add("rate", seconds > 0 ? (long)(sent / seconds) : 0)
                .add("back-pressured", offer.backPressuredCount()));
            return signal.isRequested() ? CommandRunner.FAILURE : CommandRunner.OK;
        }
    }

    private boolean awaitSubscriber(final Publisher publisher, final ShutdownSignal signal)
    {
        if (publisher.isConsumerAlive())
        {
            return true;
        }
        console.say("waiting up to %s for a subscriber on channel '%s'", DurationConverter.describe(timeout),
            options.channel);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        while (!publisher.isConsumerAlive())
        {
            if (signal.isRequested())
            {
                return false;
            }
            if (!timeout.isZero() && System.nanoTime() - deadlineNs >= 0)
            {
                throw new CommandFailedException("no subscriber attached to channel '" + options.channel + "' within " +
                    DurationConverter.describe(timeout) + " (start one with: shm-ipc receive --region " +
                    RegionLocationConverter.argument(options.location) + " --channel " + options.channel + ")");
            }
            idleStrategy.idle();
        }
        return true;
    }

    private void sendGenerated(final Publisher publisher, final ShutdownSignal signal)
    {
        final byte[] from = (" from " + name).getBytes(StandardCharsets.UTF_8);
        final int naturalLength = "message ".length() + 20 + from.length;
        final int length = size != null ? size : -1;
        if (length > publisher.maxMessageLength())
        {
            throw new CommandFailedException("--size " + length + " exceeds the longest message channel '" +
                options.channel + "' takes: " + publisher.maxMessageLength() + " bytes");
        }
        console.say("sending %d generated messages%s on channel '%s' (%s)", count,
            length >= 0 ? " of " + length + " bytes" : "", options.channel, options.kind);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(length, naturalLength)));
        for (long i = 0; i < count && !signal.isRequested(); i++)
        {
            int end = buffer.putStringWithoutLengthAscii(0, "message ");
            end += buffer.putLongAscii(end, i);
            buffer.putBytes(end, from);
            end += from.length;
            if (length >= 0)
            {
                if (length > end)
                {
                    buffer.setMemory(end, length - end, (byte)'.');
                }
                end = length;
            }
            if (!publish(buffer, end))
            {
                return;
            }
        }
    }

    private void sendLines(final Publisher publisher, final ShutdownSignal signal)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)))
        {
            String line;
            while (!signal.isRequested() && (line = in.readLine()) != null)
            {
                final byte[] message = line.getBytes(StandardCharsets.UTF_8);
                if (message.length > publisher.maxMessageLength())
                {
                    throw new CommandFailedException("line " + (sent + 1) + " is " + message.length +
                        " bytes, longer than the longest message channel '" + options.channel + "' takes: " +
                        publisher.maxMessageLength() + " bytes");
                }
                buffer.wrap(message);
                if (!publish(buffer, message.length))
                {
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read standard input: " + ex.getMessage(), ex);
        }
    }

    private boolean publish(final UnsafeBuffer buffer, final int length)
    {
        if (!offer.offer(buffer, 0, length))
        {
            return false;
        }
        sent++;
        bytes += length;
        if ((sent & 1023) == 0 && System.nanoTime() - nextProgressNs >= 0)
        {
            nextProgressNs += PROGRESS_INTERVAL_NS;
            console.say("sent %,d messages", sent);
        }
        return true;
    }
}
