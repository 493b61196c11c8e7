package io.shmipc.examples.bench;

import java.util.List;

/**
 * A named group of runs ({@link BenchCase}), each becoming a row; a run that fails becomes a failed row and the
 * others go on.
 */
interface Scenario
{
    /**
     * The name given to {@code --scenario}.
     *
     * @return the name.
     */
    String name();

    /**
     * One line on what the scenario measures.
     *
     * @return the description.
     */
    String description();

    /**
     * Whether the rows' ratios need the floor row.
     *
     * @return true for latency scenarios; false by default.
     */
    default boolean needsFloor()
    {
        return false;
    }

    /**
     * Whether the rows' ratios need the bare-ring throughput rows.
     *
     * @return true for throughput scenarios; false by default.
     */
    default boolean needsRings()
    {
        return false;
    }

    /**
     * The scenario's runs, in report order.
     *
     * @return the cases.
     */
    List<BenchCase> cases();
}
