package io.shmipc;

import io.shmipc.wait.Timeouts;
import io.shmipc.exceptions.RegionClosedException;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;

/**
 * Consumes messages from one channel. Obtained from {@link Region#subscriber(String)}; not thread-safe. Polling
 * allocates nothing.
 */
public sealed interface Subscriber extends AutoCloseable
    permits io.shmipc.channel.RingSubscriber, io.shmipc.channel.BroadcastSubscriber, io.shmipc.channel.LogSubscriber
{
    /**
     * The channel name.
     *
     * @return the name.
     */
    String channel();

    /**
     * The channel kind.
     *
     * @return the kind.
     */
    ChannelKind kind();

    /**
     * Deliver up to {@code limit} waiting messages to {@code handler}, without waiting. A batch published through
     * {@link BatchingPublisher} is one ring record: it counts once against {@code limit} and is delivered whole.
     * An exception thrown by {@code handler} reaches the caller unchanged; the message it was thrown for is consumed,
     * and the rest of its batch, if any, is delivered first by the next poll.
     * <p>
     * On a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel a tethered subscriber's handler sees each message in place
     * in shared memory; an untethered one's sees a private copy, checked intact after it was made. Either way the
     * buffer is valid only during the call.
     *
     * @param handler called once per message.
     * @param limit   most records to consume.
     * @return messages delivered (the work count, for an {@link IdleStrategy}).
     * @throws RegionClosedException after this subscriber or its region was closed.
     * @throws IllegalStateException when called from inside this subscriber's handler (it would deliver the
     *                               records being handled a second time), before anything is read.
     */
    int poll(MessageHandler handler, int limit);

    /**
     * Poll, waiting with {@code idleStrategy} until at least one message arrives, the timeout passes, or the thread
     * is interrupted (the status stays set).
     *
     * @param handler      called once per message.
     * @param limit        most records to consume, as for {@link #poll(MessageHandler, int)}: a batch counts once.
     * @param idleStrategy how to wait between polls.
     * @param timeout      longest wait.
     * @return messages delivered, 0 when the timeout passed or the thread was interrupted.
     * @throws RegionClosedException after this subscriber or its region was closed.
     */
    default int poll(final MessageHandler handler, final int limit, final IdleStrategy idleStrategy,
        final Duration timeout)
    {
        int received = poll(handler, limit);
        if (received > 0)
        {
            return received;
        }
        final long deadline = System.nanoTime() + Timeouts.nanos(timeout);
        idleStrategy.reset();
        while ((received = poll(handler, limit)) == 0 && System.nanoTime() - deadline < 0 &&
            !Thread.currentThread().isInterrupted())
        {
            idleStrategy.idle();
        }
        return received;
    }

    /**
     * Poll, blocking while there is nothing to deliver: spin briefly, yield, then sleep on the channel's wake-up
     * word ({@code futex} on Linux) until a publisher signals or the timeout passes. Idle CPU is near zero while
     * wake-up stays in microseconds. Allocates nothing after the first call (an interrupt that ends a sleep
     * allocates the JDK's exception for it, about 0.8 KB). An interrupt of the thread ends the wait at once, as the
     * timeout would, and its status stays set (a thread interrupted before the call polls once and returns).
     *
     * @param handler called once per message.
     * @param limit   most records to consume, as for {@link #poll(MessageHandler, int)}: a batch counts once.
     * @param timeout longest wait.
     * @return messages delivered, 0 when the timeout passed or the thread was interrupted (check
     *         {@link #connectedPublishers()} to tell a dead or absent publisher from a quiet one).
     * @throws RegionClosedException after this subscriber or its region was closed.
     */
    int poll(MessageHandler handler, int limit, Duration timeout);

    /**
     * How many times a blocking wait slept its whole timeout, with no wake-up, while a message was waiting: a lost
     * wake-up. The protocol makes this impossible; the count exists so that tests and tools can show it stays 0. (A
     * publisher held off its core between writing a message and waking the subscriber, for the rest of the timeout,
     * is counted too: its wake-up is late, not lost, but looks the same.)
     *
     * @return lost wake-ups observed.
     */
    long missedWakeups();

    /**
     * How this subscriber sleeps in blocking waits.
     *
     * @return futex on Linux, or the parking back-off where no futex is available.
     */
    WakeUpMechanism wakeUpMechanism();

    /**
     * Messages this subscriber lost: because the transmitter lapped it ({@link ChannelKind#BROADCAST}), or because it
     * skipped them as an untethered or demoted subscriber that fell further behind than its lag window, or was
     * overwritten ({@link ChannelKind#PUBLISH_SUBSCRIBE}: exactly the gap in the sequence of messages it delivered).
     * Ring channels are lossless and report 0.
     *
     * @return messages lost so far.
     */
    long lostMessages();

    /**
     * Where this subscriber reads next: on a {@link ChannelKind#PUBLISH_SUBSCRIBE} channel the position of the next
     * message, which a later subscriber may start from ({@link SubscriberOptions#fromPosition(long)}) while the log
     * holds it; on a ring channel the ring's head position; -1 on a broadcast channel. Positions are those of records:
     * while a {@link BatchingPublisher} batch is part delivered (its handler threw inside it), the position is the
     * batch's own, and a subscriber started from it gets the whole batch again.
     *
     * @return a position in bytes, or -1.
     */
    long position();

    /**
     * Whether this subscriber holds the publisher back: true for a ring channel's subscriber and a tethered
     * {@link ChannelKind#PUBLISH_SUBSCRIBE} subscriber, false for broadcast and untethered ones. A tethered subscriber
     * the publisher demoted (see {@link SubscriberOptions#demoteAfter(java.time.Duration)}) says false from its
     * first poll after the demotion: the publisher marks it in shared memory, and the subscriber reads the mark when
     * it polls.
     *
     * @return true when tethered.
     */
    boolean isTethered();

    /**
     * Uncommitted records left by publishers that died in the middle of writing them, which this subscriber
     * skipped ({@link ChannelKind#ONE_TO_ONE} and {@link ChannelKind#MANY_TO_ONE}; 0 for the other kinds, whose
     * subscribers never see an uncommitted record).
     *
     * @return records unblocked so far.
     */
    long unblockedRecords();

    /**
     * The number of publishers of the channel alive now, in any process, answered from the kernel's locks. Not
     * for the hot path: it makes system calls.
     *
     * @return live publishers.
     */
    int connectedPublishers();

    /**
     * Whether this subscriber is closed.
     *
     * @return true after {@link #close()} or after its region closed.
     */
    boolean isClosed();

    /**
     * Release the subscriber's role and slot in the channel. Idempotent. May be called from inside this
     * subscriber's handler: the poll in progress then delivers nothing more, and on a ring channel what it did not
     * deliver stays for the next subscriber (a batch the close happened inside is delivered again whole).
     */
    @Override
    void close();
}
