package io.shmipc.tests.support;

import io.shmipc.RegionLocation;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Prints a {@link RegionDump} of every region a test watches when that test fails (an assertion, an exception
 * or its {@code @Timeout}), before {@code @AfterEach} deletes the regions. Register it on an instance field:
 * <pre>{@code
 * @RegisterExtension
 * final RegionDumpOnFailure dump = new RegionDumpOnFailure();
 * ...
 * final RegionLocation location = dump.watch(RegionLocation.shm(name));
 * }</pre>
 */
public final class RegionDumpOnFailure implements AfterTestExecutionCallback
{
    private final List<Path> watched = new CopyOnWriteArrayList<>();

    /**
     * Dump this region if the test fails.
     *
     * @param location the region.
     * @return the location, for chaining.
     */
    public RegionLocation watch(final RegionLocation location)
    {
        watched.add(location.path());
        return location;
    }

    /**
     * The files watched so far.
     *
     * @return a copy of the list.
     */
    public List<Path> watched()
    {
        return List.copyOf(watched);
    }

    @Override
    public void afterTestExecution(final ExtensionContext context)
    {
        if (context.getExecutionException().isEmpty())
        {
            return;
        }
        final StringBuilder out = new StringBuilder();
        out.append("\n#### ").append(context.getDisplayName()).append(" failed: ")
            .append(context.getExecutionException().get()).append('\n');
        for (final Path file : watched)
        {
            out.append(RegionDump.describe(file));
        }
        System.out.print(out);
        System.out.flush();
    }
}
