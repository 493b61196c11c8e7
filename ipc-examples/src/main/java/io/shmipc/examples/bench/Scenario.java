package io.shmipc.examples.bench;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A named group of runs ({@link BenchCase}), each becoming a row; a run that fails becomes a failed row and the
 * others go on. A scenario says once, when made, what it is called, what it measures and which reference rows its
 * ratios are taken against; its runs come from {@link #cases()}.
 */
abstract class Scenario
{
    /**
     * Rows a scenario's ratios need, run with it whenever it is chosen.
     */
    enum Reference
    {
        /** The floor row: latency scenarios. */
        FLOOR,
        /** The bare-ring throughput rows: throughput scenarios. */
        RINGS
    }

    private final String name;
    private final String description;
    private final Set<Reference> references;

    /**
     * A scenario.
     *
     * @param name        the name given to {@code --scenario}.
     * @param description one line on what the scenario measures.
     * @param references  the rows its ratios need, if any.
     */
    Scenario(final String name, final String description, final Reference... references)
    {
        this.name = name;
        this.description = description;
        this.references = references.length == 0 ? EnumSet.noneOf(Reference.class) :
            EnumSet.of(references[0], references);
    }

    /**
     * The name given to {@code --scenario}.
     *
     * @return the name.
     */
    final String name()
    {
        return name;
    }

    /**
     * One line on what the scenario measures.
     *
     * @return the description.
     */
    final String description()
    {
        return description;
    }

    /**
     * Whether the rows' ratios need the floor row.
     *
     * @return true for latency scenarios.
     */
    final boolean needsFloor()
    {
        return references.contains(Reference.FLOOR);
    }

    /**
     * Whether the rows' ratios need the bare-ring throughput rows.
     *
     * @return true for throughput scenarios.
     */
    final boolean needsRings()
    {
        return references.contains(Reference.RINGS);
    }

    /**
     * The scenario's runs, in report order.
     *
     * @return the cases.
     */
    abstract List<BenchCase> cases();
}
