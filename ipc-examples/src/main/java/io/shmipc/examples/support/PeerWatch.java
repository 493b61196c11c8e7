package io.shmipc.examples.support;

import io.shmipc.Publisher;
import io.shmipc.Region;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a producer checks between messages, at most every {@value #INTERVAL_MS} ms: that the region it publishes
 * into still has a name ({@link Region#isUnlinked()}: once deleted, no subscriber can ever attach to it again), and
 * that the subscriber it has seen is still alive ({@link Publisher#isConsumerAlive()}, the kernel's answer). Either
 * way the producer stops with {@link ExitCodes#PEER_GONE} and a line saying how many messages never reached anyone.
 * A subscriber that was never there is not missed: ring channels keep messages for one that starts later.
 */
public final class PeerWatch
{
    private static final long INTERVAL_MS = 100;
    private static final long INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS);

    private final Region region;
    private final Publisher publisher;
    private final String consumer;
    private final String restart;
    private long nextCheckNs = System.nanoTime();
    private boolean consumerSeen;

    /**
     * Watch one publisher's subscriber and its region.
     *
     * @param region    the region.
     * @param publisher the publisher; its channel's subscriber is watched unless the channel has many (a broadcast
     *                  or a publish-subscribe log).
     * @param consumer  what the subscriber is called, e.g. {@code "receiver"}, {@code "log writer"}.
     * @param restart   the command that starts a new one, for the message.
     */
    public PeerWatch(final Region region, final Publisher publisher, final String consumer, final String restart)
    {
        this.region = region;
        this.publisher = publisher;
        this.consumer = consumer;
        this.restart = restart;
    }

    /**
     * Check now if the last check is {@value #INTERVAL_MS} ms old.
     *
     * @throws CommandFailedException with {@link ExitCodes#PEER_GONE} when the region was deleted, or the subscriber
     *                                seen earlier has died.
     */
    public void check()
    {
        final long nowNs = System.nanoTime();
        if (nowNs - nextCheckNs < 0)
        {
            return;
        }
        nextCheckNs = nowNs + INTERVAL_NS;
        checkNow();
    }

    /**
     * Check at once.
     *
     * @throws CommandFailedException with {@link ExitCodes#PEER_GONE} when the region was deleted, or the subscriber
     *                                seen earlier has died.
     */
    public void checkNow()
    {
        checkRegion(region, consumer);
        if (!publisher.kind().hasSingleSubscriber())
        {
            // BROADCAST, PUBLISH_SUBSCRIBE: subscribers come and go; whether one is attached now (a stopped tethered
            // one holding the log full is) is all there is to say.
            consumerSeen = publisher.connectedSubscribers() > 0;
            return;
        }
        if (publisher.isConsumerAlive())
        {
            consumerSeen = true;
        }
        else if (consumerSeen)
        {
            final Backlog backlog = Backlog.of(region);
            throw new CommandFailedException(ExitCodes.PEER_GONE, "the " + consumer + " of channel '" +
                publisher.channel() + "' has gone: " + (backlog.isEmpty() ? "it read everything sent before" :
                backlog.where() + " never reached it; they wait for the next one") + " (start one with: " +
                restart + ")");
        }
    }

    /**
     * Check that the region still has a name.
     *
     * @param region   the region.
     * @param consumer what the process that removes it as it exits is called, e.g. {@code "matcher"}.
     * @throws CommandFailedException with {@link ExitCodes#PEER_GONE} when the region was deleted.
     */
    public static void checkRegion(final Region region, final String consumer)
    {
        if (region.isUnlinked())
        {
            final Backlog backlog = Backlog.of(region);
            throw new CommandFailedException(ExitCodes.PEER_GONE, "region " + region.location() + " was deleted " +
                "while in use (by its " + consumer + " as it exited, or by shm-ipc rm --force): " +
                (backlog.isEmpty() ? "" : "it took " + backlog.where() + " with it, and ") +
                "nothing published from now on can be read");
        }
    }

    /**
     * Wait until a subscriber is attached to the channel, up to a timeout, saying so first; the region is checked
     * meanwhile.
     *
     * @param timeout longest wait; zero waits forever.
     * @param console where to say what is waited for.
     * @return true once a subscriber is attached, false when the process was asked to stop first.
     * @throws CommandFailedException with {@link ExitCodes#TIMEOUT} when none came in time, or
     *                                {@link ExitCodes#PEER_GONE} when the region was deleted.
     */
    public boolean awaitConsumer(final Duration timeout, final RoleConsole console)
    {
        if (publisher.isConsumerAlive())
        {
            consumerSeen = true;
            return true;
        }
        console.say("waiting up to %s for the %s of channel '%s' (start it with: %s)",
            DurationConverter.describe(timeout), consumer, publisher.channel(), restart);
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        final IdleStrategy idleStrategy = IdleStrategies.responsive();
        while (!publisher.isConsumerAlive())
        {
            if (ShutdownSignal.current().isRequested())
            {
                return false;
            }
            if (!timeout.isZero() && System.nanoTime() - deadlineNs >= 0)
            {
                throw new CommandFailedException(ExitCodes.TIMEOUT, "no " + consumer + " attached to channel '" +
                    publisher.channel() + "' within " + DurationConverter.describe(timeout) + " (start it with: " +
                    restart + ")");
            }
            check();
            idleStrategy.idle();
        }
        consumerSeen = true;
        console.say("the %s attached", consumer);
        return true;
    }

    /**
     * Whether a live subscriber was seen by a check: ever, on a channel of one subscriber; at the last check, on one
     * of many.
     *
     * @return true when one was.
     */
    public boolean consumerSeen()
    {
        return consumerSeen;
    }
}
