package io.shmipc.tests.faults;

import io.shmipc.toolkit.InputLines;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A soak consumer incarnation: polls in batches of a fixed limit and, inside the handler, writes each message's
 * producer, incarnation and sequence to its own log file with one {@code write} system call, so that everything
 * the library delivered before a {@code kill -9} is in the file (the kernel keeps it), and nothing more.
 * <p>
 * Arguments: region, channel, log file, batch limit. Prints {@code SUBSCRIBED}, {@code CONSUMED <n>} every
 * 5000 messages, {@code UNBLOCKED <n>} when that count changes, {@code CORRUPT ...} for a message failing its
 * checks. Commands: {@code EXPECT <p> <i> <seq>} (may repeat), then {@code CHECK}: prints {@code DRAINED} once
 * every expected sequence arrived; {@code EXIT}.
 */
public final class SoakConsumerMain
{
    private final FileChannel log;
    private final ByteBuffer record = ByteBuffer.allocateDirect(SoakMessages.LOG_RECORD_LENGTH)
        .order(ByteOrder.LITTLE_ENDIAN);
    private final Map<Long, Long> highest = new HashMap<>();
    private long consumed;

    private SoakConsumerMain(final FileChannel log)
    {
        this.log = log;
    }

    public static void main(final String[] args) throws IOException
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final String channel = args[1];
        final int limit = Integer.parseInt(args[3]);
        final InputLines commands = ChildSupport.commands();
        final Map<Long, Long> expected = new HashMap<>();
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        boolean checking = false;
        long unblocked = 0;
        try (FileChannel log = FileChannel.open(Path.of(args[2]), StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
            Region region = Region.attach(location, Duration.ofSeconds(10));
            Subscriber subscriber = region.subscriber(channel))
        {
            final SoakConsumerMain consumer = new SoakConsumerMain(log);
            ChildSupport.println("SUBSCRIBED");
            while (true)
            {
                final int read = subscriber.poll(consumer::onMessage, limit);
                if (subscriber.unblockedRecords() != unblocked)
                {
                    unblocked = subscriber.unblockedRecords();
                    ChildSupport.println("UNBLOCKED " + unblocked);
                }
                final String command = commands.poll();
                if (command != null)
                {
                    if (command.equals("EXIT") || command == ChildSupport.END_OF_INPUT)
                    {
                        break;
                    }
                    if (command.equals("CHECK"))
                    {
                        checking = true;
                    }
                    else if (command.startsWith("EXPECT "))
                    {
                        final String[] words = command.split(" ");
                        expected.put(key(Integer.parseInt(words[1]), Integer.parseInt(words[2])),
                            Long.parseLong(words[3]));
                    }
                }
                if (checking && consumer.hasAll(expected))
                {
                    ChildSupport.println("DRAINED");
                    checking = false;
                }
                idle.idle(read);
            }
        }
        ChildSupport.println("EXITED");
    }

    private static long key(final int producer, final int incarnation)
    {
        return ((long)producer << 32) | incarnation;
    }

    private boolean hasAll(final Map<Long, Long> expected)
    {
        for (final Map.Entry<Long, Long> entry : expected.entrySet())
        {
            if (highest.getOrDefault(entry.getKey(), -1L) < entry.getValue())
            {
                return false;
            }
        }
        return true;
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        record.clear();
        if (SoakMessages.isValid(buffer, offset, length))
        {
            final int producer = buffer.getInt(offset);
            final int incarnation = buffer.getInt(offset + 4);
            final long sequence = buffer.getLong(offset + 8);
            record.putInt(producer).putInt(incarnation).putLong(sequence);
            highest.merge(key(producer, incarnation), sequence, Math::max);
        }
        else
        {
            record.putInt(SoakMessages.CORRUPT_PRODUCER).putInt(length).putLong(0);
            ChildSupport.println("CORRUPT length=" + length);
        }
        record.flip();
        try
        {
            while (record.hasRemaining())
            {
                log.write(record);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        if (++consumed % 5000 == 0)
        {
            ChildSupport.println("CONSUMED " + consumed);
        }
    }
}
