package io.shmipc.examples.bench;

import io.shmipc.examples.support.IdleStrategies;
import io.shmipc.toolkit.KeyValues;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a role running in a child JVM gets from the coordinator, and how it answers: its arguments
 * ({@code key=value} words on the command line), a start barrier ({@link #ready(Map)} prints {@code READY} and
 * waits for {@code GO} on standard input) and one {@code RESULT} line at the end.
 */
final class RoleContext
{
    /** First word of the line a role prints when it is ready to start. */
    static final String READY = "READY";
    /** The line the coordinator sends to start every role of a run at once. */
    static final String GO = "GO";
    /** First word of a role's result line. */
    static final String RESULT = "RESULT";

    private final Map<String, String> arguments;
    private final PrintStream out;
    private final BufferedReader in;

    RoleContext(final Map<String, String> arguments)
    {
        this.arguments = arguments;
        this.out = System.out;
        this.in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }

    String string(final String key)
    {
        final String value = arguments.get(key);
        if (value == null)
        {
            throw new IllegalArgumentException("missing role argument: " + key + " in " + arguments);
        }
        return value;
    }

    String string(final String key, final String defaultValue)
    {
        return arguments.getOrDefault(key, defaultValue);
    }

    /**
     * A new idle strategy of the kind the {@link Keys#IDLE} argument names; spinning when it is absent.
     *
     * @return the strategy.
     */
    IdleStrategy idleStrategy()
    {
        return IdleStrategies.valueOf(string(Keys.IDLE, IdleStrategies.SPIN.name())).newStrategy();
    }

    /**
     * The sink, backing off each time it refuses a message (back-pressure) when the
     * {@link Keys#PARK_WHEN_BLOCKED} argument is {@code true}; unchanged otherwise.
     *
     * @param sink the transport's sink.
     * @return the sink to send through.
     */
    MessageSink idling(final MessageSink sink)
    {
        if (!parkWhenBlocked())
        {
            return sink;
        }
        final IdleStrategy idle = new BackoffIdleStrategy();
        return new MessageSink()
        {
            @Override
            public boolean offer(final UnsafeBuffer message, final int length) throws IOException
            {
                final boolean taken = sink.offer(message, length);
                idle.idle(taken ? 1 : 0);
                return taken;
            }

            @Override
            public boolean flush() throws IOException
            {
                return sink.flush();
            }
        };
    }

    /**
     * The source, backing off after each empty poll when the {@link Keys#PARK_WHEN_BLOCKED} argument is
     * {@code true}; unchanged otherwise.
     *
     * @param source the transport's source.
     * @return the source to poll.
     */
    MessageSource idling(final MessageSource source)
    {
        if (!parkWhenBlocked())
        {
            return source;
        }
        final IdleStrategy idle = new BackoffIdleStrategy();
        return () ->
        {
            final int received = source.poll();
            idle.idle(received);
            return received;
        };
    }

    private boolean parkWhenBlocked()
    {
        return Boolean.parseBoolean(string(Keys.PARK_WHEN_BLOCKED, "false"));
    }

    int integer(final String key)
    {
        return Integer.parseInt(string(key));
    }

    int integer(final String key, final int defaultValue)
    {
        final String value = arguments.get(key);
        return value == null ? defaultValue : Integer.parseInt(value);
    }

    long warmupNs()
    {
        return Long.parseLong(string(Keys.WARMUP_NS));
    }

    long durationNs()
    {
        return Long.parseLong(string(Keys.DURATION_NS));
    }

    /**
     * Announce readiness, then wait for the coordinator's {@code GO}.
     *
     * @param values what the coordinator needs from this role (a port, for example); may be empty.
     * @throws IOException when standard input closes first.
     */
    void ready(final Map<String, String> values) throws IOException
    {
        out.println(KeyValues.format(READY, values));
        out.flush();
        final String line = in.readLine();
        if (!GO.equals(line))
        {
            throw new IOException("expected " + GO + " from the coordinator, read: " + line);
        }
    }

    /**
     * Announce readiness without values, then wait for {@code GO}.
     *
     * @throws IOException when standard input closes first.
     */
    void ready() throws IOException
    {
        ready(Map.of());
    }

    /**
     * Print the result line.
     *
     * @param values the role's counts and histograms.
     */
    void result(final Map<String, String> values)
    {
        out.println(KeyValues.format(RESULT, values));
        out.flush();
    }

    /**
     * A histogram of nanoseconds from 1 ns to 60 s, 3 significant digits: fixed size, so recording never
     * allocates.
     *
     * @return a new histogram.
     */
    static Histogram newHistogram()
    {
        return new Histogram(1, Keys.HISTOGRAM_HIGHEST_NS, 3);
    }

    /**
     * Record a value, clamped into the histogram's range.
     *
     * @param histogram where.
     * @param valueNs   nanoseconds.
     */
    static void record(final Histogram histogram, final long valueNs)
    {
        histogram.recordValue(Math.max(1, Math.min(valueNs, Keys.HISTOGRAM_HIGHEST_NS)));
    }
}
