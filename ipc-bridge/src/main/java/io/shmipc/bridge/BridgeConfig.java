package io.shmipc.bridge;

import io.shmipc.RegionLocation;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a bridge carries and how. Build with {@link #builder(RegionLocation)}; {@link Builder#build()} checks every
 * value and names the one that is wrong.
 * <p>
 * Endpoints are {@code host:port}. The bridge subscribes to every stream at its {@code listen} endpoint and
 * publishes every stream to its {@code peer} endpoint; either may be a multicast group ({@code 224.0.0.0/4}), with
 * {@code interface} naming the local address to use for it.
 */
public final class BridgeConfig
{
    /** Default Aeron term length of a data stream: 4 MiB (three terms per stream and per side). */
    public static final int DEFAULT_TERM_LENGTH = 4 * 1024 * 1024;
    /** Default Aeron MTU: Aeron's own default, a datagram that fits a 1500-byte Ethernet frame. */
    public static final int DEFAULT_MTU = 1408;
    /**
     * Default replay log capacity per outbound ring route: 16 MiB. The log holds every message until acknowledged,
     * including those waiting in Aeron's publication (up to half the term length, 2 MiB by default): with room
     * beyond that for some milliseconds of acknowledgements at full rate, a receiving bridge that is slow to be
     * scheduled does not stop the sending one.
     */
    public static final int DEFAULT_REPLAY_CAPACITY = 16 * 1024 * 1024;
    /**
     * Default longest time between two acknowledgements while messages arrive: 1 ms. Acknowledgements only free the
     * sender's replay log (16 MiB by default); every one is a datagram each side
     * handles, in the duty cycle a reply may be waiting in, so they are kept rare.
     */
    public static final Duration DEFAULT_ACK_INTERVAL = Duration.ofMillis(1);

    private final RegionLocation region;
    private final String name;
    private final String listen;
    private final String peer;
    private final String networkInterface;
    private final List<BridgeRoute> routes;
    private final String aeronDirectory;
    private final Path homeDirectory;
    private final int termLength;
    private final int mtu;
    private final int replayCapacity;
    private final Duration ackInterval;
    private final Duration attachTimeout;
    private final ThreadingMode driverThreading;
    private final Supplier<IdleStrategy> idleStrategy;
    private final Supplier<IdleStrategy> driverIdleStrategy;

    private BridgeConfig(final Builder builder)
    {
        this.region = builder.region;
        this.name = builder.name;
        this.listen = builder.listen;
        this.peer = builder.peer;
        this.networkInterface = builder.networkInterface;
        this.routes = List.copyOf(builder.routes);
        this.aeronDirectory = builder.aeronDirectory;
        this.homeDirectory = builder.homeDirectory != null ? builder.homeDirectory :
            defaultHome(builder.region, builder.name);
        this.termLength = builder.termLength;
        this.mtu = builder.mtu;
        this.replayCapacity = builder.replayCapacity;
        this.ackInterval = builder.ackInterval;
        this.attachTimeout = builder.attachTimeout;
        this.driverThreading = builder.driverThreading;
        this.idleStrategy = builder.idleStrategy;
        this.driverIdleStrategy = builder.driverIdleStrategy;
    }

    /**
     * The default way the bridge's thread waits when it has no work: spin 100 times, yield 10,000 times
     * (milliseconds of yielding, so a stream with pauses shorter than that never parks), then park from 1 µs doubling
     * up to 1 ms. Hot while messages flow, parked on a quiet link.
     *
     * @return a new strategy (strategies hold state: one per thread).
     */
    public static IdleStrategy defaultIdleStrategy()
    {
        return new BackoffIdleStrategy(100, 10_000, 1_000, 1_000_000);
    }

    /**
     * The default way an embedded driver's threads wait when they have no work: spin 10 times, yield 20 times, then
     * park from 1 µs doubling up to 1 ms (the back-off of Aeron's own driver). Short, because a driver counts work
     * every millisecond even on a quiet link (its timers), which starts the back-off again: with the bridge thread's
     * 10,000 yields it would never park, and would keep a third of a core busy (docs/bridge.md, {@code --idle}).
     *
     * @return a new strategy (strategies hold state: one per thread).
     */
    public static IdleStrategy defaultDriverIdleStrategy()
    {
        return new BackoffIdleStrategy(10, 20, 1_000, 1_000_000);
    }

    /**
     * Start a configuration for a region.
     *
     * @param region the local region whose channels are bridged.
     * @return a builder.
     */
    public static Builder builder(final RegionLocation region)
    {
        return new Builder(region);
    }

    /**
     * Where a bridge keeps its files unless told otherwise: beside the region, {@code <region path>.bridge-<name>}
     * (for a shared-memory region, under {@code /dev/shm}). A region with no name (anonymous, or reached through a
     * process's descriptor) has none: its bridge needs {@link Builder#homeDirectory}.
     *
     * @param region the region, one with a name ({@link RegionLocation#isNamed()}).
     * @param name   the bridge's name.
     * @return the directory.
     * @throws IllegalArgumentException for a region with no name.
     */
    public static Path defaultHome(final RegionLocation region, final String name)
    {
        if (!region.isNamed())
        {
            throw new IllegalArgumentException("region " + region + " has no name beside which a bridge could keep " +
                "its files: give the bridge a home directory");
        }
        return region.path().resolveSibling(region.path().getFileName() + ".bridge-" + name);
    }

    /** @return the local region. */
    public RegionLocation region()
    {
        return region;
    }

    /** @return the bridge's name, unique per region. */
    public String name()
    {
        return name;
    }

    /** @return the local {@code host:port} every stream is received on. */
    public String listen()
    {
        return listen;
    }

    /** @return the peer's {@code host:port} every stream is sent to. */
    public String peer()
    {
        return peer;
    }

    /** @return the local interface address for multicast, or {@code null}. */
    public String networkInterface()
    {
        return networkInterface;
    }

    /** @return the routes. */
    public List<BridgeRoute> routes()
    {
        return routes;
    }

    /** @return the directory of an external media driver, or {@code null} for an embedded one. */
    public String aeronDirectory()
    {
        return aeronDirectory;
    }

    /** @return the directory of the bridge's own files. */
    public Path homeDirectory()
    {
        return homeDirectory;
    }

    /** @return the Aeron term length of data streams. */
    public int termLength()
    {
        return termLength;
    }

    /** @return the Aeron MTU. */
    public int mtu()
    {
        return mtu;
    }

    /** @return the replay log capacity of a new outbound ring route. */
    public int replayCapacity()
    {
        return replayCapacity;
    }

    /** @return the longest time between two acknowledgements while messages arrive. */
    public Duration ackInterval()
    {
        return ackInterval;
    }

    /** @return how long to wait for the region to appear. */
    public Duration attachTimeout()
    {
        return attachTimeout;
    }

    /** @return the threading of an embedded media driver. */
    public ThreadingMode driverThreading()
    {
        return driverThreading;
    }

    /**
     * A new idle strategy for the bridge's thread.
     *
     * @return a new strategy.
     */
    public IdleStrategy newIdleStrategy()
    {
        return idleStrategy.get();
    }

    /**
     * A new idle strategy for one of an embedded driver's threads.
     *
     * @return a new strategy.
     */
    public IdleStrategy newDriverIdleStrategy()
    {
        return driverIdleStrategy.get();
    }

    /**
     * Fluent construction; {@link #build()} validates.
     */
    public static final class Builder
    {
        // The values BridgeConfigRules checks are package-private.
        final RegionLocation region;
        String name = "bridge";
        String listen;
        String peer;
        private String networkInterface;
        final List<BridgeRoute> routes = new ArrayList<>();
        private String aeronDirectory;
        Path homeDirectory;
        int termLength = DEFAULT_TERM_LENGTH;
        int mtu = DEFAULT_MTU;
        int replayCapacity = DEFAULT_REPLAY_CAPACITY;
        Duration ackInterval = DEFAULT_ACK_INTERVAL;
        Duration attachTimeout = Duration.ofSeconds(10);
        private ThreadingMode driverThreading = ThreadingMode.SHARED;
        Supplier<IdleStrategy> idleStrategy = BridgeConfig::defaultIdleStrategy;
        Supplier<IdleStrategy> driverIdleStrategy = BridgeConfig::defaultDriverIdleStrategy;
        private boolean driverIdleStrategyChosen;

        private Builder(final RegionLocation region)
        {
            this.region = region;
        }

        /**
         * @param name the bridge's name: {@code [A-Za-z0-9._-]}, 1 to 64 characters (default {@code bridge}).
         * @return this.
         */
        public Builder name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * @param endpoint local {@code host:port} to receive on.
         * @return this.
         */
        public Builder listen(final String endpoint)
        {
            this.listen = endpoint;
            return this;
        }

        /**
         * @param endpoint the peer bridge's {@code host:port}.
         * @return this.
         */
        public Builder peer(final String endpoint)
        {
            this.peer = endpoint;
            return this;
        }

        /**
         * @param address local interface address for multicast endpoints.
         * @return this.
         */
        public Builder networkInterface(final String address)
        {
            this.networkInterface = address;
            return this;
        }

        /**
         * @param route a route to add.
         * @return this.
         */
        public Builder route(final BridgeRoute route)
        {
            this.routes.add(route);
            return this;
        }

        /**
         * @param directory an external media driver's directory, or {@code null} to embed one (the default).
         * @return this.
         */
        public Builder aeronDirectory(final String directory)
        {
            this.aeronDirectory = directory;
            return this;
        }

        /**
         * @param directory where the bridge keeps its files (default {@link BridgeConfig#defaultHome}).
         * @return this.
         */
        public Builder homeDirectory(final Path directory)
        {
            this.homeDirectory = directory;
            return this;
        }

        /**
         * @param length Aeron term length of data streams: a power of two from 64 KiB to 1 GiB.
         * @return this.
         */
        public Builder termLength(final int length)
        {
            this.termLength = length;
            return this;
        }

        /**
         * @param mtu Aeron MTU: a multiple of 32 from 64 to 65504 bytes.
         * @return this.
         */
        public Builder mtu(final int mtu)
        {
            this.mtu = mtu;
            return this;
        }

        /**
         * @param capacity replay log capacity of a new outbound ring route: a power of two of at least 64 KiB.
         * @return this.
         */
        public Builder replayCapacity(final int capacity)
        {
            this.replayCapacity = capacity;
            return this;
        }

        /**
         * @param interval longest time between two acknowledgements while messages arrive.
         * @return this.
         */
        public Builder ackInterval(final Duration interval)
        {
            this.ackInterval = interval;
            return this;
        }

        /**
         * @param timeout how long to wait for the region to appear.
         * @return this.
         */
        public Builder attachTimeout(final Duration timeout)
        {
            this.attachTimeout = timeout;
            return this;
        }

        /**
         * @param threading threading of an embedded media driver (default {@link ThreadingMode#SHARED}: one thread).
         * @return this.
         */
        public Builder driverThreading(final ThreadingMode threading)
        {
            this.driverThreading = threading;
            return this;
        }

        /**
         * @param strategies makes the idle strategy of the bridge's thread ({@link BridgeRunner}) and, unless
         *                   {@link #driverIdleStrategy} chooses theirs, of every thread of an embedded driver, one
         *                   per thread (defaults {@link #defaultIdleStrategy()} and
         *                   {@link #defaultDriverIdleStrategy()}); {@code BusySpinIdleStrategy::new} for the lowest
         *                   latency with cores to spare.
         * @return this.
         */
        public Builder idleStrategy(final Supplier<IdleStrategy> strategies)
        {
            this.idleStrategy = strategies;
            if (!driverIdleStrategyChosen)
            {
                this.driverIdleStrategy = strategies;
            }
            return this;
        }

        /**
         * @param strategies makes the idle strategy of every thread of an embedded driver, one per thread, whatever
         *                   {@link #idleStrategy} says (default: as {@link #idleStrategy} when that was given, else
         *                   {@link #defaultDriverIdleStrategy()}).
         * @return this.
         */
        public Builder driverIdleStrategy(final Supplier<IdleStrategy> strategies)
        {
            this.driverIdleStrategy = strategies;
            this.driverIdleStrategyChosen = true;
            return this;
        }

        /**
         * Check every value.
         *
         * @return the configuration.
         * @throws IllegalArgumentException naming the value that is wrong.
         */
        public BridgeConfig build()
        {
            BridgeConfigRules.check(this);
            return new BridgeConfig(this);
        }
    }
}
