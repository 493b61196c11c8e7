package io.shmipc.posix;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Unix-domain stream sockets in the abstract namespace (an address that is no file: it exists while its socket is
 * open and leaves nothing behind), with the two things the JDK's own Unix-domain channels cannot do: ask the kernel
 * who the peer is ({@code SO_PEERCRED}) and pass a descriptor ({@code SCM_RIGHTS}). Every failure is a typed
 * exception ({@link PosixErrors}).
 */
@SuppressWarnings("checkstyle:MethodName")
public final class UnixSockets
{
    /** Offsets in {@code struct msghdr} and {@code struct cmsghdr} on 64-bit Linux. */
    private static final int MSG_IOV_OFFSET = 16;
    private static final int MSG_IOVLEN_OFFSET = 24;
    private static final int MSG_CONTROL_OFFSET = 32;
    private static final int MSG_CONTROLLEN_OFFSET = 40;
    private static final int CMSG_LEVEL_OFFSET = 8;
    private static final int CMSG_TYPE_OFFSET = 12;
    /** Room for the descriptors a peer may send, so that unexpected ones are received and closed, not leaked. */
    private static final int RECEIVE_CONTROL_LENGTH = PosixPlatform.CMSGHDR_SIZE + 16 * Integer.BYTES;

    static
    {
        PosixPlatform.ensureSupported();
        Native.register(UnixSockets.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private UnixSockets()
    {
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int bind(int fd, Pointer address, int length) throws LastErrorException;

    private static native int listen(int fd, int backlog) throws LastErrorException;

    private static native int accept4(int fd, Pointer address, Pointer length, int flags) throws LastErrorException;

    private static native int connect(int fd, Pointer address, int length) throws LastErrorException;

    private static native int getsockopt(int fd, int level, int name, Pointer value, Pointer length)
        throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, Pointer value, int length)
        throws LastErrorException;

    private static native long sendmsg(int fd, Pointer message, int flags) throws LastErrorException;

    private static native long recvmsg(int fd, Pointer message, int flags) throws LastErrorException;

    private static native int shutdown(int fd, int how) throws LastErrorException;

    private static native int fcntl(int fd, int command, int argument) throws LastErrorException;

    /**
     * The process at the other end of a connected socket, as the kernel saw it when the connection was made.
     *
     * @param pid its process id, in this process's PID namespace (0 when it has none here).
     * @param uid its user id.
     * @param gid its group id.
     */
    public record PeerCredentials(int pid, int uid, int gid)
    {
    }

    /**
     * Bytes received, with the descriptor passed alongside them.
     *
     * @param data       the bytes.
     * @param descriptor the descriptor received (close-on-exec), or -1.
     */
    public record Received(byte[] data, int descriptor)
    {
    }

    /**
     * Listen on an abstract address.
     *
     * @param name   the address, without the leading zero byte; at most 107 bytes.
     * @param region the region, for messages.
     * @return the listening socket.
     */
    public static int listenAbstract(final String name, final String region)
    {
        final int fd = newSocket(0, region);
        try (Memory address = abstractAddress(name))
        {
            bind(fd, address, addressLength(name));
            listen(fd, 64);
            return fd;
        }
        catch (final LastErrorException ex)
        {
            Posix.close(fd, region);
            throw PosixErrors.error("bind/listen", region, ex.getErrorCode());
        }
    }

    /**
     * Connect to an abstract address, or find its listener's backlog full: the connect itself never waits, so that
     * a caller waits for room in its own way (with a deadline, interruptibly) rather than in the kernel, where neither
     * would end the wait.
     *
     * @param name   the address, without the leading zero byte.
     * @param region the region, for messages.
     * @return the connected socket (blocking, close-on-exec), or -1 when the listener's backlog is full.
     * @throws io.shmipc.exceptions.NativeCallException with {@link Errno#ECONNREFUSED} when nothing listens there.
     */
    public static int tryConnectAbstract(final String name, final String region)
    {
        final int fd = newSocket(PosixPlatform.SOCK_NONBLOCK, region);
        boolean connected = false;
        try (Memory address = abstractAddress(name))
        {
            connect(fd, address, addressLength(name));
            connected = true;
        }
        catch (final LastErrorException ex)
        {
            if (ex.getErrorCode() != Errno.EAGAIN)
            {
                throw PosixErrors.error("connect", region, ex.getErrorCode());
            }
            return -1;
        }
        finally
        {
            if (!connected)
            {
                Posix.close(fd, region);
            }
        }
        try
        {
            fcntl(fd, PosixPlatform.F_SETFL, fcntl(fd, PosixPlatform.F_GETFL, 0) & ~PosixPlatform.O_NONBLOCK);
            return fd;
        }
        catch (final LastErrorException ex)
        {
            Posix.close(fd, region);
            throw PosixErrors.error("fcntl(F_SETFL)", region, ex.getErrorCode());
        }
    }

    /**
     * Accept a connection.
     *
     * @param listener the listening socket.
     * @param region   the region, for messages.
     * @return the connected socket (close-on-exec), or -1 once the listener was shut down.
     */
    public static int accept(final int listener, final String region)
    {
        while (true)
        {
            try
            {
                return accept4(listener, null, null, PosixPlatform.SOCK_CLOEXEC);
            }
            catch (final LastErrorException ex)
            {
                if (ex.getErrorCode() == Errno.EINVAL)
                {
                    return -1;
                }
                if (ex.getErrorCode() != Errno.EINTR && ex.getErrorCode() != Errno.EAGAIN)
                {
                    throw PosixErrors.error("accept4", region, ex.getErrorCode());
                }
            }
        }
    }

    /**
     * Shut a socket down both ways: a thread blocked in {@link #accept} on a listening socket then gets -1, one
     * blocked in {@link #receive} on a connected socket gets no bytes, and a send fails. The descriptor stays open.
     *
     * @param socket the socket.
     * @param region the region, for messages.
     */
    public static void shutdown(final int socket, final String region)
    {
        try
        {
            shutdown(socket, PosixPlatform.SHUT_RDWR);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("shutdown", region, ex.getErrorCode());
        }
    }

    /**
     * Who is at the other end.
     *
     * @param fd     a connected socket.
     * @param region the region, for messages.
     * @return the peer's credentials.
     */
    public static PeerCredentials peer(final int fd, final String region)
    {
        try (Memory credentials = new Memory(3 * Integer.BYTES); Memory length = new Memory(Integer.BYTES))
        {
            credentials.clear();
            length.setInt(0, 3 * Integer.BYTES);
            getsockopt(fd, PosixPlatform.SOL_SOCKET, PosixPlatform.SO_PEERCRED, credentials, length);
            return new PeerCredentials(credentials.getInt(0), credentials.getInt(4), credentials.getInt(8));
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("getsockopt(SO_PEERCRED)", region, ex.getErrorCode());
        }
    }

    /**
     * Bound every send and receive on a socket, so that a peer that stops answering cannot block forever.
     *
     * @param fd      the socket.
     * @param timeout the longest wait of each call.
     * @param region  the region, for messages.
     */
    public static void setTimeouts(final int fd, final Duration timeout, final String region)
    {
        try (Memory time = new Memory(2 * Long.BYTES))
        {
            time.setLong(0, timeout.getSeconds());
            // At least a microsecond: a zero timeval would mean no timeout at all.
            time.setLong(Long.BYTES, Math.max(timeout.getNano() / 1000, timeout.getSeconds() == 0 ? 1 : 0));
            setsockopt(fd, PosixPlatform.SOL_SOCKET, PosixPlatform.SO_RCVTIMEO, time, 2 * Long.BYTES);
            setsockopt(fd, PosixPlatform.SOL_SOCKET, PosixPlatform.SO_SNDTIMEO, time, 2 * Long.BYTES);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("setsockopt(SO_RCVTIMEO)", region, ex.getErrorCode());
        }
    }

    /**
     * Send bytes, with a descriptor alongside them when {@code descriptor} is not -1.
     *
     * @param fd         a connected socket.
     * @param text       the bytes, sent whole.
     * @param descriptor a descriptor to pass, or -1.
     * @param region     the region, for messages.
     */
    public static void send(final int fd, final String text, final int descriptor, final String region)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final int controlLength = descriptor < 0 ? 0 : PosixPlatform.CMSGHDR_SIZE + Long.BYTES;
        try (Memory data = new Memory(bytes.length); Memory iov = new Memory(2 * Long.BYTES);
            Memory message = new Memory(PosixPlatform.MSGHDR_SIZE);
            Memory control = new Memory(Math.max(controlLength, 1)))
        {
            data.write(0, bytes, 0, bytes.length);
            iov.setPointer(0, data);
            iov.setLong(Long.BYTES, bytes.length);
            message.clear();
            message.setPointer(MSG_IOV_OFFSET, iov);
            message.setLong(MSG_IOVLEN_OFFSET, 1);
            if (descriptor >= 0)
            {
                control.clear();
                control.setLong(0, PosixPlatform.CMSGHDR_SIZE + Integer.BYTES);
                control.setInt(CMSG_LEVEL_OFFSET, PosixPlatform.SOL_SOCKET);
                control.setInt(CMSG_TYPE_OFFSET, PosixPlatform.SCM_RIGHTS);
                control.setInt(PosixPlatform.CMSGHDR_SIZE, descriptor);
                message.setPointer(MSG_CONTROL_OFFSET, control);
                message.setLong(MSG_CONTROLLEN_OFFSET, controlLength);
            }
            final long sent = sendmsg(fd, message, PosixPlatform.MSG_NOSIGNAL);
            if (sent != bytes.length)
            {
                throw PosixErrors.error("sendmsg", region, Errno.EAGAIN);
            }
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("sendmsg", region, ex.getErrorCode());
        }
    }

    /**
     * Receive up to {@code maxBytes}, and the first descriptor passed with them (any further ones are closed).
     *
     * @param fd       a connected socket.
     * @param maxBytes the most bytes to take.
     * @param region   the region, for messages.
     * @return what arrived: no bytes once the peer has closed.
     */
    public static Received receive(final int fd, final int maxBytes, final String region)
    {
        try (Memory data = new Memory(maxBytes); Memory iov = new Memory(2 * Long.BYTES);
            Memory message = new Memory(PosixPlatform.MSGHDR_SIZE); Memory control = new Memory(RECEIVE_CONTROL_LENGTH))
        {
            iov.setPointer(0, data);
            iov.setLong(Long.BYTES, maxBytes);
            message.clear();
            control.clear();
            message.setPointer(MSG_IOV_OFFSET, iov);
            message.setLong(MSG_IOVLEN_OFFSET, 1);
            message.setPointer(MSG_CONTROL_OFFSET, control);
            message.setLong(MSG_CONTROLLEN_OFFSET, RECEIVE_CONTROL_LENGTH);
            long received;
            while (true)
            {
                try
                {
                    received = recvmsg(fd, message, PosixPlatform.MSG_CMSG_CLOEXEC);
                    break;
                }
                catch (final LastErrorException ex)
                {
                    if (ex.getErrorCode() != Errno.EINTR)
                    {
                        throw ex;
                    }
                }
            }
            final int descriptor = firstDescriptor(control, message.getLong(MSG_CONTROLLEN_OFFSET), region);
            return new Received(data.getByteArray(0, (int)received), descriptor);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("recvmsg", region, ex.getErrorCode());
        }
    }

    /**
     * The first descriptor of the {@code SCM_RIGHTS} messages in a control buffer; every other one is closed.
     */
    private static int firstDescriptor(final Memory control, final long controlLength, final String region)
    {
        int first = -1;
        long offset = 0;
        while (offset + PosixPlatform.CMSGHDR_SIZE <= controlLength)
        {
            final long length = control.getLong(offset);
            if (length < PosixPlatform.CMSGHDR_SIZE || offset + length > controlLength)
            {
                break;
            }
            if (control.getInt(offset + CMSG_LEVEL_OFFSET) == PosixPlatform.SOL_SOCKET &&
                control.getInt(offset + CMSG_TYPE_OFFSET) == PosixPlatform.SCM_RIGHTS)
            {
                for (long at = offset + PosixPlatform.CMSGHDR_SIZE; at + Integer.BYTES <= offset + length;
                    at += Integer.BYTES)
                {
                    final int descriptor = control.getInt(at);
                    if (first < 0)
                    {
                        first = descriptor;
                    }
                    else
                    {
                        Posix.close(descriptor, region);
                    }
                }
            }
            offset += (length + Long.BYTES - 1) & -Long.BYTES;
        }
        return first;
    }

    private static int newSocket(final int flags, final String region)
    {
        try
        {
            return socket(PosixPlatform.AF_UNIX, PosixPlatform.SOCK_STREAM | PosixPlatform.SOCK_CLOEXEC | flags, 0);
        }
        catch (final LastErrorException ex)
        {
            throw PosixErrors.error("socket", region, ex.getErrorCode());
        }
    }

    private static Memory abstractAddress(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > PosixPlatform.SOCKADDR_UN_SIZE - 3)
        {
            throw new IllegalArgumentException("abstract socket name too long: " + name);
        }
        final Memory address = new Memory(PosixPlatform.SOCKADDR_UN_SIZE);
        address.clear();
        address.setShort(0, (short)PosixPlatform.AF_UNIX);
        address.write(3, bytes, 0, bytes.length);
        return address;
    }

    private static int addressLength(final String name)
    {
        return 3 + name.getBytes(StandardCharsets.US_ASCII).length;
    }
}
