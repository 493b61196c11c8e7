package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;

/**
 * The phase of a paced producer's run: warm-up for the context's warm-up time, then measure for its duration.
 */
final class RunPhases
{
    private final long measureStart;
    private final long end;
    private int phase = SequencedMessage.PHASE_WARMUP;

    RunPhases(final RoleContext context)
    {
        this.measureStart = System.nanoTime() + context.warmupNs();
        this.end = measureStart + context.durationNs();
    }

    /**
     * The phase of the next message.
     *
     * @return {@link SequencedMessage#PHASE_WARMUP}, {@link SequencedMessage#PHASE_MEASURE}, or
     *         {@link SequencedMessage#PHASE_END} once the measured time is over.
     */
    int next()
    {
        final long now = System.nanoTime();
        if (phase == SequencedMessage.PHASE_WARMUP && now - measureStart >= 0)
        {
            phase = SequencedMessage.PHASE_MEASURE;
        }
        else if (phase == SequencedMessage.PHASE_MEASURE && now - end >= 0)
        {
            phase = SequencedMessage.PHASE_END;
        }
        return phase;
    }
}
