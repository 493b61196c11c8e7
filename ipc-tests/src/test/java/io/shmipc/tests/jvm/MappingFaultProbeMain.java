package io.shmipc.tests.jvm;

import io.shmipc.posix.MappedBuffer;
import io.shmipc.posix.MappedCounter;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One kind of access to a shared mapping whose file was truncated to 0 bytes: does HotSpot turn the {@code SIGBUS}
 * into an {@link InternalError}, or crash? The access is first run 30,000 times on the whole file (so C1 or C2,
 * when enabled, compile it), then the file is truncated and the access run until an error comes out. A cold access
 * ({@code coldCas}, {@code coldAdd}, {@code coldCounter}) is not run before the truncation: its first run after it is
 * in the interpreter, as a rarely run path's would be, and only what {@code MappedBuffer} compiled when it loaded is
 * compiled.
 * <p>
 * Arguments: the file, the access ({@code get}, {@code put}, {@code copy}, {@code mappedZero}, {@code agronaZero},
 * {@code cas}, {@code add}, {@code coldCas}, {@code coldAdd}, {@code coldCounter}: an atomic add on a
 * {@code MappedCounter}). Prints {@code GUARDED} when an {@link InternalError} came out, {@code UNNOTICED} when
 * 10,000 accesses and the line's print passed without one; a crash shows as the exit status.
 * <p>
 * HotSpot 17's interpreter raised the error only once the loop was over, after the last of its 1,000,000 accesses
 * when it had that many, at the print inside the same {@code try}. Each faulting access costs a signal, so the long
 * loop only made the interpreted probes slow (15 to 35 s each), without changing an outcome.
 */
public final class MappingFaultProbeMain
{
    private static final int LENGTH = 8192;
    private static final int WARM_UP = 30_000;
    private static final int ATTEMPTS = 10_000;
    private static final UnsafeBuffer SOURCE = new UnsafeBuffer(new byte[LENGTH]);

    private MappingFaultProbeMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(args[0], "rw"))
        {
            file.setLength(LENGTH);
            final MappedByteBuffer mapping = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, LENGTH);
            final UnsafeBuffer plain = new UnsafeBuffer(mapping);
            final MappedBuffer buffer = new MappedBuffer(plain.addressOffset(), LENGTH);
            final MappedCounter counter = new MappedCounter(buffer, 0);
            final String access = args[1];
            long sum = 0;
            for (int i = 0; i < (access.startsWith("cold") ? 0 : WARM_UP); i++)
            {
                sum += access(access, buffer, plain, counter, i);
            }
            file.setLength(0);
            try
            {
                for (int i = 0; i < ATTEMPTS; i++)
                {
                    sum += access(access, buffer, plain, counter, i);
                }
                System.out.println("UNNOTICED " + sum);
            }
            catch (final InternalError ex)
            {
                // Raised at a later safepoint poll of this thread, not necessarily at the access itself.
                System.out.println("GUARDED " + ex.getMessage());
            }
        }
    }

    private static long access(final String access, final MappedBuffer buffer, final UnsafeBuffer plain,
        final MappedCounter counter, final int i)
    {
        final int index = (i & 7) * 8;
        switch (access)
        {
            case "get":
                return buffer.getLongVolatile(index);
            case "put":
                buffer.putLongRelease(index, i);
                return 0;
            case "copy":
                buffer.putBytes(0, SOURCE, 0, LENGTH);
                return 0;
            case "mappedZero":
                buffer.setMemory(0, LENGTH, (byte)0);
                return 0;
            case "agronaZero":
                plain.setMemory(0, LENGTH, (byte)0);
                return 0;
            case "cas":
            case "coldCas":
                return buffer.compareAndSetLong(index, i, i + 1) ? 1 : 0;
            case "add":
            case "coldAdd":
                return buffer.getAndAddLong(index, 1);
            case "coldCounter":
                return counter.getAndAdd(1);
            default:
                throw new IllegalArgumentException(access);
        }
    }
}
