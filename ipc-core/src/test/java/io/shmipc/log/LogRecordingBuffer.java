package io.shmipc.log;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A buffer over zeroed direct memory that logs every store of a long, ordered or plain, every load of a long, plain
 * or volatile, every compare-and-set, every copy into it and every fill, so a test can assert the order the log
 * protocol needs. Entries read {@code method@index=value}, e.g. {@code putLongRelease@1024=16}, {@code
 * putBytes@16+20} or {@code setMemory@32+96=0}.
 */
final class LogRecordingBuffer extends UnsafeBuffer
{
    private final List<String> log = new ArrayList<>();
    private boolean recording = true;
    private int hookIndex = -1;
    private Runnable hook;

    LogRecordingBuffer(final int length)
    {
        super(ByteBuffer.allocateDirect(length));
    }

    List<String> log()
    {
        return log;
    }

    void clear()
    {
        log.clear();
    }

    void recording(final boolean recording)
    {
        this.recording = recording;
    }

    /**
     * Run {@code action} after every volatile load of the long at {@code index}: what another process does between
     * that load and the next access.
     */
    void onGetLongVolatile(final int index, final Runnable action)
    {
        hookIndex = index;
        hook = action;
    }

    /**
     * The position in the log of the first entry starting with {@code prefix}.
     */
    int indexOf(final String prefix)
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

    private void record(final String entry)
    {
        if (recording)
        {
            log.add(entry);
        }
    }

    @Override
    public void putLong(final int index, final long value)
    {
        record("putLong@" + index + "=" + value);
        super.putLong(index, value);
    }

    @Override
    public void putLongRelease(final int index, final long value)
    {
        record("putLongRelease@" + index + "=" + value);
        super.putLongRelease(index, value);
    }

    @Override
    public long getLong(final int index)
    {
        record("getLong@" + index);
        return super.getLong(index);
    }

    @Override
    public void setMemory(final int index, final int length, final byte value)
    {
        record("setMemory@" + index + "+" + length + "=" + value);
        super.setMemory(index, length, value);
    }

    @Override
    public long getLongVolatile(final int index)
    {
        record("getLongVolatile@" + index);
        final long value = super.getLongVolatile(index);
        if (index == hookIndex)
        {
            hook.run();
        }
        return value;
    }

    @Override
    public boolean compareAndSetLong(final int index, final long expectedValue, final long updateValue)
    {
        final boolean swapped = super.compareAndSetLong(index, expectedValue, updateValue);
        record("compareAndSetLong@" + index + "=" + updateValue + (swapped ? "" : " failed"));
        return swapped;
    }

    @Override
    public void putBytes(final int index, final DirectBuffer source, final int sourceIndex, final int length)
    {
        record("putBytes@" + index + "+" + length);
        super.putBytes(index, source, sourceIndex, length);
    }
}
