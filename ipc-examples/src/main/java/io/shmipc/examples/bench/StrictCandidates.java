package io.shmipc.examples.bench;

import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.shmipc.ChannelKind;
import io.shmipc.MessageHandler;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.Subscriber;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The candidates of the strict method named by {@link Keys#TRANSPORT} ({@code bare}, {@code shm}, {@code aeron}, or
 * several, comma-separated), opened on one side of a case, in that order, for {@link StrictRoles}: bare Agrona rings
 * on a shared file, the library's channels through its public API, or Aeron IPC with the driver invoked by the
 * sending side. Each is an {@link Opened}, the {@link StrictLoops.Channels} its loops run on.
 */
final class StrictCandidates implements AutoCloseable
{
    private static final int MESSAGE_TYPE_ID = 1;

    private final List<Opened> opened = new ArrayList<>();

    StrictCandidates(final RoleContext context, final String sendChannel, final String readChannel) throws Exception
    {
        try
        {
            for (final String transport : context.string(Keys.TRANSPORT).split(","))
            {
                opened.add(StrictRoles.BARE.equals(transport) ? new BareRings(context, sendChannel, readChannel) :
                    StrictRoles.AERON.equals(transport) ? new AeronIpc(context, sendChannel, readChannel) :
                    new LibraryChannels(context, sendChannel, readChannel));
            }
        }
        catch (final Exception | Error ex)
        {
            close();
            throw ex;
        }
    }

    int size()
    {
        return opened.size();
    }

    Opened get(final int index)
    {
        return opened.get(index);
    }

    @Override
    public void close()
    {
        opened.forEach(Opened::close);
    }

    /**
     * The candidate opened on one side: the channel it sends on and the one it reads from ({@code null} for none).
     */
    interface Opened extends StrictLoops.Channels, AutoCloseable
    {
        /**
         * Where reads deliver.
         *
         * @param receiver the receiver.
         */
        void receiver(StrictLoops.Receiver receiver);

        @Override
        void close();
    }

    /**
     * What every candidate keeps alike: the receiver its reads deliver to.
     */
    private abstract static class Delivering implements Opened
    {
        StrictLoops.Receiver receiver;

        @Override
        public final void receiver(final StrictLoops.Receiver receiver)
        {
            this.receiver = receiver;
        }
    }

    /**
     * Bare Agrona rings on a shared file, laid out as {@link BareRingRoles} lays them: the ping (or data) ring
     * first, the pong ring second.
     */
    private static final class BareRings extends Delivering implements org.agrona.concurrent.MessageHandler
    {
        private final SharedFile file;
        private final RingBuffer send;
        private final RingBuffer read;

        BareRings(final RoleContext context, final String sendChannel, final String readChannel) throws Exception
        {
            final ChannelKind kind = ChannelKind.valueOf(context.string(Keys.KIND));
            file = SharedFile.map(Path.of(context.string(Keys.FILE)));
            send = sendChannel == null ? null : BareRingRoles.ring(file.buffer(), ringIndex(sendChannel), kind);
            read = readChannel == null ? null : BareRingRoles.ring(file.buffer(), ringIndex(readChannel), kind);
        }

        private static int ringIndex(final String channel)
        {
            return LibraryRoles.PONG_CHANNEL.equals(channel) ? 1 : 0;
        }

        @Override
        public boolean offer(final DirectBuffer message, final int offset, final int length)
        {
            return send.write(MESSAGE_TYPE_ID, message, offset, length);
        }

        @Override
        public int pollAll()
        {
            return read.read(this, Integer.MAX_VALUE);
        }

        @Override
        public void onMessage(final int typeId, final org.agrona.MutableDirectBuffer buffer, final int index,
            final int length)
        {
            receiver.onMessage(buffer, index, length);
        }

        @Override
        public void close()
        {
            file.close();
        }
    }

    /**
     * The library's channels, through the public API: {@link Publisher#offer} and
     * {@link Subscriber#poll(MessageHandler, int)} with no limit.
     */
    private static final class LibraryChannels extends Delivering implements MessageHandler
    {
        private final Region region;
        private final Publisher publisher;
        private final Subscriber subscriber;

        LibraryChannels(final RoleContext context, final String sendChannel, final String readChannel)
        {
            region = LibraryRoles.attach(context);
            try
            {
                publisher = sendChannel == null ? null : region.publisher(sendChannel);
                subscriber = readChannel == null ? null : region.subscriber(readChannel);
            }
            catch (final RuntimeException ex)
            {
                CloseHelper.quietClose(region);
                throw ex;
            }
        }

        @Override
        public boolean offer(final DirectBuffer message, final int offset, final int length)
        {
            return LibraryRoles.accepted(publisher.offer(message, offset, length), publisher);
        }

        @Override
        public int pollAll()
        {
            return subscriber.poll(this, Integer.MAX_VALUE);
        }

        @Override
        public void onMessage(final DirectBuffer buffer, final int offset, final int length)
        {
            receiver.onMessage(buffer, offset, length);
        }

        @Override
        public void close()
        {
            region.close();
        }
    }

    /**
     * Aeron IPC through its public API, as {@link AeronIpcRoles} sets it up: an exclusive publication and a
     * subscription per stream, the media driver embedded in the side that sends first (the pinging or producing one)
     * and run by its own thread whenever a poll finds nothing or an offer is refused, no driver thread.
     */
    private static final class AeronIpc extends Delivering implements FragmentHandler
    {
        private final AeronIpcRoles.Node node;
        private final ExclusivePublication publication;
        private final Subscription subscription;

        AeronIpc(final RoleContext context, final String sendChannel, final String readChannel)
        {
            final boolean host = LibraryRoles.PING_CHANNEL.equals(sendChannel) ||
                LibraryRoles.DATA_CHANNEL.equals(sendChannel);
            node = new AeronIpcRoles.Node(context, host);
            try
            {
                // The host publishes first, the other side subscribes first: each waits for the other's half.
                if (host)
                {
                    publication = node.publication(stream(sendChannel));
                    subscription = readChannel == null ? null : node.subscription(stream(readChannel));
                }
                else
                {
                    subscription = readChannel == null ? null : node.subscription(stream(readChannel));
                    publication = sendChannel == null ? null : node.publication(stream(sendChannel));
                }
            }
            catch (final RuntimeException ex)
            {
                node.close();
                throw ex;
            }
        }

        private static int stream(final String channel)
        {
            return LibraryRoles.PING_CHANNEL.equals(channel) ? AeronIpcRoles.PING_STREAM :
                LibraryRoles.PONG_CHANNEL.equals(channel) ? AeronIpcRoles.PONG_STREAM : AeronIpcRoles.DATA_STREAM;
        }

        @Override
        public boolean offer(final DirectBuffer message, final int offset, final int length)
        {
            return node.tryOffer(publication, message, offset, length);
        }

        @Override
        public int pollAll()
        {
            return node.poll(subscription, this, Integer.MAX_VALUE);
        }

        @Override
        public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
        {
            receiver.onMessage(buffer, offset, length);
        }

        @Override
        public void close()
        {
            node.close();
        }
    }
}
