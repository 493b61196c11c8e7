package io.shmipc.examples.bench;

import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.examples.support.ShutdownSignal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a scenario runs with: the settings, the child launcher, unique names for regions, files and sockets (all
 * removed when the bench ends), and a progress stream.
 */
final class ScenarioContext implements AutoCloseable
{
    private final BenchSettings settings;
    private final ChildLauncher launcher;
    private final PrintStream progress;
    private final String prefix = "shmipc-bench-" + ProcessHandle.current().pid() + "-";
    private final List<Path> files = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int nextName;
    private int round = 1;

    ScenarioContext(final BenchSettings settings, final ChildLauncher launcher, final PrintStream progress)
    {
        this.settings = settings;
        this.launcher = launcher;
        this.progress = progress;
    }

    BenchSettings settings()
    {
        return settings;
    }

    /**
     * The round being run, from 1: a case that runs several configurations rotates their order by it, as the runner
     * rotates the cases.
     *
     * @return the round.
     */
    int round()
    {
        return round;
    }

    void round(final int round)
    {
        this.round = round;
    }

    /**
     * A new group of children for one run, given the warm-up and duration.
     *
     * @return the group.
     */
    ChildGroup group()
    {
        return group(settings.warmup(), settings.duration());
    }

    /**
     * A new group of children for one run of a case that fixes its own warm-up and duration.
     *
     * @param warmup   the warm-up.
     * @param duration the measured time.
     * @return the group.
     */
    ChildGroup group(final java.time.Duration warmup, final java.time.Duration duration)
    {
        return new ChildGroup(launcher, Map.of(
            Keys.WARMUP_NS, Long.toString(warmup.toNanos()),
            Keys.DURATION_NS, Long.toString(duration.toNanos())),
            settings.runTimeout().plus(duration).plus(warmup));
    }

    /**
     * Create a region for one run, unlinked when closed.
     *
     * @param builder filled with the channels; its location is replaced by a unique name.
     * @return the region, whose name children attach to.
     */
    Region createRegion(final java.util.function.Function<RegionConfig.Builder, RegionConfig.Builder> builder)
    {
        final String name = prefix + nextName++;
        return Region.create(builder.apply(RegionConfig.builder(RegionLocation.shm(name))).deleteOnClose(true).build());
    }

    /**
     * Create a zero-filled shared file for one run.
     *
     * @param length bytes.
     * @return its path.
     * @throws IOException when it cannot be created.
     */
    Path createSharedFile(final long length) throws IOException
    {
        final Path path = SharedFile.directory().resolve(prefix + nextName++);
        files.add(path);
        SharedFile.create(path, length);
        return path;
    }

    /**
     * A path for a Unix-domain socket (removed at the end).
     *
     * @return the path, short enough for {@code sun_path}.
     */
    Path socketPath()
    {
        final Path path = Path.of(System.getProperty("java.io.tmpdir"), prefix + nextName++ + ".sock");
        files.add(path);
        return path;
    }

    /**
     * Run one case: its failure becomes a failed row; the row gets the load average as it ends and the machine's
     * speed probed before and after it ({@link SpeedProbe}); the files and sockets it made are deleted.
     *
     * @param scenario the scenario.
     * @param name     the case.
     * @param metric   what it measures.
     * @param body     the run.
     * @return the row.
     */
    BenchResult runCase(final String scenario, final String name, final BenchResult.Metric metric, final Case body)
    {
        final long start = System.nanoTime();
        final double speedBeforeNs = SpeedProbe.roundTripNs();
        BenchResult row;
        try
        {
            row = body.run();
        }
        catch (final Exception ex)
        {
            row = BenchResult.failed(scenario, name, metric, String.valueOf(ex.getMessage()));
        }
        finally
        {
            close();
        }
        SpeedProbe.record(row, speedBeforeNs, SpeedProbe.roundTripNs());
        row.loadAverage(SystemInfo.loadAverage()[0]);
        progress(String.format(java.util.Locale.ROOT, "  %-15s %-40s %6.1fs %s", scenario, name,
            (System.nanoTime() - start) / 1e9, row.ok() ? "ok" : ShutdownSignal.current().isRequested() ?
            "interrupted (not reported)" : "FAILED: " + String.join("; ", row.problems())));
        return row;
    }

    void progress(final String text)
    {
        progress.println(text);
        progress.flush();
    }

    /**
     * The body of one case.
     */
    @FunctionalInterface
    interface Case
    {
        /**
         * Run.
         *
         * @return the row.
         * @throws Exception anything: becomes a failed row.
         */
        BenchResult run() throws Exception;
    }

    /**
     * Delete the files and sockets made so far.
     */
    @Override
    public synchronized void close()
    {
        for (final Path file : files)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                progress("cannot delete " + file + ": " + ex.getMessage());
            }
        }
        files.clear();
    }
}
