package io.shmipc.examples.demo.logs;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.examples.support.BlockingOffer;
import io.shmipc.examples.support.DemoChannel;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.DoneLine;
import io.shmipc.examples.support.DurationConverter;
import io.shmipc.examples.support.Pacer;
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
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A log shipper: sends each line of standard input, or {@code --count} generated request-log lines, to the log
 * writer, then an END message with the number of lines shipped.
 */
@Command(name = "log-shipper")
public final class LogShipper implements Callable<Integer>
{
    private static final long PAUSE_NS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int MAX_SOURCE_LENGTH = 64;
    private static final int INFO = 2;
    private static final int WARN = 3;
    private static final int ERROR = 4;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DemoChannel logs = new DemoChannel("shm-ipc-logs", "logs", ChannelKind.MANY_TO_ONE);

    @Option(names = "--source", paramLabel = "NAME", defaultValue = "app")
    private String source;

    @Option(names = "--count", converter = Counts.AtLeastZero.class, paramLabel = "N")
    private Long count;

    @Option(names = "--rate", converter = Counts.AtLeastZero.class, paramLabel = "N", defaultValue = "0")
    private long rate;

    @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "INFO")
    private String level;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class)
    private Duration timeout;

    @Option(names = "--name", paramLabel = "ROLE")
    private String name;

    private final long shipperId = ProcessHandle.current().pid() << 32 |
        (ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL);
    private final LogMessage message = new LogMessage();
    private byte[] sourceBytes;
    private UnsafeBuffer buffer;
    private BlockingOffer offer;
    private PeerWatch watch;
    private long shipped;
    private long bytes;
    private long truncated;

    @Override
    public Integer call()
    {
        final int stdinLevel = Arrays.asList(LogMessage.LEVELS).indexOf(level.toUpperCase(Locale.ROOT));
        if (stdinLevel < 0)
        {
            throw new ParameterException(spec.commandLine(), "--level must be one of TRACE, DEBUG, INFO, WARN, " +
                "ERROR: " + level);
        }
        sourceBytes = LogMessage.utf8(source);
        if (sourceBytes.length == 0 || sourceBytes.length > MAX_SOURCE_LENGTH)
        {
            throw new ParameterException(spec.commandLine(), "--source must be 1 to " + MAX_SOURCE_LENGTH +
                " bytes long: '" + source + "'");
        }
        final RoleConsole console = new RoleConsole(name != null ? name : source, System.out);
        try (RegionUse use = RegionUse.openOrCreate(logs.config(), console);
            Publisher publisher = use.region().publisher(logs.channel()))
        {
            final String startWriter = "shm-ipc log-writer --region " + logs.regionArgument();
            watch = new PeerWatch(use.region(), publisher, "log writer", startWriter);
            offer = new BlockingOffer(publisher, timeout, watch, console);
            buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(publisher.maxMessageLength()));
            message.wrap(buffer, 0, publisher.maxMessageLength());
            if (!publisher.isConsumerAlive())
            {
                console.say("no writer yet: lines wait in the channel (start one with: %s)", startWriter);
            }
            final long startNs = System.nanoTime();
            final Stop stop = Stop.catching(() -> count != null ? shipGenerated(console) :
                shipStandardInput(console, stdinLevel, publisher.maxMessageLength()));
            if (stop.isDone() || "interrupted".equals(stop.name()))
            {
                // END even after Ctrl-C, so the writer knows this shipper is complete.
                final int length = message.encode(LogMessage.TYPE_END, INFO, shipped, shipperId, sourceBytes,
                    new byte[0], 0);
                Stop.catching(() -> offer.offer(buffer, 0, length) ? Stop.done("end") : Stop.interrupted());
                console.say("shipped %,d lines, then END", shipped);
            }
            final double seconds = (System.nanoTime() - startNs) / 1e9;
            console.done(new DoneLine().add("shipped", shipped).add("bytes", bytes).add("truncated", truncated)
                .add("seconds", seconds).add("back-pressured", offer.backPressuredCount()).add("stop", stop.name()));
            return stop.exit();
        }
    }

    private Stop shipGenerated(final RoleConsole console)
    {
        console.say("shipping %,d generated lines from source '%s' on '%s' (MANY_TO_ONE)", count, source,
            logs.channel());
        final Pacer pacer = new Pacer(rate);
        while (shipped < count)
        {
            if (ShutdownSignal.current().isRequested())
            {
                return Stop.interrupted();
            }
            final long due = Math.min(pacer.due(shipped), count - shipped);
            for (long i = 0; i < due; i++)
            {
                final long sequence = shipped + 1;
                final int lineLevel = sequence % 50 == 0 ? ERROR : sequence % 10 == 0 ? WARN : INFO;
                final String text = lineLevel == ERROR ?
                    String.format(Locale.ROOT, "request %d GET /api/items/%d -> 500 in %d ms", sequence,
                        sequence % 97, sequence % 7) :
                    String.format(Locale.ROOT, "request %d GET /api/items/%d -> 200 in %d ms%s", sequence,
                        sequence % 97, lineLevel == WARN ? 300 + sequence % 200 : sequence % 40,
                        lineLevel == WARN ? " (slow)" : "");
                final byte[] textBytes = LogMessage.utf8(text);
                if (!ship(lineLevel, textBytes, textBytes.length))
                {
                    return Stop.interrupted();
                }
            }
            if (due == 0)
            {
                watch.check();
                LockSupport.parkNanos(PAUSE_NS);
            }
        }
        return Stop.done("count");
    }

    private Stop shipStandardInput(final RoleConsole console, final int lineLevel, final int maxMessageLength)
    {
        console.say("shipping each line of standard input from source '%s' on '%s'; end with Ctrl-D", source,
            logs.channel());
        final int maxTextLength = maxMessageLength - LogMessage.HEADER_LENGTH - sourceBytes.length;
        final StandardInput input = new StandardInput();
        while (!ShutdownSignal.current().isRequested())
        {
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
            final byte[] text = StandardInput.bytes(line);
            if (text.length > maxTextLength)
            {
                truncated++;
            }
            if (!ship(lineLevel, text, Math.min(text.length, maxTextLength)))
            {
                return Stop.interrupted();
            }
        }
        return Stop.interrupted();
    }

    private boolean ship(final int lineLevel, final byte[] text, final int textLength)
    {
        final int length = message.encode(LogMessage.TYPE_LINE, lineLevel, shipped + 1, shipperId, sourceBytes, text,
            textLength);
        if (!offer.offer(buffer, 0, length))
        {
            return false;
        }
        shipped++;
        bytes += textLength;
        return true;
    }
}
