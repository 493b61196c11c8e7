package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * The same ping-pong and throughput over a socket, for comparison: a Unix-domain socket ({@code transport=uds},
 * {@code address=<path>}) or TCP on the loopback with {@code TCP_NODELAY} ({@code transport=tcp}; the server
 * reports its port in its {@code READY} line). Blocking channels and direct buffers, one message per
 * {@code write}; the reading side blocks in {@code read}, as socket code usually does.
 */
final class SocketRoles
{
    /** Transport name of a Unix-domain socket. */
    static final String UDS = "uds";
    /** Transport name of TCP on the loopback. */
    static final String TCP = "tcp";
    private static final int READ_BUFFER_LENGTH = 256 * 1024;

    private SocketRoles()
    {
    }

    static void ping(final RoleContext context) throws Exception
    {
        context.ready();
        try (SocketChannel channel = connect(context))
        {
            final int length = context.integer(Keys.LENGTH);
            final ByteBuffer reply = ByteBuffer.allocateDirect(length);
            final UnsafeBuffer replyView = new UnsafeBuffer(reply);
            final RoundTrip roundTrip = new RoundTrip()
            {
                @Override
                public void send(final UnsafeBuffer message, final int messageLength) throws IOException
                {
                    final ByteBuffer bytes = message.byteBuffer();
                    bytes.clear().limit(messageLength);
                    writeFully(channel, bytes);
                }

                @Override
                public long awaitReply() throws IOException
                {
                    reply.clear();
                    readFully(channel, reply);
                    return SequencedMessage.sequence(replyView, 0);
                }
            };
            context.result(PingLoop.run(roundTrip, length, context.warmupNs(), context.durationNs()));
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        try (ServerSocketChannel server = listen(context))
        {
            context.ready(listenValues(server));
            try (SocketChannel channel = accept(server))
            {
                final ByteBuffer message = ByteBuffer.allocateDirect(context.integer(Keys.LENGTH));
                final UnsafeBuffer view = new UnsafeBuffer(message);
                long echoed = 0;
                while (true)
                {
                    message.clear();
                    readFully(channel, message);
                    if (SequencedMessage.phase(view, 0) == SequencedMessage.PHASE_END)
                    {
                        break;
                    }
                    message.flip();
                    writeFully(channel, message);
                    echoed++;
                }
                context.result(PingLoop.echoResult(echoed));
            }
        }
    }

    static void producer(final RoleContext context) throws Exception
    {
        context.ready();
        try (SocketChannel channel = connect(context))
        {
            final MessageSink sink = (message, length) ->
            {
                final ByteBuffer bytes = message.byteBuffer();
                bytes.clear().limit(length);
                writeFully(channel, bytes);
                return true;
            };
            context.result(ThroughputProducer.run(sink, 0, context.integer(Keys.LENGTH), context.warmupNs(),
                context.durationNs(), 0, null));
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        try (ServerSocketChannel server = listen(context))
        {
            context.ready(listenValues(server));
            try (SocketChannel channel = accept(server))
            {
                final MessageReceiver receiver = new MessageReceiver(1);
                receiver.consume(new FrameSource(channel, context.integer(Keys.LENGTH), receiver));
                context.result(receiver.result());
            }
        }
    }

    /**
     * Open a listening socket for the role's transport.
     *
     * @param context the role's arguments.
     * @return the bound server socket.
     * @throws IOException when it cannot bind.
     */
    static ServerSocketChannel listen(final RoleContext context) throws IOException
    {
        if (UDS.equals(context.string(Keys.TRANSPORT)))
        {
            final ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(context.string(Keys.ADDRESS)));
            return server;
        }
        final ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server;
    }

    static Map<String, String> listenValues(final ServerSocketChannel server) throws IOException
    {
        final SocketAddress address = server.getLocalAddress();
        return address instanceof InetSocketAddress ?
            Map.of(Keys.PORT, Integer.toString(((InetSocketAddress)address).getPort())) : Map.of();
    }

    static SocketChannel accept(final ServerSocketChannel server) throws IOException
    {
        final SocketChannel channel = server.accept();
        if (channel.getRemoteAddress() instanceof InetSocketAddress)
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return channel;
    }

    static SocketChannel connect(final RoleContext context) throws IOException
    {
        if (UDS.equals(context.string(Keys.TRANSPORT)))
        {
            return SocketChannel.open(UnixDomainSocketAddress.of(context.string(Keys.ADDRESS)));
        }
        final SocketChannel channel = SocketChannel.open(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), context.integer(Keys.PORT)));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return channel;
    }

    static void readFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new EOFException("socket closed by the peer");
            }
        }
    }

    static void writeFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }

    /**
     * Reads what one blocking {@code read} returns and hands over every whole fixed-length message in it; a
     * message cut by the read is kept for the next one.
     */
    private static final class FrameSource implements MessageSource
    {
        private final SocketChannel channel;
        private final int length;
        private final MessageReceiver receiver;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_LENGTH);
        private final UnsafeBuffer view = new UnsafeBuffer(buffer);

        FrameSource(final SocketChannel channel, final int length, final MessageReceiver receiver)
        {
            this.channel = channel;
            this.length = length;
            this.receiver = receiver;
        }

        @Override
        public int poll() throws IOException
        {
            if (channel.read(buffer) < 0)
            {
                throw new EOFException("socket closed before every producer ended");
            }
            final int limit = buffer.position();
            int offset = 0;
            int delivered = 0;
            while (limit - offset >= length)
            {
                receiver.onMessage(view, offset);
                offset += length;
                delivered++;
            }
            if (offset > 0)
            {
                buffer.limit(limit).position(offset);
                buffer.compact();
            }
            return delivered;
        }
    }
}
