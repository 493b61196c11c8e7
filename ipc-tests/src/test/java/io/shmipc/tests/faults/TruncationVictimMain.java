package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildSupport;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.WaitSet;
import io.shmipc.exceptions.CorruptRegionException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * Uses a file-backed region in a loop until another process truncates the file under its mapping, and reports
 * how that surfaced.
 * <p>
 * Expected: {@code CAUGHT CorruptRegionException field=<field>}; then closing the region prints {@code CLOSED}
 * or {@code CLOSED-REPORTING CorruptRegionException ...}, and {@code RELEASED} when the file is neither mapped
 * nor open any more (else {@code LEAKED}). On the way, HotSpot may raise the {@code SIGBUS} of
 * a touched page past the end of the file as an asynchronous {@link InternalError} anywhere in this loop, even
 * outside the library's call: each is counted and printed as {@code ASYNC <message>}, and the loop goes on (the
 * documented limitation). Anything else thrown is printed as {@code UNEXPECTED} (exit status 2); a JVM crash
 * shows as a signal exit status.
 * <p>
 * Arguments: region path, channel, {@code subscribe}, {@code publish}, {@code sleep} (a subscriber in a blocking
 * poll of an hour on a channel nobody publishes to: nothing but the truncation can end it) or {@code waitset} (the
 * same subscriber asleep in a
 * {@link WaitSet}). Prints {@code RUNNING} once the loop has run a while (the sleeping roles at once: the test
 * waits until the channel counts the sleeper).
 */
public final class TruncationVictimMain
{
    private static final int RUNNING_AFTER = 2_000;
    private static final String UNSAFE_FAULT = "unsafe memory access";

    private TruncationVictimMain()
    {
    }

    public static void main(final String[] args)
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final String channel = args[1];
        final String role = args[2];
        final boolean subscribe = !role.equals("publish");
        final Duration sleep = Duration.ofHours(1);
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 100_000);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        final Region region = Region.attach(location, Duration.ofSeconds(10));
        final Subscriber subscriber = subscribe ? region.subscriber(channel) : null;
        final Publisher publisher = subscribe ? null : region.publisher(channel);
        final WaitSet waitSet = new WaitSet();
        if (role.equals("waitset"))
        {
            waitSet.add(subscriber);
        }
        final MessageHandler reading = (buffer, offset, length) -> buffer.getLong(offset);
        long asyncErrors = 0;
        for (long operations = 1; ; operations++)
        {
            try
            {
                final int work;
                if (role.equals("sleep"))
                {
                    ChildSupport.println(operations == 1 ? "RUNNING" : "WOKE");
                    work = subscriber.poll(reading, 16, sleep);
                }
                else if (role.equals("waitset"))
                {
                    ChildSupport.println(operations == 1 ? "RUNNING" : "WOKE");
                    waitSet.await(sleep);
                    work = subscriber.poll(reading, 16);
                }
                else if (subscribe)
                {
                    work = subscriber.poll(reading, 16);
                }
                else
                {
                    message.putLong(0, operations);
                    work = publisher.offer(message, 0, message.capacity()) == Publisher.OK ? 1 : 0;
                }
                if (operations == RUNNING_AFTER && (role.equals("subscribe") || role.equals("publish")))
                {
                    ChildSupport.println("RUNNING");
                }
                idle.idle(work);
            }
            catch (final CorruptRegionException ex)
            {
                ChildSupport.println("CAUGHT CorruptRegionException field=" + ex.field() + " asyncErrors=" +
                    asyncErrors + " message=" + ex.getMessage());
                break;
            }
            catch (final InternalError ex)
            {
                if (ex.getMessage() == null || !ex.getMessage().contains(UNSAFE_FAULT))
                {
                    unexpected(ex);
                }
                if (asyncErrors++ == 0)
                {
                    ChildSupport.println("ASYNC " + ex.getMessage());
                }
            }
            catch (final Throwable ex)
            {
                unexpected(ex);
            }
        }
        waitSet.close();
        try
        {
            region.close();
            ChildSupport.println("CLOSED");
        }
        catch (final CorruptRegionException ex)
        {
            ChildSupport.println("CLOSED-REPORTING CorruptRegionException field=" + ex.field());
        }
        catch (final Throwable ex)
        {
            unexpected(ex);
        }
        ChildSupport.println(released(args[0]) ? "RELEASED" : "LEAKED mapping or descriptor of " + args[0]);
    }

    /**
     * Whether this process no longer maps the file nor holds a descriptor of it (and so no lock on it).
     */
    private static boolean released(final String file)
    {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd")))
        {
            final boolean mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .anyMatch(line -> line.contains(file));
            final boolean open = descriptors.anyMatch(descriptor -> target(descriptor).contains(file));
            return !mapped && !open;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static String target(final Path descriptor)
    {
        try
        {
            return Files.readSymbolicLink(descriptor).toString();
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private static void unexpected(final Throwable ex)
    {
        ChildSupport.println("UNEXPECTED " + ex);
        ex.printStackTrace(System.out);
        System.exit(2);
    }
}
