package io.shmipc.examples.container;

import io.shmipc.ChannelKind;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.exceptions.RegionExistsException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.exceptions.ShmIpcException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * "Do we see the same memory?" Two processes (a test JVM and a container, or two containers) exchange random nonces
 * through a small region, so a mistake in how they share memory (different IPC namespaces, a directory that is
 * not the same bind mount, a different user) fails at once with a message saying what to fix, instead of each
 * side silently creating its own region and waiting forever.
 * <p>
 * The protocol, over two {@link ChannelKind#ONE_TO_ONE} channels of a region the initiator creates:
 * <pre>
 *   initiator                                   responder
 *   create region (O_EXCL), delete on close
 *   request:  HELLO   nonceA pid= host=   ──►   attach (waits for the region to appear)
 *   reply:    ◄──  ECHO nonceA nonceB pid= host=
 *   checks nonceA
 *   request:  CONFIRM nonceB              ──►   checks nonceB
 * </pre>
 * Only a process that reads the initiator's memory can echo nonce A, and only one that reads the responder's
 * memory can confirm nonce B, so success proves both directions. Put the handshake region where the real one
 * lives: the same IPC namespace ({@code shm:} name) or the same shared directory.
 */
public final class SharedMemoryHandshake
{
    /** Channel from the initiator to the responder. */
    public static final String REQUEST_CHANNEL = "handshake-request";
    /** Channel from the responder to the initiator. */
    public static final String REPLY_CHANNEL = "handshake-reply";
    /** What a handshake region's name starts with. */
    public static final String NAME_PREFIX = "shmipc-handshake-";

    private static final int CHANNEL_CAPACITY = 4096;
    private static final long MIN_MESSAGE_WAIT_NS = TimeUnit.SECONDS.toNanos(1);
    private static final String HELLO = "HELLO";
    private static final String ECHO = "ECHO";
    private static final String CONFIRM = "CONFIRM";
    private static final String SHARING_HINT = "share the memory with --ipc=host, --ipc=container:<id> (compose: " +
        "ipc: \"service:<name>\") for shm: regions, or bind-mount the same host directory on both sides for " +
        "file regions";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a successful handshake learnt.
     *
     * @param location   the handshake region, as this side named it.
     * @param localNonce the nonce this side sent.
     * @param peerNonce  the nonce the other side sent.
     * @param peer       how the other side described itself ({@code pid=<pid> host=<host>}).
     */
    public record Result(RegionLocation location, long localNonce, long peerNonce, String peer)
    {
    }

    private SharedMemoryHandshake()
    {
    }

    /**
     * A fresh, random region name for a handshake: {@code shmipc-handshake-} and 16 hexadecimal digits.
     *
     * @return the name, usable as a shared-memory name or a file name.
     */
    public static String randomName()
    {
        return NAME_PREFIX + hex(nonce());
    }

    /**
     * Create the handshake region, send a nonce, and wait for the responder to echo it.
     *
     * @param location    where to create the region; must not exist.
     * @param timeout     longest wait for the responder.
     * @param permissions mode of the region, as the real region would have (e.g. {@code 0600}).
     * @return what the responder said.
     * @throws HandshakeException when no responder answered in time or the answer did not match.
     */
    public static Result initiate(final RegionLocation location, final Duration timeout, final int permissions)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final long nonce = nonce();
        final RegionConfig config = RegionConfig.builder(location)
            .channel(REQUEST_CHANNEL, ChannelKind.ONE_TO_ONE, CHANNEL_CAPACITY)
            .channel(REPLY_CHANNEL, ChannelKind.ONE_TO_ONE, CHANNEL_CAPACITY)
            .permissions(permissions)
            .deleteOnClose(true)
            .build();
        final Region region;
        try
        {
            region = Region.create(config);
        }
        catch (final RegionExistsException ex)
        {
            throw new HandshakeException("handshake initiator: region " + location + " exists already; use a " +
                "fresh name (SharedMemoryHandshake.randomName())", ex);
        }
        try (region;
            Publisher requests = region.publisher(REQUEST_CHANNEL);
            Subscriber replies = region.subscriber(REPLY_CHANNEL))
        {
            send(requests, HELLO + " " + hex(nonce) + " " + PeerIdentity.describe(), deadline, location);
            final String[] echo = await(replies, ECHO, deadline, location);
            if (echo == null)
            {
                throw new HandshakeException("not the same memory: no answer through region " + location +
                    " within " + timeout + ". The other side does not see this region (another IPC namespace, " +
                    "/dev/shm or directory), may not open it (another uid/gid), or was not started; " +
                    SHARING_HINT);
            }
            if (echo.length < 3 || !echo[1].equals(hex(nonce)))
            {
                throw new HandshakeException("not the same memory: the answer through region " + location +
                    " carried nonce=" + (echo.length > 1 ? echo[1] : "none") + ", expected nonce=" + hex(nonce) +
                    "; another process is using a region of this name");
            }
            final long peerNonce = parseHex(echo[2], location);
            send(requests, CONFIRM + " " + hex(peerNonce), deadline, location);
            return new Result(location, nonce, peerNonce, rest(echo, 3));
        }
    }

    /**
     * Attach to the initiator's handshake region, echo its nonce with one of our own, and wait for the
     * confirmation.
     *
     * @param location where the initiator creates the region, as this side sees it.
     * @param timeout  longest wait, for the region to appear and for each message.
     * @return what the initiator said.
     * @throws HandshakeException when the region does not appear, cannot be opened, or the exchange fails.
     */
    public static Result respond(final RegionLocation location, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Region region = attach(location, timeout);
        try (region;
            Subscriber requests = region.subscriber(REQUEST_CHANNEL);
            Publisher replies = region.publisher(REPLY_CHANNEL))
        {
            final String[] hello = await(requests, HELLO, deadline, location);
            if (hello == null || hello.length < 2)
            {
                throw new HandshakeException("handshake responder: region " + location + " exists here but no " +
                    "HELLO arrived within " + timeout + "; its creator died or it is not a handshake region");
            }
            final long nonce = nonce();
            send(replies, ECHO + " " + hello[1] + " " + hex(nonce) + " " + PeerIdentity.describe(), deadline,
                location);
            final String[] confirm = await(requests, CONFIRM, deadline, location);
            if (confirm == null)
            {
                throw new HandshakeException("handshake responder: the initiator did not confirm nonce=" +
                    hex(nonce) + " through region " + location + " within " + timeout + " (it gave up first?)");
            }
            if (confirm.length < 2 || !confirm[1].equals(hex(nonce)))
            {
                throw new HandshakeException("not the same memory: the confirmation through region " + location +
                    " carried nonce=" + (confirm.length > 1 ? confirm[1] : "none") + ", expected nonce=" +
                    hex(nonce));
            }
            return new Result(location, nonce, parseHex(hello[1], location), rest(hello, 2));
        }
    }

    private static Region attach(final RegionLocation location, final Duration timeout)
    {
        try
        {
            return Region.attach(location, timeout);
        }
        catch (final RegionNotFoundException ex)
        {
            throw new HandshakeException("not the same memory: region " + location + " did not appear here " +
                "within " + timeout + "; this process does not see the initiator's /dev/shm or directory; " +
                SHARING_HINT, ex);
        }
        catch (final RegionPermissionException ex)
        {
            throw new HandshakeException("the handshake region " + location + " is visible but may not be " +
                "opened by this process (" + PeerIdentity.describe() + "): run both sides as the same uid/gid " +
                "(docker run --user), or give the region group permissions; " + ex.getMessage(), ex);
        }
        catch (final ShmIpcException ex)
        {
            throw new HandshakeException("handshake responder: cannot attach region " + location + ": " +
                ex.getMessage(), ex);
        }
    }

    private static void send(
        final Publisher publisher, final String text, final long deadline, final RegionLocation location)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final long timeoutNs = Math.max(deadline - System.nanoTime(), MIN_MESSAGE_WAIT_NS);
        final long result = publisher.offer(buffer, 0, bytes.length, idleStrategy(), timeoutNs);
        if (result != Publisher.OK)
        {
            throw new HandshakeException("handshake: cannot send '" + text + "' through region " + location +
                ": result=" + result);
        }
    }

    private static String[] await(
        final Subscriber subscriber, final String expected, final long deadline, final RegionLocation location)
    {
        final String[] received = new String[1];
        final IdleStrategy idle = idleStrategy();
        final long end = Math.max(deadline, System.nanoTime() + MIN_MESSAGE_WAIT_NS);
        while (received[0] == null)
        {
            subscriber.poll((buffer, offset, length) -> received[0] = buffer.getStringWithoutLengthUtf8(offset,
                length), 1);
            if (received[0] == null)
            {
                if (System.nanoTime() - end >= 0)
                {
                    return null;
                }
                idle.idle();
            }
        }
        final String[] words = received[0].split(" ");
        if (!words[0].equals(expected))
        {
            throw new HandshakeException("handshake: unexpected message '" + received[0] + "' through region " +
                location + ", expected " + expected);
        }
        return words;
    }

    private static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(10, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    private static long nonce()
    {
        long nonce;
        do
        {
            nonce = RANDOM.nextLong();
        }
        while (nonce == 0);
        return nonce;
    }

    private static String hex(final long value)
    {
        return String.format("%016x", value);
    }

    private static long parseHex(final String text, final RegionLocation location)
    {
        try
        {
            return Long.parseUnsignedLong(text, 16);
        }
        catch (final NumberFormatException ex)
        {
            throw new HandshakeException("handshake: malformed nonce '" + text + "' through region " + location, ex);
        }
    }

    private static String rest(final String[] words, final int from)
    {
        return from >= words.length ? "" : String.join(" ", java.util.Arrays.copyOfRange(words, from, words.length));
    }
}
