package io.shmipc;

import io.shmipc.exceptions.InvalidConfigurationException;
import io.shmipc.layout.RegionLayout;
import io.shmipc.layout.ServiceDescriptor;

import java.util.Objects;

/**
 * A service's name and the sizes of its channels: the {@code MANY_TO_ONE} request channel named after the service,
 * added by whichever of server and clients comes first, and each client's {@code ONE_TO_ONE} reply channel. A region
 * holding a service with N clients needs N + 1 directory entries and the data area for those channels
 * ({@link RegionDirectory#channelAreaLength}).
 */
public final class ServiceConfig
{
    /** Default request channel capacity. */
    public static final int DEFAULT_REQUEST_CAPACITY = 1 << 20;
    /** Default reply channel capacity. */
    public static final int DEFAULT_REPLY_CAPACITY = 1 << 16;
    /** Default most requests one client has pending. */
    public static final int DEFAULT_MAX_PENDING = 1024;

    private final String name;
    private final int requestCapacity;
    private final int replyCapacity;
    private final int maxPending;

    private ServiceConfig(final Builder builder)
    {
        this.name = builder.name;
        this.requestCapacity = builder.requestCapacity;
        this.replyCapacity = builder.replyCapacity;
        this.maxPending = builder.maxPending;
    }

    /**
     * Start a configuration.
     *
     * @param service the service name: 1 to 41 characters of {@code [A-Za-z0-9._-]}.
     * @return a builder.
     * @throws InvalidConfigurationException for an invalid name.
     */
    public static Builder builder(final String service)
    {
        return new Builder(service);
    }

    /**
     * The service name, which is also its request channel's.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The request channel as it is created when it does not exist yet.
     *
     * @return its spec.
     */
    public ChannelSpec requestChannel()
    {
        return new ChannelSpec(name, ChannelKind.MANY_TO_ONE, requestCapacity, 0);
    }

    /**
     * A client's reply channel.
     *
     * @param clientId the client's id.
     * @return its spec.
     */
    public ChannelSpec replyChannel(final int clientId)
    {
        return new ChannelSpec(ServiceDescriptor.replyChannel(name, clientId), ChannelKind.ONE_TO_ONE, replyCapacity,
            0);
    }

    /**
     * Most requests one client has pending.
     *
     * @return the limit.
     */
    public int maxPending()
    {
        return maxPending;
    }

    /**
     * Builds a {@link ServiceConfig}.
     */
    public static final class Builder
    {
        private final String name;
        private int requestCapacity = DEFAULT_REQUEST_CAPACITY;
        private int replyCapacity = DEFAULT_REPLY_CAPACITY;
        private int maxPending = DEFAULT_MAX_PENDING;

        private Builder(final String name)
        {
            Objects.requireNonNull(name, "service");
            final String problem = RegionLayout.nameProblem(name);
            if (problem != null || name.length() > ServiceDescriptor.MAX_SERVICE_NAME_LENGTH)
            {
                throw new InvalidConfigurationException(null, "invalid service name: service=" + name + " (" +
                    (problem != null ? problem : "longer than " + ServiceDescriptor.MAX_SERVICE_NAME_LENGTH +
                    " characters: length=" + name.length()) + ")");
            }
            this.name = name;
        }

        /**
         * The request channel's capacity, used by whoever adds it (a server or client finding it present uses it as
         * it is).
         *
         * @param capacity a power of two from 1 KiB to 1 GiB; the longest request is capacity / 8 - 24 bytes.
         * @return this.
         */
        public Builder requestCapacity(final int capacity)
        {
            this.requestCapacity = capacity;
            return this;
        }

        /**
         * Each client's reply channel capacity.
         *
         * @param capacity a power of two from 1 KiB to 1 GiB; the longest response is capacity / 8 - 16 bytes.
         * @return this.
         */
        public Builder replyCapacity(final int capacity)
        {
            this.replyCapacity = capacity;
            return this;
        }

        /**
         * Most requests one client has pending: a further request returns {@link ServiceClient#TOO_MANY_PENDING}.
         *
         * @param maxPending 1 to 1048576.
         * @return this.
         */
        public Builder maxPending(final int maxPending)
        {
            if (maxPending < 1 || maxPending > 1 << 20)
            {
                throw new InvalidConfigurationException(null, "invalid maxPending: service=" + name + " maxPending=" +
                    maxPending + " (1 to 1048576)");
            }
            this.maxPending = maxPending;
            return this;
        }

        /**
         * Build.
         *
         * @return the configuration.
         */
        public ServiceConfig build()
        {
            return new ServiceConfig(this);
        }
    }
}
