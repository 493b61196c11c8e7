package io.shmipc.posix;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * A counter in a shared mapping whose atomic updates survive the file being truncated under it, as
 * {@link MappedBuffer}'s do: Agrona's {@link AtomicCounter} runs them on {@code Unsafe} directly, which HotSpot does
 * not guard while the caller runs in the interpreter; these run in {@link MappedBuffer}'s compiled methods. Plain,
 * ordered and release updates are single stores, which HotSpot guards anyway.
 */
public final class MappedCounter extends AtomicCounter
{
    private final long address;

    /**
     * The counter {@code counterId} of a counters-values area.
     *
     * @param values    the counters' values, in a mapping.
     * @param counterId the counter.
     */
    public MappedCounter(final MappedBuffer values, final int counterId)
    {
        super(values, counterId);
        this.address = values.addressOffset() + CountersReader.counterOffset(counterId);
    }

    @Override
    public long increment()
    {
        return MappedBuffer.getAndAddLongAt(address, 1);
    }

    @Override
    public long decrement()
    {
        return MappedBuffer.getAndAddLongAt(address, -1);
    }

    @Override
    public long getAndAdd(final long increment)
    {
        return MappedBuffer.getAndAddLongAt(address, increment);
    }

    @Override
    public long getAndSet(final long value)
    {
        return MappedBuffer.getAndSetLongAt(address, value);
    }

    @Override
    public boolean compareAndSet(final long expectedValue, final long updateValue)
    {
        return MappedBuffer.compareAndSetLongAt(address, expectedValue, updateValue);
    }
}
