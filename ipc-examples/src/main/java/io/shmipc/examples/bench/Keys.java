package io.shmipc.examples.bench;

/**
 * Names of the values passed between the coordinator and the roles, in arguments and result lines.
 */
final class Keys
{
    static final long HISTOGRAM_HIGHEST_NS = 60_000_000_000L;

    static final String WARMUP_NS = "warmupNs";
    static final String DURATION_NS = "durationNs";
    static final String REGION = "region";
    static final String FILE = "file";
    static final String KIND = "kind";
    static final String LENGTH = "length";
    static final String PRODUCER = "producer";
    static final String PRODUCERS = "producers";
    static final String BATCH = "batch";
    static final String BURST = "burst";
    static final String CONSUMER = "consumer";
    static final String CONSUMERS = "consumers";
    static final String TRANSPORT = "transport";
    static final String ADDRESS = "address";
    static final String PORT = "port";
    static final String MODE = "mode";
    static final String PAUSE_NS = "pauseNs";
    static final String CHANNEL = "channel";
    /** How a role waits when it has nothing to do: an {@code IdleStrategies} name (default {@code SPIN}). */
    static final String IDLE = "idle";
    /**
     * {@code true}: a producer refused by back-pressure and a consumer finding nothing back off to parking (Agrona's
     * default back-off) instead of spinning, leaving the cores to the transport's threads.
     */
    static final String PARK_WHEN_BLOCKED = "parkWhenBlocked";
    static final String AERON_DIR = "aeronDir";
    static final String AERON_THREADING = "aeronThreading";
    /** The strict method: the file holding the floor word both sides probe between their slices. */
    static final String FLOOR_FILE = "floorFile";
    /** The strict method: round trips (ping-pong) or floor exchanges, counted by both sides alike. */
    static final String WARMUP_ROUND_TRIPS = "warmupRoundTrips";
    static final String MEASURED_ROUND_TRIPS = "measuredRoundTrips";
    static final String SLICES = "slices";
    static final String FLOOR_WARMUP = "floorWarmup";
    static final String FLOOR_SLICE = "floorSlice";

    static final String SENT = "sent";
    static final String MEASURED_SENT = "measuredSent";
    static final String MEASURED_SEND_NS = "measuredSendNs";
    static final String BACK_PRESSURED = "backPressured";
    static final String RECEIVED = "received";
    static final String MEASURED_RECEIVED = "measuredReceived";
    static final String MEASURED_RECEIVE_NS = "measuredReceiveNs";
    static final String LOST = "lost";
    static final String LIBRARY_LOST = "libraryLost";
    static final String DISORDERED = "disordered";
    static final String SKIPPED_ENDS = "skippedEnds";
    static final String HISTOGRAM = "histogram";
    static final String SOCKET_HISTOGRAM = "socketHistogram";
    static final String SOCKET_SENT = "socketSent";
    static final String SOCKET_RECEIVED = "socketReceived";
    static final String MISSED_WAKEUPS = "missedWakeups";
    static final String QUIET_CHANNELS = "quietChannels";
    static final String FLOOR_HISTOGRAM = "floorHistogram";
    static final String FLOOR_SLICE_P50S = "floorSliceP50s";
    static final String SLICE_RATES = "sliceRates";
    static final String SLICE_P50S = "sliceP50s";

    private Keys()
    {
    }
}
