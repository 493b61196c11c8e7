package io.shmipc.examples.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the report: a case of a scenario, with its counts, latency histogram, rate or CPU, the problems its
 * checks found, and its ratio to the reference row of the same run.
 */
final class BenchResult
{
    /**
     * What a row measures.
     */
    enum Metric
    {
        /** Ping-pong round trip, nanoseconds. Ratio: p50 over the floor's p50. */
        ROUND_TRIP("round trip"),
        /** One-way latency of a sleeping consumer, nanoseconds. Ratio: p50 over half the floor's p50. */
        WAKEUP("wake-up"),
        /** Messages per second; the histogram holds sampled one-way latency under load. Ratio: rate over rings. */
        THROUGHPUT("throughput"),
        /** CPU of a blocked consumer, percent of one core. */
        IDLE_CPU("idle cpu");

        private final String label;

        Metric(final String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }
    }

    private final String scenario;
    private final String name;
    private final Metric metric;
    private String key;
    private String referenceKey;
    private int messageLength;
    private int producers = 1;
    private int consumers = 1;
    private long sent;
    private long received;
    private long lost;
    private long disordered;
    private Histogram histogram;
    private double messagesPerSecond = Double.NaN;
    private double processCpuPercent = Double.NaN;
    private double threadCpuPercent = Double.NaN;
    private double ratio = Double.NaN;
    private String ratioTo;
    private double loadAverage = Double.NaN;
    private int round = 1;
    private String bareKey;
    private double bareRatio = Double.NaN;
    private final Map<String, Object> extra = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> flags = new ArrayList<>();
    private final java.util.Set<Doubt> doubts = java.util.EnumSet.noneOf(Doubt.class);

    /**
     * What a flag puts in doubt.
     */
    enum Doubt
    {
        /** Every number of the row: the case itself was disturbed (the machine's speed moved during it). */
        CASE,
        /** Its ratio: the reference row ran at another speed. */
        REFERENCE,
        /** Its ratio to its pair ("vs bare"): the pair ran at another speed. */
        PAIR
    }

    BenchResult(final String scenario, final String name, final Metric metric)
    {
        this.scenario = scenario;
        this.name = name;
        this.metric = metric;
    }

    /**
     * A row for a run that failed before it produced numbers.
     *
     * @param scenario the scenario.
     * @param name     the case.
     * @param metric   what it would have measured.
     * @param problem  what went wrong.
     * @return the row.
     */
    static BenchResult failed(final String scenario, final String name, final Metric metric, final String problem)
    {
        final BenchResult result = new BenchResult(scenario, name, metric);
        result.problem(problem);
        return result;
    }

    BenchResult key(final String key)
    {
        this.key = key;
        return this;
    }

    BenchResult referenceKey(final String referenceKey)
    {
        this.referenceKey = referenceKey;
        return this;
    }

    BenchResult messageLength(final int messageLength)
    {
        this.messageLength = messageLength;
        return this;
    }

    BenchResult producers(final int producers)
    {
        this.producers = producers;
        return this;
    }

    BenchResult consumers(final int consumers)
    {
        this.consumers = consumers;
        return this;
    }

    BenchResult counts(final long sent, final long received, final long lost, final long disordered)
    {
        this.sent = sent;
        this.received = received;
        this.lost = lost;
        this.disordered = disordered;
        return this;
    }

    BenchResult histogram(final Histogram histogram)
    {
        this.histogram = histogram;
        return this;
    }

    BenchResult messagesPerSecond(final double messagesPerSecond)
    {
        this.messagesPerSecond = messagesPerSecond;
        return this;
    }

    BenchResult cpu(final double processCpuPercent, final double threadCpuPercent)
    {
        this.processCpuPercent = processCpuPercent;
        this.threadCpuPercent = threadCpuPercent;
        return this;
    }

    BenchResult extra(final String extraKey, final Object value)
    {
        extra.put(extraKey, value);
        return this;
    }

