package io.shmipc.tests.container;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The "same memory?" handshake of {@link SharedMemoryContainer}: it passes where memory is shared and fails fast,
 * saying what to fix, where it is not.
 */
@ContainerTest
class SharedMemoryContainerTest
{
    private static final Duration STARTUP = Duration.ofSeconds(60);

    @Test
    @Timeout(120)
    void handshakeWithHostPassesThroughHostIpcAndFailsFastThroughPrivateIpc()
    {
        try (SharedMemoryContainer shared = SharedMemoryContainer.examples().withHostIpc().withHostUser()
                .withPeer("idle");
            SharedMemoryContainer isolated = SharedMemoryContainer.examples().withHostUser()
                .withHandshakeTimeout(Duration.ofSeconds(3)).withPeer("idle"))
        {
            shared.start();
            isolated.start();
            shared.awaitLine("READY", STARTUP);
            isolated.awaitLine("READY", STARTUP);

            shared.verifySameShmAsHost();

            final long start = System.nanoTime();
            final SharedMemoryMismatchError error = assertThrows(SharedMemoryMismatchError.class,
                isolated::verifySameShmAsHost);
            final Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(error.getMessage().contains("not the same memory"), error.getMessage());
            assertTrue(error.getMessage().contains("--ipc=host"), error.getMessage());
            assertTrue(error.getMessage().contains("ipc=private"), error.getMessage());
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
        }
    }

    @Test
    @Timeout(120)
    void handshakeThroughSharedDirectoryPassesBetweenContainersAndFailsForAnotherUser(@TempDir final Path shared)
    {
        try (SharedMemoryContainer first = SharedMemoryContainer.examples().withSharedDirectory(shared, "/shared")
                .withHostUser().withPeer("idle");
            SharedMemoryContainer second = SharedMemoryContainer.examples().withSharedDirectory(shared, "/shared")
                .withHostUser().withPeer("idle");
            SharedMemoryContainer stranger = SharedMemoryContainer.examples().withSharedDirectory(shared, "/shared")
                .withCreateContainerCmdModifier(command -> command.withUser("54321:54321"))
                .withHandshakeTimeout(Duration.ofSeconds(3)).withPeer("idle"))
        {
            first.start();
            second.start();
            stranger.start();
            first.awaitLine("READY", STARTUP);
            second.awaitLine("READY", STARTUP);
            stranger.awaitLine("READY", STARTUP);

            first.verifySameDirectoryAs(second, shared);
            first.verifySameDirectoryAsHost(shared);

            // Same files, but a user that may not open an owner-only region made by the test's user.
            final SharedMemoryMismatchError error = assertThrows(SharedMemoryMismatchError.class,
                () -> stranger.verifySameDirectoryAsHost(shared));
            assertTrue(error.getMessage().contains("uid/gid"), error.getMessage());
        }
    }
}
