package io.shmipc;

import java.util.List;

/**
 * One anonymous region found by {@link Regions#listAnonymous()}: its label, what its header says, and the running
 * processes holding it.
 *
 * @param label   the label it was created with.
 * @param summary its header and liveness, read through the first holder's descriptor.
 * @param holders every process seen holding a descriptor of it, once each, with its first such descriptor.
 */
public record AnonymousRegionSummary(String label, RegionSummary summary, List<Holder> holders)
{
    /**
     * A process holding an anonymous region.
     *
     * @param pid the process id.
     * @param fd  its descriptor of the region.
     */
    public record Holder(long pid, int fd)
    {
        /**
         * Where a tool reaches the region through this holder.
         *
         * @return {@code /proc/<pid>/fd/<fd>}.
         */
        public RegionLocation location()
        {
            return RegionLocation.descriptor(pid, fd);
        }
    }
}
