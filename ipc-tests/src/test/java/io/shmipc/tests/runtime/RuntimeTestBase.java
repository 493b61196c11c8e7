package io.shmipc.tests.runtime;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.tests.support.ChildProcesses;
import org.junit.jupiter.api.AfterEach;

import java.util.UUID;

/**
 * What every test of runtime channels starts from: a region name of its own and the child processes it starts, all
 * stopped, and the region deleted, after each test.
 */
abstract class RuntimeTestBase
{
    /** The test's region: a fresh shared-memory name. */
    final RegionLocation location;
    /** The test's child processes. */
    final ChildProcesses children = new ChildProcesses();

    RuntimeTestBase(final String prefix)
    {
        this.location = RegionLocation.shm(prefix + "-" + UUID.randomUUID());
    }

    @AfterEach
    final void stopChildrenAndDeleteRegion()
    {
        children.close();
        Region.delete(location);
    }
}
