package io.shmipc.channel;

import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.exceptions.RegionClosedException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.wait.WakeUpWord;
import org.agrona.DirectBuffer;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What every publisher kind shares: the checks every offer and claim make before touching shared memory, the
 * channel's counters and its wake-up word.
 */
public abstract class PublisherEndpoint extends ChannelEndpoint
{
    /** Reaches the package-private members of {@link Claim}; a constant for the JIT. */
    static final ApiAccess API = ApiAccess.get();

    final int maxMessageLength;
    final WakeUpWord wakeUpWord;
    final PublisherCounters publisherCounters;
    private static final AtomicReferenceFieldUpdater<PublisherEndpoint, Thread> CLAIM_THREAD =
        AtomicReferenceFieldUpdater.newUpdater(PublisherEndpoint.class, Thread.class, "claimThread");

    /** The claim this publisher holds, and the thread that took it: what a close must know about it. */
    private Claim heldClaim;
    private volatile Thread claimThread;

    PublisherEndpoint(final ChannelContext context)
    {
        super(context);
        this.maxMessageLength = context.layout.maxMessageLength();
        this.wakeUpWord = context.wakeUpWord;
        // Publishers that share a channel count locally and add in batches; the only one keeps the totals.
        this.publisherCounters = new PublisherCounters(counters, !context.kind().hasSinglePublisher());
    }

    /**
     * A claim is being taken by the calling thread: a volatile store, so that a close on another thread that comes
     * after it sees the claim and keeps the addresses its view points at. Before the claim writes the ring (as the
     * ring kinds call it), its fence has no store of a contended line to wait for.
     *
     * @param claim the application's claim.
     */
    final void holdClaim(final Claim claim)
    {
        heldClaim = claim;
        claimThread = Thread.currentThread();
    }

    /**
     * The held claim was committed or aborted, or not taken. A release store, with no fence after the record's
     * stores: a close on another thread that still reads the claiming thread takes the claim for one still held and
     * keeps the region's addresses, which is safe, only more than needed; the closing thread itself reads its own
     * store.
     */
    final void releaseClaim()
    {
        heldClaim = null;
        CLAIM_THREAD.lazySet(this, null); // a release store
    }

    /**
     * At close, the one rule for a claim still held. The closing thread's own claim is withdrawn (its methods throw
     * {@link RegionClosedException}) and the kind gives its space back ({@link #abortClaimAtClose()}). A claim of
     * another thread is left to that thread, which may be committing it or writing through its view this very
     * moment (one record never has two writers): the kind keeps what the view points at valid
     * ({@link #keepClaimViewAfterClose()}), and the claim's methods throw {@link RegionClosedException} from then on.
     */
    final void closeHeldClaim()
    {
        final Thread claimer = claimThread;
        if (claimer == Thread.currentThread())
        {
            final Claim claim = heldClaim;
            releaseClaim();
            API.release(claim, (ClaimTarget)this); // every publisher is the target of its own claims
            abortClaimAtClose();
        }
        else if (claimer != null)
        {
            keepClaimViewAfterClose();
        }
    }

    /**
     * Give back the space of a claim the closing thread held, while the mapping is still valid.
     */
    abstract void abortClaimAtClose();

    /**
     * A claim of another thread outlives the close: keep the region's addresses reserved, so that writes through its
     * view land in private memory however late they come. A kind whose claims are views of its own memory needs
     * nothing.
     */
    void keepClaimViewAfterClose()
    {
        context.keepAddressesAfterClose.run();
    }

    /**
     * The exception a claim's methods throw once the close withdrew it.
     *
     * @return a new exception.
     */
    public final RegionClosedException closedClaim()
    {
        return closedException();
    }

    /**
     * What a fault on the mapping met at a claim's commit or abort becomes; see {@link ClaimTarget#claimFault}.
     *
     * @param fault HotSpot's error.
     * @return the typed error.
     */
    public final ShmIpcException claimFault(final InternalError fault)
    {
        return failure(fault);
    }

    /**
     * The region, for messages.
     *
     * @return the region as text.
     */
    public final String region()
    {
        return context.region;
    }

    /**
     * The longest message the channel accepts.
     *
     * @return bytes.
     */
    public final int maxMessageLength()
    {
        return maxMessageLength;
    }

