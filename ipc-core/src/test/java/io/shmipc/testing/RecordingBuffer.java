package io.shmipc.testing;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A buffer over zeroed direct memory that records, in one log it may share with other buffers, every ordered or
 * atomic access and every plain store a protocol piece makes through it: what a test of the ordering of stores
 * asserts on (plain stores of longs are left out: none of them is ordered). Each entry reads
 * {@code name:method@index} (plus {@code =value} or {@code +delta}), e.g. {@code control:getAndAddInt@256+1}.
 */
public final class RecordingBuffer extends UnsafeBuffer
{
    private final String name;
    private final List<String> log;

    /**
     * A buffer of its own log.
     *
     * @param name   how entries name this buffer.
     * @param length bytes.
     */
    public RecordingBuffer(final String name, final int length)
    {
        this(name, length, new ArrayList<>());
    }

    /**
     * A buffer that records into a shared log.
     *
     * @param name   how entries name this buffer.
     * @param length bytes.
     * @param log    the log, shared with other buffers to see the order across them.
     */
    public RecordingBuffer(final String name, final int length, final List<String> log)
    {
        super(ByteBuffer.allocateDirect(length));
        this.name = name;
        this.log = log;
    }

    /**
     * The accesses so far, oldest first.
     *
     * @return the shared log itself.
     */
    public List<String> log()
    {
        return log;
    }

    /**
     * The position of the first entry starting with {@code prefix}.
     *
     * @param prefix e.g. {@code control:getAndAddInt@256}.
     * @return its index in the log.
     * @throws AssertionError when no entry starts with it.
     */
    public int indexOf(final String prefix)
    {
        for (int i = 0; i < log.size(); i++)
        {
            if (log.get(i).startsWith(prefix))
            {
                return i;
            }
        }
        throw new AssertionError("no access " + prefix + " in " + log);
    }

    private void record(final String method, final int index, final String value)
    {
        log.add(name + ":" + method + "@" + index + value);
    }

    @Override
    public void putInt(final int index, final int value)
    {
        record("putInt", index, "=" + value);
        super.putInt(index, value);
    }

    @Override
    public int getIntVolatile(final int index)
    {
        record("getIntVolatile", index, "");
        return super.getIntVolatile(index);
    }

    @Override
    public void putIntRelease(final int index, final int value)
    {
        record("putIntRelease", index, "=" + value);
        super.putIntRelease(index, value);
    }

    @Override
    public int getAndAddInt(final int index, final int delta)
    {
        record("getAndAddInt", index, (delta < 0 ? "" : "+") + delta);
        return super.getAndAddInt(index, delta);
    }

    @Override
    public void putLong(final int index, final long value)
    {
        record("putLong", index, "=" + value);
        super.putLong(index, value);
    }

    @Override
    public void putLongRelease(final int index, final long value)
    {
        record("putLongRelease", index, "=" + value);
        super.putLongRelease(index, value);
    }

    @Override
    public int getIntAcquire(final int index)
    {
        record("getIntAcquire", index, "");
        return super.getIntAcquire(index);
    }

    @Override
    public boolean compareAndSetLong(final int index, final long expectedValue, final long updateValue)
    {
        final boolean swapped = super.compareAndSetLong(index, expectedValue, updateValue);
        record("compareAndSetLong", index, "=" + updateValue + (swapped ? "" : " failed"));
        return swapped;
    }
}
