package io.shmipc.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's state as the report shows it: load average and cores.
 */
final class SystemInfo
{
    private SystemInfo()
    {
    }

    /**
     * The 1, 5 and 15 minute load averages from {@code /proc/loadavg}.
     *
     * @return the three values, or NaN where unavailable.
     */
    static double[] loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[]{Double.parseDouble(fields[0]), Double.parseDouble(fields[1]),
                Double.parseDouble(fields[2])};
        }
        catch (final IOException | RuntimeException ex)
        {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
    }

    static String loadAverageText()
    {
        final double[] load = loadAverage();
        return String.format(java.util.Locale.ROOT, "%.2f %.2f %.2f", load[0], load[1], load[2]);
    }

    static int cores()
    {
        return Runtime.getRuntime().availableProcessors();
    }
}
