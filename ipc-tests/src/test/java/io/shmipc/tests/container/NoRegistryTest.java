package io.shmipc.tests.container;

import io.shmipc.tests.support.Prerequisites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerFetchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.utility.DockerImageName;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container tests can never wait on a registry: the Docker host's address comes from configuration rather than
 * from running an image, and an image missing from the local engine fails at once with a message that says why,
 * where Testcontainers would otherwise retry a pull for two minutes (the time limits run on a separate thread, so that
 * such a pull fails the test at its limit).
 */
@ContainerTest
class NoRegistryTest
{
    @Test
    @Timeout(60)
    void dockerHostAddressComesFromTheOverride()
    {
        final String override = System.getenv(DockerEnvironment.HOST_OVERRIDE_ENVIRONMENT);

        assertEquals("localhost", override, "ipc-tests/pom.xml sets " + DockerEnvironment.HOST_OVERRIDE_ENVIRONMENT);
        assertEquals(override, DockerClientFactory.instance().dockerHostIpAddress());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void imageMissingLocallyIsRefusedWithoutPull()
    {
        assertInstanceOf(LocalImagesOnlyPullPolicy.class, PullPolicy.defaultPolicy());
        final String image = "shm-ipc/not-built-" + UUID.randomUUID() + ":test";

        try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image)))
        {
            container.withNetworkMode("none");
            final RuntimeException failure = assertThrows(RuntimeException.class, container::start);

            final ContainerFetchException refused = findCause(failure, ContainerFetchException.class);
            assertTrue(refused.getMessage().contains(image) && refused.getMessage().contains("never pull"),
                refused.getMessage());
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void gatewayProbeOfTestcontainersIsRefusedWithoutPull()
    {
        // The image Testcontainers runs to find a gateway (and to check file mounting), from a registry; with no
        // registry (CI) it is never in the engine.
        Prerequisites.require("the gateway probe test", DockerEnvironment.imageExists("alpine:3.17") ?
            "alpine:3.17 was loaded into this engine by hand: Testcontainers would run it" : null);

        final RuntimeException failure = assertThrows(RuntimeException.class,
            () -> DockerClientFactory.instance().runInsideDocker(command -> command.withCmd("true"),
                (client, id) -> id));

        final ContainerFetchException refused = findCause(failure, ContainerFetchException.class);
        assertTrue(refused.getMessage().contains("alpine:3.17"), refused.getMessage());
    }

    private static <T extends Throwable> T findCause(final Throwable failure, final Class<T> type)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (type.isInstance(cause))
            {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + failure, failure);
    }
}
