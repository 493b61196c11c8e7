package io.shmipc.examples.support;

/**
 * Spreads a number of events per second evenly over time: ask how many are due, do them, ask again.
 */
public final class Pacer
{
    private final double perNanosecond;
    private final long startNs;

    /**
     * A pacer starting now.
     *
     * @param perSecond events per second; 0 or less for no limit.
     */
    public Pacer(final long perSecond)
    {
        this.perNanosecond = perSecond > 0 ? perSecond / 1e9 : 0;
        this.startNs = System.nanoTime();
    }

    /**
     * How many more events are due now.
     *
     * @param done events done so far.
     * @return events to do now; {@code Long.MAX_VALUE} without a limit.
     */
    public long due(final long done)
    {
        if (perNanosecond == 0)
        {
            return Long.MAX_VALUE;
        }
        final long allowed = (long)((System.nanoTime() - startNs) * perNanosecond) + 1;
        return Math.max(0, allowed - done);
    }
}
