package io.shmipc.examples.bench;

import java.util.List;

/**
 * One run of a scenario (its child JVMs, from start to results), giving one row or, for runs that measure two
 * things side by side, two. Cases carry keys so that the runner can put each case right after the reference case
 * it is compared with: conditions on a shared VM drift within minutes, so a ratio is fairest between neighbours.
 */
final class BenchCase
{
    /**
     * The work of a case.
     */
    @FunctionalInterface
    interface Body
    {
        /**
         * Run (failures become failed rows, see {@link ScenarioContext#runCase}).
         *
         * @param context the context.
         * @return the rows.
         */
        List<BenchResult> run(ScenarioContext context);
    }

    private final String scenario;
    private final String key;
    private final String pairKey;
    private final Body body;

    /**
     * A case.
     *
     * @param scenario its scenario.
     * @param key      the key of its (first) row, by which others name it; may be {@code null}.
     * @param pairKey  the key of the reference case to run just before it, or {@code null}.
     * @param body     the work.
     */
    BenchCase(final String scenario, final String key, final String pairKey, final Body body)
    {
        this.scenario = scenario;
        this.key = key;
        this.pairKey = pairKey;
        this.body = body;
    }

    String scenario()
    {
        return scenario;
    }

    String key()
    {
        return key;
    }

    String pairKey()
    {
        return pairKey;
    }

    List<BenchResult> run(final ScenarioContext context)
    {
        return body.run(context);
    }
}
