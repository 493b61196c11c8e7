package io.shmipc.examples.support;

import io.shmipc.Publisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Offers a message and, while the channel is back-pressured, waits and tries again: up to a timeout, until the
 * process is asked to stop, and saying once when nobody is consuming the channel at all.
 */
public final class BlockingOffer
{
    private static final long LIVENESS_CHECK_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);

    private final Publisher publisher;
    private final Duration timeout;
    private final ShutdownSignal signal;
    private final RoleConsole console;
    private final IdleStrategy idleStrategy = IdleStrategies.responsive();
    private long backPressuredCount;

    /**
     * Offers on one publisher.
     *
     * @param publisher the publisher.
     * @param timeout   longest wait for space, zero for no limit.
     * @param signal    ends the wait when the process is asked to stop.
     * @param console   where to say that nobody consumes the channel.
     */
    public BlockingOffer(
        final Publisher publisher, final Duration timeout, final ShutdownSignal signal, final RoleConsole console)
    {
        this.publisher = publisher;
        this.timeout = timeout;
        this.signal = signal;
        this.console = console;
    }

    /**
     * Publish one message, waiting while the channel is full.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true when published, false when the process was asked to stop first.
     * @throws CommandFailedException when the channel stayed full for the timeout, or closed.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final long result = publisher.offer(buffer, offset, length);
        if (result == Publisher.OK)
        {
            return true;
        }
        return offerWhileBackPressured(result, buffer, offset, length);
    }

    /**
     * How many messages found the channel full at their first attempt.
     *
     * @return the count.
     */
    public long backPressuredCount()
    {
        return backPressuredCount;
    }

    private boolean offerWhileBackPressured(
        final long firstResult, final DirectBuffer buffer, final int offset, final int length)
    {
        backPressuredCount++;
        final long startNs = System.nanoTime();
        long nextLivenessCheckNs = startNs + LIVENESS_CHECK_INTERVAL_NS;
        boolean warned = false;
        long result = firstResult;
        idleStrategy.reset();
        while (result != Publisher.OK)
        {
            if (result == Publisher.CLOSED)
            {
                throw new CommandFailedException("channel '" + publisher.channel() + "' was closed");
            }
            if (signal.isRequested())
            {
                return false;
            }
            final long nowNs = System.nanoTime();
            if (!timeout.isZero() && nowNs - startNs >= timeout.toNanos())
            {
                throw new CommandFailedException("channel '" + publisher.channel() + "' stayed full for " +
                    DurationConverter.describe(timeout) + (publisher.isConsumerAlive() ?
                    ": its subscriber is not keeping up" : ": no subscriber is attached to it"));
            }
            if (nowNs - nextLivenessCheckNs >= 0)
            {
                nextLivenessCheckNs = nowNs + LIVENESS_CHECK_INTERVAL_NS;
                if (!warned && !publisher.isConsumerAlive())
                {
                    console.say("channel '%s' is full and no subscriber is attached: waiting up to %s",
                        publisher.channel(), DurationConverter.describe(timeout));
                    warned = true;
                }
            }
            idleStrategy.idle();
            result = publisher.offer(buffer, offset, length);
        }
        return true;
    }
}
