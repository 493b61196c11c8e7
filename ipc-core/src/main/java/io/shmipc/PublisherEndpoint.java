package io.shmipc;

import io.shmipc.layout.ChannelLayout;
import io.shmipc.liveness.EndpointRegistration;
import io.shmipc.wait.WakeUpWord;
import org.agrona.DirectBuffer;

/**
 * What both publisher kinds share: the checks every offer and claim make before touching shared memory, the
 * channel's counters and its wake-up word.
 */
abstract class PublisherEndpoint extends ChannelEndpoint
{
    final int maxMessageLength;
    final WakeUpWord wakeUpWord;
    final PublisherCounters publisherCounters;

    PublisherEndpoint(final Region region, final ChannelLayout layout, final EndpointRegistration registration,
        final WakeUpWord wakeUpWord, final boolean sharedCounters)
    {
        super(region, layout, registration);
        this.maxMessageLength = layout.maxMessageLength();
        this.wakeUpWord = wakeUpWord;
        this.publisherCounters = new PublisherCounters(counters, sharedCounters);
    }

    public final int maxMessageLength()
    {
        return maxMessageLength;
    }

    public final long offer(final DirectBuffer source, final int offset, final int length)
    {
        if (closed)
        {
            return Publisher.CLOSED;
        }
        if (length > maxMessageLength)
        {
            throw tooLarge(length);
        }
        source.boundsCheck(offset, length);
        return publish(source, offset, length);
    }

    public final long tryClaim(final int length, final Claim claim)
    {
        if (closed)
        {
            return Publisher.CLOSED;
        }
        if (length > maxMessageLength)
        {
            throw tooLarge(length);
        }
        if (length < 0)
        {
            // Checked here: Agrona's own refusal would be taken for a fault in the shared buffer.
            throw new IllegalArgumentException("negative claim length: region=" + region.location() + " channel=" +
                channel() + " length=" + length);
        }
        if (isClaimHeld())
        {
            throw new IllegalStateException("a claim is already held: channel=" + channel() +
                "; commit or abort it first");
        }
        return claim(length, claim);
    }

    /**
     * Publish a checked message.
     *
     * @return {@link Publisher#OK} or {@link Publisher#BACK_PRESSURED}.
     */
    abstract long publish(DirectBuffer source, int offset, int length);

    /**
     * Claim space for a checked length while no claim is held.
     *
     * @return {@link Publisher#OK} or {@link Publisher#BACK_PRESSURED}.
     */
    abstract long claim(int length, Claim claim);

    abstract boolean isClaimHeld();

    /**
     * Flush the counters, and look for the wake-up counts of a subscriber killed while blocking: left counted, they
     * would make this publisher fence, and wake nobody with a system call, after every message.
     */
    @Override
    final void onHeartbeat()
    {
        publisherCounters.flush();
        wakeUpWord.releaseNextDeadShare();
    }

    public final int connectedSubscribers()
    {
        if (closed)
        {
            return 0;
        }
        return region.countAlive(layout, io.shmipc.layout.EndpointDescriptor.ROLE_SUBSCRIBER);
    }
}
