package io.shmipc.tests.channels;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.tests.support.RegionDumpOnFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.UUID;

/**
 * What the channel tests share: the region of the test (a fresh shared-memory name unless it chooses a file),
 * dumped if the test fails and deleted after it, and the child JVMs it starts, killed after it however it ends.
 */
abstract class ChannelTestBase
{
    @RegisterExtension
    final RegionDumpOnFailure dump = new RegionDumpOnFailure();

    final ChildProcesses children = new ChildProcesses();
    private RegionLocation location;

    @AfterEach
    void closeChildrenAndDeleteTheRegion()
    {
        children.close();
        if (location != null)
        {
            Region.delete(location);
        }
    }

    /**
     * The test's region: a fresh shared-memory name, unless {@link #useFile(Path)} chose a file.
     *
     * @return the location.
     */
    RegionLocation location()
    {
        if (location == null)
        {
            location = dump.watch(RegionLocation.shm("shmipc-test-" + UUID.randomUUID()));
        }
        return location;
    }

    /**
     * Use a file region for this test.
     *
     * @param file the file.
     * @return the location.
     */
    RegionLocation useFile(final Path file)
    {
        location = dump.watch(RegionLocation.file(file));
        return location;
    }

    /**
     * The region as a child's {@code region=} argument.
     *
     * @return the argument.
     */
    String regionArgument()
    {
        return "region=" + ChildArguments.format(location());
    }
}
