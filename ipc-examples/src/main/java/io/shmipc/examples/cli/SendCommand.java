package io.shmipc.examples.cli;

import io.shmipc.Publisher;
import io.shmipc.RegionLocation;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.ByteSizeConverter;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.NameOption;
import io.shmipc.examples.support.PeerWatch;
import io.shmipc.examples.support.RegionUse;
import io.shmipc.examples.support.RoleConsole;
import io.shmipc.examples.support.ShutdownSignal;
import io.shmipc.examples.support.StandardInput;
import io.shmipc.examples.support.Stop;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code shm-ipc send}: publish each line of standard input, or {@code --count} generated messages, on a channel.
 */
@Command(name = "send")
public final class SendCommand implements Callable<Integer>
{
    private static final long PROGRESS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ChannelOptions options = new ChannelOptions();

    @Option(names = "--count", converter = Counts.AtLeastZero.class, paramLabel = "N")
    private Long count;

    @Option(names = "--size", paramLabel = "BYTES", converter = ByteSizeConverter.class)
    private Integer size;

    @Option(names = "--await-subscriber")
    private boolean awaitSubscriber;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class)
    private Duration timeout;

    @Mixin
    private NameOption name = new NameOption("send");

    private RoleConsole console;
    private BlockingOffer offer;
    private PeerWatch watch;
    private long sent;
    private long bytes;
    private long nextProgressNs;

    @Override
    public Integer call()
    {
        if (size != null && count == null)
        {
            throw new ParameterException(spec.commandLine(), "--size " + size + " applies only to the messages " +
                "--count generates");
        }
        final RegionLocation location = options.region.location();
        final int newChannelLimit = options.capacity.bytes() / 8; // ChannelSpec: at most capacity / 8
        if (size != null && size > newChannelLimit && location.isNamed() && !Files.exists(location.path()))
        {
            // The region is this command's to make: refused before it is made (an existing channel keeps its own).
            throw tooLong(size, newChannelLimit);
        }
        console = new RoleConsole(name.name(), System.err);
        try (RegionUse use = RegionUse.openOrCreate(options.config().build(), console);
            Publisher publisher = use.region().publisher(options.channel()))
        {
            watch = new PeerWatch(use.region(), publisher, "receiver", options.other("receive"));
            offer = new BlockingOffer(publisher, timeout, watch, console);
            final long startNs = System.nanoTime();
            nextProgressNs = startNs + PROGRESS_INTERVAL_NS;
            final Stop stop = Stop.catching(() -> send(publisher));
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            console.done(new DoneLine().add("sent", sent).add("bytes", bytes).add("seconds", seconds)
                .add("rate", seconds > 0 ? (long)(sent / seconds) : 0)
                .add("back-pressured", offer.backPressuredCount()).add("stop", stop.name()));
            return stop.exit();
        }
    }

    private Stop send(final Publisher publisher)
    {
        if (awaitSubscriber && !watch.awaitConsumer(timeout, console))
        {
            return Stop.interrupted();
        }
        if (count != null)
        {
            return sendGenerated(publisher);
        }
        console.say("sending each line of standard input on channel '%s' (%s); end with Ctrl-D", options.channel(),
            options.kind);
        return sendLines(publisher);
    }

    private Stop sendGenerated(final Publisher publisher)
    {
        final byte[] from = (" from " + name.name()).getBytes(StandardCharsets.UTF_8);
        final int naturalLength = "message ".length() + 20 + from.length;
        final int length = size != null ? size : -1;
        if (length > publisher.maxMessageLength())
        {
            throw tooLong(length, publisher.maxMessageLength()); // an existing channel keeps the limit it was made with
        }
        console.say("sending %d generated messages%s on channel '%s' (%s)", count,
            length >= 0 ? " of " + length + " bytes" : "", options.channel(), options.kind);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(length, naturalLength)));
        for (long i = 0; i < count; i++)
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
            if (ShutdownSignal.current().isRequested() || !publish(buffer, end))
            {
                return Stop.interrupted();
            }
        }
        return Stop.done("count");
    }

    /**
     * Standard input is read on its own thread, so that Ctrl-C, a dead receiver or a deleted region end the command
     * while it waits for a line that may never come.
     */
    private Stop sendLines(final Publisher publisher)
    {
        final StandardInput input = new StandardInput();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
        while (true)
        {
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            final String line = input.next();
            if (line == StandardInput.END)
            {
                return Stop.done("end-of-input");
            }
            if (line == null)
            {
                watch.check();
                continue;
            }
            final byte[] message = StandardInput.bytes(line); // exactly as read: text in any encoding, or binary
            if (message.length > publisher.maxMessageLength())
            {
                throw new CommandFailedException("line " + (sent + 1) + " is " + message.length +
                    " bytes, longer than the longest message channel '" + options.channel() + "' takes: " +
                    publisher.maxMessageLength() + " bytes");
            }
            buffer.wrap(message);
            if (!publish(buffer, message.length))
            {
                return Stop.interrupted();
            }
        }
    }

    private ParameterException tooLong(final int length, final int limit)
    {
        return new ParameterException(spec.commandLine(), "--size " + length + " exceeds the longest message " +
            "channel '" + options.channel() + "' takes: " + limit + " bytes (a channel made with --capacity BYTES " +
            "takes BYTES / 8)");
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
