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
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The roles of the strict method ({@link StrictScenario}): the candidate is bare Agrona rings on a shared file
 * ({@link #BARE}) or the library's channels ({@link #LIBRARY}), opened the same way as the default method's roles;
 * the loops ({@link StrictLoops}) are the same for both. Each side maps the floor word too and probes it in slices
 * between the candidate's own, so every row carries the floor of its own minutes.
 */
final class StrictRoles
{
    /** {@link Keys#TRANSPORT}: bare Agrona rings. */
    static final String BARE = "bare";
    /** {@link Keys#TRANSPORT}: the library's channels. */
    static final String LIBRARY = "shm";
    /** {@link Keys#TRANSPORT}: Aeron IPC, the driver embedded in the sending side and invoked by it. */
    static final String AERON = "aeron";

    private static final int MESSAGE_TYPE_ID = 1;

    private StrictRoles()
    {
    }

    static void ping(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            Candidates candidates = new Candidates(context, LibraryRoles.PING_CHANNEL, LibraryRoles.PONG_CHANNEL))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int length = context.integer(Keys.LENGTH);
            final int count = candidates.size();
            final StrictLoops.Pinger[] pingers = new StrictLoops.Pinger[count];
            for (int i = 0; i < count; i++)
            {
                pingers[i] = new StrictLoops.Pinger(candidates.get(i),
                    new UnsafeBuffer(ByteBuffer.allocateDirect(length)), length);
                candidates.get(i).receiver(pingers[i]);
            }
            final Slices floorSlices = new Slices(plan.slices + 1);
            final Slices[] slices = Slices.of(count, plan.slices);
            context.ready();
            floor.ping(plan.floorWarmup, null);
            for (final StrictLoops.Pinger pinger : pingers)
            {
                pinger.run(plan.warmup, null);
            }
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.ping(plan.floorSlice, floorSlices.next());
                for (int turn = 0; turn < count; turn++)
                {
                    final int candidate = Plan.candidate(slice, turn, count);
                    pingers[candidate].run(plan.measured / plan.slices, slices[candidate].next());
                }
            }
            floor.ping(plan.floorSlice, floorSlices.next());

            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.SENT + i, Long.toString(pingers[i].sent()));
                result.put(Keys.RECEIVED + i, Long.toString(pingers[i].sent()));
                result.put(Keys.DISORDERED + i, Long.toString(pingers[i].disordered()));
                slices[i].into(result, Keys.HISTOGRAM + i, Keys.SLICE_P50S + i);
            }
            floorSlices.into(result, Keys.FLOOR_HISTOGRAM, Keys.FLOOR_SLICE_P50S);
            context.result(result);
        }
    }

    static void pong(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            Candidates candidates = new Candidates(context, LibraryRoles.PONG_CHANNEL, LibraryRoles.PING_CHANNEL))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int count = candidates.size();
            final StrictLoops.Echo[] echoes = new StrictLoops.Echo[count];
            for (int i = 0; i < count; i++)
            {
                echoes[i] = new StrictLoops.Echo(candidates.get(i));
                candidates.get(i).receiver(echoes[i]);
            }
            context.ready();
            floor.pong(plan.floorWarmup);
            for (final StrictLoops.Echo echo : echoes)
            {
                echo.run(plan.warmup);
            }
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.pong(plan.floorSlice);
                for (int turn = 0; turn < count; turn++)
                {
                    echoes[Plan.candidate(slice, turn, count)].run(plan.measured / plan.slices);
                }
            }
            floor.pong(plan.floorSlice);
            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.RECEIVED + i, Long.toString(echoes[i].echoed()));
            }
            context.result(result);
        }
    }

    static void producer(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            Candidates candidates = new Candidates(context, LibraryRoles.DATA_CHANNEL, null))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int length = context.integer(Keys.LENGTH);
            final int count = candidates.size();
            final StrictLoops.Producer[] producers = new StrictLoops.Producer[count];
            for (int i = 0; i < count; i++)
            {
                producers[i] = new StrictLoops.Producer(candidates.get(i),
                    new UnsafeBuffer(ByteBuffer.allocateDirect(length)), length);
            }
            final Slices floorSlices = new Slices(plan.slices + 1);
            context.ready();
            floor.ping(plan.floorWarmup, null);
            for (final StrictLoops.Producer producer : producers)
            {
                producer.slice(context.warmupNs() / count);
            }
            final long sliceNs = context.durationNs() / plan.slices;
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.ping(plan.floorSlice, floorSlices.next());
                for (int turn = 0; turn < count; turn++)
                {
                    producers[Plan.candidate(slice, turn, count)].slice(sliceNs);
                }
            }
            floor.ping(plan.floorSlice, floorSlices.next());

            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.SENT + i, Long.toString(producers[i].sent()));
                result.put(Keys.BACK_PRESSURED + i, Long.toString(producers[i].backPressured()));
            }
            floorSlices.into(result, Keys.FLOOR_HISTOGRAM, Keys.FLOOR_SLICE_P50S);
            context.result(result);
        }
    }

    static void consumer(final RoleContext context) throws Exception
    {
        final Plan plan = new Plan(context);
        try (SharedFile floorFile = SharedFile.map(Path.of(context.string(Keys.FLOOR_FILE)));
            Candidates candidates = new Candidates(context, null, LibraryRoles.DATA_CHANNEL))
        {
            final StrictLoops.Floor floor = new StrictLoops.Floor(floorFile.buffer());
            final int count = candidates.size();
            final StrictLoops.Consumer[] consumers = new StrictLoops.Consumer[count];
            final long[] measured = new long[count];
            final long[] measuredNs = new long[count];
            final StringBuilder[] sliceRates = new StringBuilder[count];
            for (int i = 0; i < count; i++)
            {
                consumers[i] = new StrictLoops.Consumer(candidates.get(i));
                candidates.get(i).receiver(consumers[i]);
                sliceRates[i] = new StringBuilder();
            }
            context.ready();
            floor.pong(plan.floorWarmup);
            for (final StrictLoops.Consumer consumer : consumers)
            {
                consumer.slice();
            }
            for (int slice = 0; slice < plan.slices; slice++)
            {
                floor.pong(plan.floorSlice);
                for (int turn = 0; turn < count; turn++)
                {
                    final int candidate = Plan.candidate(slice, turn, count);
                    final long start = System.nanoTime();
                    final long received = consumers[candidate].slice();
                    final long sliceNs = System.nanoTime() - start;
                    measured[candidate] += received;
                    measuredNs[candidate] += sliceNs;
                    sliceRates[candidate].append(sliceRates[candidate].length() == 0 ? "" : ",")
                        .append(Math.round(received * 1e9 / sliceNs));
                }
            }
            floor.pong(plan.floorSlice);

            final Map<String, String> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                result.put(Keys.SENT + i, Long.toString(consumers[i].expected()));
                result.put(Keys.RECEIVED + i, Long.toString(consumers[i].received()));
                result.put(Keys.LOST + i, Long.toString(consumers[i].lost()));
                result.put(Keys.DISORDERED + i, Long.toString(consumers[i].disordered()));
                result.put(Keys.MEASURED_RECEIVED + i, Long.toString(measured[i]));
                result.put(Keys.MEASURED_RECEIVE_NS + i, Long.toString(measuredNs[i]));
                result.put(Keys.SLICE_RATES + i, sliceRates[i].toString());
            }
            context.result(result);
        }
    }

    /**
     * How many round trips and floor exchanges a case makes, as the coordinator gave them to both sides.
     */
    private static final class Plan
    {
        final int warmup;
        final int measured;
        final int slices;
        final int floorWarmup;
        final int floorSlice;

        Plan(final RoleContext context)
        {
            warmup = context.integer(Keys.WARMUP_ROUND_TRIPS);
            measured = context.integer(Keys.MEASURED_ROUND_TRIPS);
            slices = context.integer(Keys.SLICES);
            floorWarmup = context.integer(Keys.FLOOR_WARMUP);
            floorSlice = context.integer(Keys.FLOOR_SLICE);
        }

        /**
         * Which candidate takes a turn of a slice: in order in even slices, in reverse in odd ones, so that no
         * candidate always runs first after the floor.
         */
        static int candidate(final int slice, final int turn, final int count)
        {
            return (slice & 1) == 0 ? turn : count - 1 - turn;
        }
    }

    /**
     * Round trips measured in slices: one histogram per slice, all made before the run starts.
     */
    private static final class Slices
    {
        private final List<Histogram> slices = new ArrayList<>();
        private int next;

        Slices(final int count)
        {
            for (int i = 0; i < count; i++)
            {
                slices.add(RoleContext.newHistogram());
            }
        }

        static Slices[] of(final int candidates, final int slices)
        {
            final Slices[] all = new Slices[candidates];
            for (int i = 0; i < candidates; i++)
            {
                all[i] = new Slices(slices);
            }
            return all;
        }

        Histogram next()
        {
            return slices.get(next++);
        }

        /**
         * Put the slices' sum and each slice's p50 into a result.
         */
        void into(final Map<String, String> result, final String histogramKey, final String p50sKey)
        {
            final Histogram all = RoleContext.newHistogram();
            final StringBuilder medians = new StringBuilder();
            for (final Histogram slice : slices)
            {
                all.add(slice);
                medians.append(medians.length() == 0 ? "" : ",").append(slice.getValueAtPercentile(50));
            }
            result.put(histogramKey, HistogramCodec.encode(all));
            result.put(p50sKey, medians.toString());
        }
    }

    /**
     * The candidates named by {@link Keys#TRANSPORT} ({@code bare}, {@code shm}, or both, comma-separated), opened on
     * one side, in that order.
     */
    private static final class Candidates implements AutoCloseable
    {
        private final List<Opened> opened = new ArrayList<>();

        Candidates(final RoleContext context, final String sendChannel, final String readChannel) throws Exception
        {
            try
            {
                for (final String transport : context.string(Keys.TRANSPORT).split(","))
                {
                    opened.add(BARE.equals(transport) ? new BareRings(context, sendChannel, readChannel) :
                        AERON.equals(transport) ? new AeronIpc(context, sendChannel, readChannel) :
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
    }

    /**
     * The candidate opened on one side: the channel it sends on and the one it reads from ({@code null} for none).
     */
    private interface Opened extends StrictLoops.Channels, AutoCloseable
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
     * Bare Agrona rings on a shared file, laid out as {@link BareRingRoles} lays them: the ping (or data) ring
     * first, the pong ring second.
     */
    private static final class BareRings implements Opened, org.agrona.concurrent.MessageHandler
    {
        private final SharedFile file;
        private final RingBuffer send;
        private final RingBuffer read;
        private StrictLoops.Receiver receiver;

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
        public void receiver(final StrictLoops.Receiver receiver)
        {
            this.receiver = receiver;
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
    private static final class LibraryChannels implements Opened, MessageHandler
    {
        private final Region region;
        private final Publisher publisher;
        private final Subscriber subscriber;
        private StrictLoops.Receiver receiver;

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
        public void receiver(final StrictLoops.Receiver receiver)
        {
            this.receiver = receiver;
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
    private static final class AeronIpc implements Opened, FragmentHandler
    {
        private final AeronIpcRoles.Node node;
        private final ExclusivePublication publication;
        private final Subscription subscription;
        private StrictLoops.Receiver receiver;

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
        public void receiver(final StrictLoops.Receiver receiver)
        {
            this.receiver = receiver;
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
