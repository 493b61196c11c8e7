package io.shmipc.tests.runtime;

import io.shmipc.Region;
import io.shmipc.RegionConfig;
import io.shmipc.RegionLocation;
import io.shmipc.RequestHandler;
import io.shmipc.ResponseHandler;
import io.shmipc.ServiceClient;
import io.shmipc.ServiceConfig;
import io.shmipc.ServiceServer;
import io.shmipc.exceptions.ServiceException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A service's request/response paths allocate nothing once every client has been answered once: the client's
 * request and poll (with its every-8th-poll look at the clock, the server's lock and the deadlines), the server's
 * poll (with its housekeeping look) and its responses. Counted with the thread's allocated bytes, which see every
 * allocation the thread makes, interpreted or compiled, in several windows after a warm-up: one object per operation
 * would be hundreds of kilobytes in each, while the quietest holds less than a byte per round trip (the JVM itself
 * allocates a little now and then, a deoptimisation for one).
 */
class ServiceAllocationTest
{
    private static final ServiceConfig ECHO = ServiceConfig.builder("echo").requestCapacity(1 << 16)
        .replyCapacity(1 << 14).build();
    private static final int WARM_UP_ROUNDS = 20_000;
    private static final int MEASURED_ROUNDS = 20_000;
    private static final int WINDOWS = 5;

    @TempDir
    Path directory;

    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8]);
    private long responses;
    private long failures;
    private final RequestHandler echo = request -> request.complete(request.buffer(), request.offset(),
        request.length());
    private final ResponseHandler count = new ResponseHandler()
    {
        @Override
        public void onResponse(final long correlationId, final DirectBuffer buffer, final int offset,
            final int length, final boolean last)
        {
            responses++;
        }

        @Override
        public void onFailure(final long correlationId, final ServiceException failure)
        {
            failures++;
        }
    };

    @Test
    @Timeout(60)
    void requestPollAndRespondAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long thread = Thread.currentThread().getId();
        try (Region serverRegion = Region.create(RegionConfig.builder(RegionLocation.file(directory.resolve("svc")))
                .maxChannels(4).dataAreaLength(1 << 20).build());
            Region clientRegion = Region.attach(serverRegion.location(), Duration.ofSeconds(10));
            ServiceServer server = ServiceServer.open(serverRegion, ECHO);
            ServiceClient client = ServiceClient.open(clientRegion, ECHO))
        {
            roundTrips(server, client, WARM_UP_ROUNDS);
            long fewest = Long.MAX_VALUE;
            for (int window = 0; window < WINDOWS; window++)
            {
                final long before = threads.getThreadAllocatedBytes(thread);
                roundTrips(server, client, MEASURED_ROUNDS);
                fewest = Math.min(fewest, threads.getThreadAllocatedBytes(thread) - before);
            }

            assertEquals(WARM_UP_ROUNDS + WINDOWS * MEASURED_ROUNDS, responses);
            assertEquals(0, failures);
            assertTrue(fewest < MEASURED_ROUNDS, "bytes allocated over " + MEASURED_ROUNDS +
                " request/response round trips, in the quietest of " + WINDOWS + " windows: " + fewest);
        }
    }

    private void roundTrips(final ServiceServer server, final ServiceClient client, final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            payload.putLong(0, i);
            final long expected = responses + 1;
            assertTrue(client.request(payload, 0, 8, 10_000_000_000L) > 0);
            while (server.poll(echo, 16) == 0)
            {
                Thread.onSpinWait();
            }
            while (responses < expected)
            {
                client.poll(count, 16);
            }
        }
    }
}