    /**
     * Copy a message into the channel after the closed and length checks; see {@link Publisher#offer}.
     *
     * @param source holding the message.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return {@link Publisher#OK}, {@link Publisher#BACK_PRESSURED} or {@link Publisher#CLOSED}.
     */
    public final long offer(final DirectBuffer source, final int offset, final int length)
    {
        try
        {
            if (!admits(length))
            {
                return Publisher.CLOSED;
            }
            if (!SourceRange.holds(source, offset, length))
            {
                throw SourceRange.refusal(source, offset, length, "message", "region=" + context.region +
                    " channel=" + channel());
            }
            return publish(source, offset, length);
        }
        catch (final InternalError ex)
        {
            return closedOrThrow(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    /**
     * Claim space after the closed, length and held-claim checks; see {@link Publisher#tryClaim}.
     *
     * @param length bytes to claim.
     * @param claim  filled with the claimed space.
     * @return {@link Publisher#OK}, {@link Publisher#BACK_PRESSURED} or {@link Publisher#CLOSED}.
     */
    public final long tryClaim(final int length, final Claim claim)
    {
        try
        {
            return checkedClaim(length, claim);
        }
        catch (final InternalError ex)
        {
            return closedOrThrow(ex); // a fault on the mapping, surfacing anywhere in the call
        }
    }

    /**
     * The checks before every publication: false once closed; the channel's failure and a length over the limit
     * throw.
     */
    final boolean admits(final int length)
    {
        if (closed)
        {
            return false;
        }
        if (health.isFailed())
        {
            throw failedChannel();
        }
        if (length > maxMessageLength)
        {
            throw tooLarge(length);
        }
        return true;
    }

    private long checkedClaim(final int length, final Claim claim)
    {
        Objects.requireNonNull(claim, "claim"); // before any space is claimed: a claim nobody holds stalls the ring
        if (!admits(length))
        {
            return Publisher.CLOSED;
        }
        if (length < 0)
        {
            // Checked here: Agrona's own refusal would be taken for a fault in the shared buffer.
            throw new IllegalArgumentException("negative claim length: region=" + context.region + " channel=" +
                channel() + " length=" + length);
        }
        if (isClaimHeld())
        {
            throw new IllegalStateException("a claim is already held: region=" + context.region + " channel=" +
                channel() + "; commit or abort it first");
        }
        if (claim.isHeld())
        {
            // Taken over, the claim it holds would be left unfinished for good, holding its channel back.
            throw new IllegalStateException("the Claim given still holds a claim of another publisher: region=" +
                context.region + " channel=" + channel() + "; commit or abort that first, or use one Claim per " +
                "publisher");
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
     * The outcome of a publishing operation that failed inside shared memory: {@link Publisher#CLOSED} when this
     * publisher was closed meanwhile (its region may be gone, or going), else the typed error.
     *
     * @param cause what the operation threw.
     * @return {@link Publisher#CLOSED}.
     * @throws io.shmipc.exceptions.ShmIpcException when the publisher is open: the region is corrupt or truncated.
     */
    final long closedOrThrow(final Throwable cause)
    {
        if (closed)
        {
            return Publisher.CLOSED;
        }
        throw failure(cause);
    }

    /**
     * After a write: {@link Publisher#OK} only when the channel can still deliver it. A close, or a failure of the
     * channel found by another thread (which may have replaced the mapping of a truncated file), that overtook the
     * write leaves it unreported.
     *
     * @return {@link Publisher#OK} or {@link Publisher#CLOSED}.
     * @throws io.shmipc.exceptions.CorruptRegionException when the channel failed during the write.
     */
    final long written()
    {
        if (closed)
        {
            return Publisher.CLOSED; // it may have landed in memory the close released
        }
        if (health.failure() != null)
        {
            throw failedChannel();
        }
        return Publisher.OK;
    }

    /**
     * Whether a liveness probe on the other side's role says it is alive, false once the region is closing.
     */
    final boolean isRoleAlive(final boolean publisherRole)
    {
        if (closed)
        {
            return false;
        }
        try
        {
            return context.isRoleHeld(publisherRole);
        }
        catch (final RegionClosedException ex)
        {
            return false;
        }
    }

    /**
     * After a write: count it and wake sleeping subscribers, or count the back-pressure; {@link Publisher#OK} only
     * when the channel can still deliver it (see {@link #written()}).
     *
     * @param written      whether the channel took the record.
     * @param messages     messages in the record.
     * @param payloadBytes payload bytes in the record.
     * @return {@link Publisher#OK}, {@link Publisher#BACK_PRESSURED} or {@link Publisher#CLOSED}.
     * @throws io.shmipc.exceptions.CorruptRegionException when the channel failed during the write.
     */
    final long written(final boolean written, final int messages, final int payloadBytes)
    {
        if (!written)
        {
            publisherCounters.onBackPressure();
            return Publisher.BACK_PRESSURED;
        }
        return published(messages, payloadBytes);
    }

    /**
     * After a record was written: {@link Publisher#OK}, counted, or {@link Publisher#CLOSED} when this publisher was
     * closed during the write (see {@link #written()}). Sleeping subscribers are woken either way: a record written
     * by a publisher closed meanwhile may have landed, and no subscriber may sleep on with it unseen.
     *
     * @param messages     messages in the record.
     * @param payloadBytes payload bytes in the record.
     * @return {@link Publisher#OK} or {@link Publisher#CLOSED}.
     * @throws io.shmipc.exceptions.CorruptRegionException when the channel failed during the write.
     */
    final long published(final int messages, final int payloadBytes)
    {
        final long result = written();
        if (result == Publisher.OK)
        {
            publisherCounters.onPublished(messages, payloadBytes);
        }
        wakeUpWord.signal();
        return result;
    }

    /**
     * Flush the counters, and look for the wake-up counts of a subscriber killed while blocking: left counted, they
     * would make this publisher fence, and wake nobody with a system call, after every message.
     */
    @Override
    final void onHeartbeat()
    {
        publisherCounters.flush();
        wakeUpWord.releaseNextDeadShare();
        onPublisherHeartbeat();
    }

    /**
     * Called with each heartbeat, after the counters: a kind's own checks.
     */
    void onPublisherHeartbeat()
    {
    }

    /**
     * Live subscribers of the channel, from the kernel's locks; see {@link Publisher#connectedSubscribers()}.
     *
     * @return live subscribers, 0 once closed.
     */
    public final int connectedSubscribers()
    {
        if (closed)
        {
            return 0;
        }
        return context.countAlive(EndpointDescriptor.ROLE_SUBSCRIBER);
    }
}
