package io.shmipc.examples.bench;

import io.shmipc.toolkit.Durations;

import java.time.Duration;
import java.util.List;

/**
 * How long each run lasts and how child JVMs are started, as chosen on the command line.
 */
final class BenchSettings
{
    /** Default warm-up of each run. */
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(1);
    /** Default measured time of each run. */
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(3);
    /** Default time the idle consumers are watched. */
    static final Duration DEFAULT_IDLE_WINDOW = Duration.ofSeconds(5);
    /** Warm-up with {@code --quick}. */
    static final Duration QUICK_WARMUP = Duration.ofMillis(200);
    /** Measured time with {@code --quick}. */
    static final Duration QUICK_DURATION = Duration.ofMillis(500);
    /** Idle window with {@code --quick}. */
    static final Duration QUICK_IDLE_WINDOW = Duration.ofSeconds(1);
    /** Default pause between wake-up messages: long enough for the consumer to be asleep again. */
    static final Duration DEFAULT_WAKEUP_PAUSE = Duration.ofMillis(1);

    private final Duration warmup;
    private final Duration duration;
    private final Duration idleWindow;
    private final Duration wakeupPause;
    private final boolean quick;
    private final boolean verbose;
    private final List<String> extraJvmOptions;

    BenchSettings(
        final Duration warmup,
        final Duration duration,
        final Duration idleWindow,
        final Duration wakeupPause,
        final boolean quick,
        final boolean verbose,
        final List<String> extraJvmOptions)
    {
        if (warmup.isNegative())
        {
            throw new IllegalArgumentException("--warmup must be 0 or more: " + Durations.format(warmup));
        }
        requirePositive("--duration", duration);
        requirePositive("--idle-window", idleWindow);
        requirePositive("--wakeup-pause", wakeupPause);
        this.warmup = warmup;
        this.duration = duration;
        this.idleWindow = idleWindow;
        this.wakeupPause = wakeupPause;
        this.quick = quick;
        this.verbose = verbose;
        this.extraJvmOptions = List.copyOf(extraJvmOptions);
    }

    private static void requirePositive(final String option, final Duration value)
    {
        if (value.isNegative() || value.isZero())
        {
            throw new IllegalArgumentException(option + " must be above 0: " + Durations.format(value));
        }
    }

    Duration warmup()
    {
        return warmup;
    }

    Duration duration()
    {
        return duration;
    }

    Duration idleWindow()
    {
        return idleWindow;
    }

    Duration wakeupPause()
    {
        return wakeupPause;
    }

    boolean quick()
    {
        return quick;
    }

    boolean verbose()
    {
        return verbose;
    }

    List<String> extraJvmOptions()
    {
        return extraJvmOptions;
    }

    /**
     * How long a child may take from {@code GO} to its result before it is declared hung.
     *
     * @return the timeout.
     */
    Duration runTimeout()
    {
        return warmup.plus(duration).plus(idleWindow).plusSeconds(60);
    }
}
