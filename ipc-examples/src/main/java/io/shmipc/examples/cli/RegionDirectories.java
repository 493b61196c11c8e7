package io.shmipc.examples.cli;

import io.shmipc.Regions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories a tool scans for regions: {@code /dev/shm} unless {@code --no-shm}, plus every {@code --dir}. A
 * picocli mixin of {@code list} and {@code clean}.
 */
final class RegionDirectories
{
    @Option(names = "--dir", paramLabel = "DIRECTORY")
    List<Path> directories = new ArrayList<>();

    @Option(names = "--no-shm")
    boolean noShm;

    List<Path> all()
    {
        final List<Path> all = new ArrayList<>();
        if (!noShm)
        {
            all.add(Regions.SHM_DIRECTORY);
        }
        all.addAll(directories);
        return all;
    }
}
