package io.shmipc.handoff;

import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixPlatform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The hand-off protocol in one process, whose pid is the only one it can present: the descriptor goes to the
 * process a grant names, with the grant's secret, once; every other request is refused with the reason, and a
 * holder that stopped serving is reported gone. The checks across processes and users are in ipc-tests.
 */
@Timeout(30)
class HandoffTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path directory;

    private int file;
    private HandoffServer server;

    @BeforeEach
    void serve()
    {
        file = Posix.open(directory.resolve("served").toString(),
            PosixPlatform.O_RDWR | PosixPlatform.O_CREAT | PosixPlatform.O_CLOEXEC, 0600, "test");
        server = HandoffServer.start("test", "label", file);
    }

    @AfterEach
    void stop()
    {
        server.close();
        Posix.close(file, "test");
    }

    @Test
    void theNamedProcessGetsTheDescriptorOnce()
    {
        final HandoffGrant grant = server.grant();
        assertEquals("SHMIPC_REGION_label", grant.environmentVariable());
        grant.started(ProcessHandle.current().pid());
        final int received = HandoffClient.receive("label", grant.environmentValue(), TIMEOUT, "test");
        try
        {
            assertNotEquals(file, received);
            assertEquals(Posix.fstat(file, "test").inode(), Posix.fstat(received, "test").inode());
        }
        finally
        {
            Posix.close(received, "test");
        }
        final RegionPermissionException again = assertThrows(RegionPermissionException.class,
            () -> HandoffClient.receive("label", grant.environmentValue(), TIMEOUT, "test"));
        assertTrue(again.getMessage().contains("already used"), again.getMessage());
    }

    @Test
    void anotherProcessThanTheOneNamedIsRefused()
    {
        final HandoffGrant grant = server.grant();
        grant.started(ProcessHandle.current().parent().orElseThrow().pid());
        final RegionPermissionException refused = assertThrows(RegionPermissionException.class,
            () -> HandoffClient.receive("label", grant.environmentValue(), TIMEOUT, "test"));
        final String message = refused.getMessage();
        assertTrue(message.contains("pid=" + ProcessHandle.current().pid() + " (uid=") &&
            message.contains("is not the process this hand-off is for"), message);
    }

    @Test
    void aSecretThisProcessDidNotIssueIsRefused()
    {
        final HandoffGrant grant = server.grant();
        grant.started(ProcessHandle.current().pid());
        final String forged = grant.environmentValue().substring(0, grant.environmentValue().length() - 32) +
            "0".repeat(32);
        final RegionPermissionException refused = assertThrows(RegionPermissionException.class,
            () -> HandoffClient.receive("label", forged, TIMEOUT, "test"));
        assertTrue(refused.getMessage().contains("presented no secret"), refused.getMessage());
        final RegionPermissionException otherLabel = assertThrows(RegionPermissionException.class,
            () -> HandoffClient.receive("other", grant.environmentValue(), TIMEOUT, "test"));
        assertTrue(otherLabel.getMessage().contains("not a hand-off request for region test"),
            otherLabel.getMessage());
    }

    @Test
    void aProcessWithoutTheVariableOrWhoseHolderStoppedIsToldWhy()
    {
        final RegionNotFoundException none = assertThrows(RegionNotFoundException.class,
            () -> HandoffClient.receive("label", null, TIMEOUT, "test"));
        assertTrue(none.getMessage().contains("SHMIPC_REGION_label is not set"), none.getMessage());
        final HandoffGrant grant = server.grant();
        grant.started(ProcessHandle.current().pid());
        server.close();
        final RegionNotFoundException gone = assertThrows(RegionNotFoundException.class,
            () -> HandoffClient.receive("label", grant.environmentValue(), TIMEOUT, "test"));
        assertTrue(gone.getMessage().contains("no longer serves it"), gone.getMessage());
    }
}
