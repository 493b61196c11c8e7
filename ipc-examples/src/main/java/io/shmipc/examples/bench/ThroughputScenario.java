package io.shmipc.examples.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code throughput}: one-way messages through the library for a fixed time, the received count checked against
 * the sent count: {@code ONE_TO_ONE} at 32, 256 and 4096 bytes, {@code MANY_TO_ONE} with 1, 2 and 4 producer
 * processes, {@code BROADCAST} to 1 and 3 receivers, and 32-byte messages through {@link
 * io.shmipc.BatchingPublisher}. Each row's ratio is to the same case over bare rings.
 */
final class ThroughputScenario extends Scenario
{
    static final String NAME = "throughput";

    ThroughputScenario()
    {
        super(NAME, "one-way messages for a fixed time: one-to-one 32/256/4096B, many-to-one 1/2/4 producers, " +
            "broadcast 1/3 receivers, batched 32B",
            Reference.RINGS);
    }

    @Override
    public List<BenchCase> cases()
    {
        final List<BenchCase> cases = new ArrayList<>();
        for (final ThroughputCase throughputCase : ThroughputCase.common())
        {
            cases.add(throughputCase.libraryCase(NAME));
            if (throughputCase.ringsKey().equals(ThroughputCase.batched().ringsKey()))
            {
                cases.add(ThroughputCase.batched().libraryCase(NAME));
            }
        }
        return cases;
    }
}
