package io.shmipc.channel;

import io.shmipc.ChannelKind;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.liveness.EndpointRegistration;
import io.shmipc.liveness.RegionLocks;
import io.shmipc.wait.WakeUpWord;
import io.shmipc.posix.MappedBuffer;

import java.util.function.Consumer;

/**
 * Everything one endpoint needs from its region and channel, gathered by {@link EndpointFactory} so that an
 * endpoint never sees the region handle: the channel's validated layout and kind, buffers over its control block,
 * endpoint table and data buffer, the region's locks, the channel's counters, the endpoint's own registration,
 * wake-up word and truncation guard, the channel's health (shared by its endpoints in this process), and what to call
 * when it closes.
 */
final class ChannelContext
{
    final String region;
    final ChannelLayout layout;
    final MappedBuffer control;
    final MappedBuffer endpointTable;
    final MappedBuffer buffer;
    final RegionLocks locks;
    final ChannelCounters counters;
    final EndpointRegistration registration;
    final WakeUpWord wakeUpWord;
    final TruncationGuard truncationGuard;
    final ChannelHealth health;
    final Runnable keepAddressesAfterClose;
    final Consumer<ChannelEndpoint> onClose;
    final HandleClosing handleClosing;

    ChannelContext(
        final String region,
        final ChannelLayout layout,
        final MappedBuffer control,
        final MappedBuffer endpointTable,
        final MappedBuffer buffer,
        final RegionLocks locks,
        final ChannelCounters counters,
        final EndpointRegistration registration,
        final WakeUpWord wakeUpWord,
        final TruncationGuard truncationGuard,
        final ChannelHealth health,
        final Runnable keepAddressesAfterClose,
        final Consumer<ChannelEndpoint> onClose,
        final HandleClosing handleClosing)
    {
        this.region = region;
        this.layout = layout;
        this.control = control;
        this.endpointTable = endpointTable;
        this.buffer = buffer;
        this.locks = locks;
        this.counters = counters;
        this.registration = registration;
        this.wakeUpWord = wakeUpWord;
        this.truncationGuard = truncationGuard;
        this.health = health;
        this.keepAddressesAfterClose = keepAddressesAfterClose;
        this.onClose = onClose;
        this.handleClosing = handleClosing;
    }

    ChannelKind kind()
    {
        return layout.kind();
    }

    /**
     * Live endpoints of a role on the channel, from the kernel's locks; 0 once the region is closing.
     */
    int countAlive(final int role)
    {
        try
        {
            return EndpointRegistration.countAlive(locks, layout, endpointTable, role);
        }
        catch (final InternalError ex)
        {
            throw truncationGuard.corruption(ex); // a fault on the mapping of a truncated file
        }
    }

    /**
     * Whether a live publisher of the channel has a claim in progress.
     */
    boolean anyLiveClaim()
    {
        return EndpointRegistration.anyLiveClaim(locks, layout, endpointTable);
    }

    /**
     * Whether one of the channel's role locks is held by a live endpoint, in any process.
     */
    boolean isRoleHeld(final boolean publisher)
    {
        return locks.isHeld(layout.roleLockOffset(publisher));
    }
}