    /**
     * Note something that makes the row's numbers doubtful without making them wrong (the machine changed speed
     * during the case): reported beside the row, the row still counts.
     *
     * @param flag what to say.
     * @return this.
     */
    BenchResult flag(final String flag)
    {
        return flag(Doubt.CASE, flag);
    }

    /**
     * Note something that makes some of the row's numbers doubtful, reported beside the row.
     *
     * @param doubt what it puts in doubt.
     * @param flag  what to say.
     * @return this.
     */
    BenchResult flag(final Doubt doubt, final String flag)
    {
        flags.add(flag);
        doubts.add(doubt);
        return this;
    }

    /**
     * Whether a flag puts a number of this row in doubt.
     *
     * @param number {@link Doubt#CASE} for the case's own numbers (and ratios taken within it),
     *               {@link Doubt#REFERENCE} for its ratio, {@link Doubt#PAIR} for its ratio to its pair.
     * @return true when a flag on the case itself, or on that comparison, was raised.
     */
    boolean doubted(final Doubt number)
    {
        return doubts.contains(Doubt.CASE) || doubts.contains(number);
    }

    List<String> flags()
    {
        return flags;
    }

    BenchResult problem(final String problem)
    {
        problems.add(problem);
        return this;
    }

    /**
     * Record a problem unless {@code condition} holds.
     *
     * @param condition what must hold.
     * @param problem   the problem otherwise.
     * @return this.
     */
    BenchResult check(final boolean condition, final String problem)
    {
        if (!condition)
        {
            problems.add(problem);
        }
        return this;
    }

    void ratio(final double ratio, final String ratioTo)
    {
        this.ratio = ratio;
        this.ratioTo = ratioTo;
    }

    void loadAverage(final double loadAverage)
    {
        this.loadAverage = loadAverage;
    }

    /**
     * The bare-ring row of the same measurement, for a second ratio that shows the framework's own cost.
     *
     * @param bareKey its key.
     * @return this.
     */
    BenchResult bareKey(final String bareKey)
    {
        this.bareKey = bareKey;
        return this;
    }

    String bareKey()
    {
        return bareKey;
    }

    void bareRatio(final double bareRatio)
    {
        this.bareRatio = bareRatio;
    }

    /**
     * The p50 over the p50 of the {@link #bareKey()} row of the same round.
     *
     * @return the ratio, or NaN without one.
     */
    double bareRatio()
    {
        return bareRatio;
    }

    void round(final int round)
    {
        this.round = round;
    }

    int round()
    {
        return round;
    }

    String scenario()
    {
        return scenario;
    }

    String name()
    {
        return name;
    }

    Metric metric()
    {
        return metric;
    }

    String key()
    {
        return key;
    }

    String referenceKey()
    {
        return referenceKey;
    }

    int messageLength()
    {
        return messageLength;
    }

    int producers()
    {
        return producers;
    }

    int consumers()
    {
        return consumers;
    }

    long sent()
    {
        return sent;
    }

    long received()
    {
        return received;
    }

    long lost()
    {
        return lost;
    }

    long disordered()
    {
        return disordered;
    }

    /**
     * The latency histogram.
     *
     * @return it, or {@code null} when the row has none or no samples.
     */
    Histogram histogram()
    {
        return histogram == null || histogram.getTotalCount() == 0 ? null : histogram;
    }

    double messagesPerSecond()
    {
        return messagesPerSecond;
    }

    double processCpuPercent()
    {
        return processCpuPercent;
    }

    double threadCpuPercent()
    {
        return threadCpuPercent;
    }

    double ratio()
    {
        return ratio;
    }

    String ratioTo()
    {
        return ratioTo;
    }

    double loadAverage()
    {
        return loadAverage;
    }

    Map<String, Object> extra()
    {
        return extra;
    }

    List<String> problems()
    {
        return problems;
    }

    boolean ok()
    {
        return problems.isEmpty();
    }

    /**
     * The median latency, the base of latency ratios.
     *
     * @return nanoseconds, or NaN without a histogram.
     */
    double medianNs()
    {
        final Histogram samples = histogram();
        return samples == null ? Double.NaN : samples.getValueAtPercentile(50);
    }
}
