package io.shmipc.examples.support;

import io.shmipc.Publisher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Offers a message and, while the channel is back-pressured, waits and tries again: up to a timeout, until the
 * process is asked to stop, or until its {@link PeerWatch} finds the subscriber gone or the region deleted; and says
 * once when nobody is consuming the channel at all.
 */
public final class BlockingOffer
{
    private static final long NOBODY_WARNING_NS = TimeUnit.SECONDS.toNanos(1);

    private final Publisher publisher;
    private final Duration timeout;
    private final PeerWatch watch;
    private final RoleConsole console;
    private final IdleStrategy idleStrategy = IdleStrategies.responsive();
    private long backPressuredCount;

    /**
     * Offers on one publisher.
     *
     * @param publisher the publisher.
     * @param timeout   longest wait for space, zero for no limit.
     * @param watch     checked between attempts.
     * @param console   where to say that nobody consumes the channel.
     */
    public BlockingOffer(
        final Publisher publisher, final Duration timeout, final PeerWatch watch, final RoleConsole console)
    {
        this.publisher = publisher;
        this.timeout = timeout;
        this.watch = watch;
        this.console = console;
    }

    /**
     * Publish one message, waiting while the channel is full.
     *
     * @param buffer holding the message.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true when published, false when the process was asked to stop first.
     * @throws CommandFailedException with {@link ExitCodes#TIMEOUT} when the channel stayed full for the timeout,
     *                                {@link ExitCodes#PEER_GONE} when the subscriber died or the region was deleted,
     *                                or {@link ExitCodes#FAILURE} when the publisher was closed.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        watch.check();
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
        boolean warned = false;
        long result = firstResult;
        idleStrategy.reset();
        while (result != Publisher.OK)
        {
            if (result == Publisher.CLOSED)
            {
                throw new CommandFailedException("channel '" + publisher.channel() + "' was closed");
            }
            if (ShutdownSignal.current().isRequested())
            {
                return false;
            }
            watch.check();
            final long waitedNs = System.nanoTime() - startNs;
            if (!timeout.isZero() && waitedNs >= timeout.toNanos())
            {
                throw new CommandFailedException(ExitCodes.TIMEOUT, "channel '" + publisher.channel() +
                    "' stayed full for " + DurationConverter.describe(timeout) + (!watch.consumerSeen() ?
                    ": no subscriber is attached to it" : publisher.kind().hasSingleSubscriber() ?
                    ": its subscriber is not keeping up" : ": a tethered subscriber is not keeping up"));
            }
            if (!warned && !watch.consumerSeen() && waitedNs >= NOBODY_WARNING_NS)
            {
                console.say("channel '%s' is full and no subscriber is attached: waiting up to %s",
                    publisher.channel(), DurationConverter.describe(timeout));
                warned = true;
            }
            idleStrategy.idle();
            result = publisher.offer(buffer, offset, length);
        }
        return true;
    }
}
