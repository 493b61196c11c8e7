package io.shmipc.handoff;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.exceptions.RegionPermissionException;
import io.shmipc.exceptions.RegionTimeoutException;
import io.shmipc.exceptions.ShmIpcException;
import io.shmipc.exceptions.WaitInterruptedException;
import io.shmipc.liveness.ProcessIdentity;
import io.shmipc.posix.Posix;
import io.shmipc.posix.PosixErrors;
import io.shmipc.posix.PosixPlatform;
import io.shmipc.posix.UnixSockets;
import io.shmipc.testing.KernelWaits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

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

    /**
     * A process with the pid of the one named started, but another start time, is a later process that got that pid
     * after the named one exited (and may have read its secret from its environment): refused.
     */
    @Test
    void aProcessThatGotThePidOfTheNamedOneIsRefused()
    {
        final HandoffGrant grant = server.grant();
        final long pid = ProcessHandle.current().pid();
        server.started(grant, pid, ProcessIdentity.startTimeOf(pid) - 1);
        final RegionPermissionException refused = assertThrows(RegionPermissionException.class,
            () -> HandoffClient.receive("label", grant.environmentValue(), TIMEOUT, "test"));
        final String message = refused.getMessage();
        assertTrue(message.contains("pid=" + pid + " (uid=") && message.contains("the pid was reused"), message);
        assertTrue(ProcessIdentity.startTimeOf(pid) > 0, "this process's start time is known");
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

    /**
     * A peer that sends its request a byte at a time (from any user, with no secret) is cut off two seconds after it
     * was accepted, not two seconds after each byte: the process the grant is for, queued behind it, is answered.
     */
    @Test
    void aTricklingPeerIsCutOffAndTheNextConnectionIsAnswered() throws Throwable
    {
        final HandoffGrant grant = server.grant();
        grant.started(ProcessHandle.current().pid());
        whileAPeerTrickles(() -> Posix.close(HandoffClient.receive("label", grant.environmentValue(), TIMEOUT,
            "test"), "test"));
    }

    /**
     * A process that gave up waiting gets a timeout, and its grant stays good: the holder uses a grant up only once
     * its answer was sent, and the abandoned connection takes nothing.
     */
    @Test
    void aProcessThatGaveUpWaitingIsToldSoAndItsGrantStaysGood() throws Throwable
    {
        final HandoffGrant grant = server.grant();
        grant.started(ProcessHandle.current().pid());
        whileAPeerTrickles(() ->
        {
            final RegionTimeoutException late = assertThrows(RegionTimeoutException.class,
                () -> HandoffClient.receive("label", grant.environmentValue(), Duration.ofMillis(300), "test"));
            assertTrue(late.getMessage().contains("did not answer the hand-off within 300 ms"), late.getMessage());
            Posix.close(HandoffClient.receive("label", grant.environmentValue(), TIMEOUT, "test"), "test");
        });
    }

    /**
     * A process waiting for the holder's answer (the holder busy with a trickling peer) is interrupted: it gets
     * {@link WaitInterruptedException} at once, with its interrupt status set, and its grant stays good.
     */
    @Test
    void anInterruptedWaitForTheAnswerEndsAtOnceAndItsGrantStaysGood() throws Throwable
    {
        final HandoffGrant grant = server.grant();
        grant.started(ProcessHandle.current().pid());
        whileAPeerTrickles(() -> assertAnInterruptEndsTheWait(grant.environmentValue(), "the answer",
            KernelWaits.RECVMSG));
        Posix.close(HandoffClient.receive("label", grant.environmentValue(), TIMEOUT, "test"), "test");
    }

    /**
     * While the holder's backlog is full (connections waiting their turn, as a flood of them keeps it), a started
     * process's attach still ends at its timeout, or at once when interrupted. Its connect used to wait in the kernel
     * for room in the backlog, where neither reached it. A listener that never accepts stands for a holder whose
     * backlog a flood keeps full.
     */
    @Test
    void aFullBacklogEndsTheWaitAtTheTimeoutOrAnInterrupt() throws Throwable
    {
        final String socketName = "shmipc-handoff-full-" + ProcessHandle.current().pid();
        final String value = socketName + " " + "0".repeat(32);
        final int listener = UnixSockets.listenAbstract(socketName, "test");
        final List<Integer> backlog = new ArrayList<>();
        try
        {
            for (int connection = 0; connection >= 0; )
            {
                connection = UnixSockets.tryConnectAbstract(socketName, "test");
                if (connection >= 0)
                {
                    backlog.add(connection);
                }
            }
            // Preemptively: a connect that waits in the kernel would never return to fail the assertion.
            final RegionTimeoutException late = assertTimeoutPreemptively(TIMEOUT, () -> assertThrows(
                RegionTimeoutException.class, () -> HandoffClient.receive("label", value, Duration.ofMillis(300),
                "test")));
            assertTrue(late.getMessage().contains("did not answer the hand-off within 300 ms"), late.getMessage());
            assertAnInterruptEndsTheWait(value, "room in the backlog", KernelWaits.CONNECT, KernelWaits.FUTEX);
        }
        finally
        {
            backlog.forEach(connection -> Posix.close(connection, "test"));
            Posix.close(listener, "test");
        }
    }

    /**
     * Closing while a connection is being answered wakes the serving thread out of it and returns once that thread
     * has stopped: nothing serves the closed listener's descriptor number, which the next socket may reuse.
     */
    @Test
    void closeStopsTheServingThreadOutOfAConnection() throws Throwable
    {
        whileAPeerTrickles(() ->
        {
            while (!server.isAnswering())
            {
                Thread.onSpinWait();
            }
            server.close();
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().equals("shmipc-handoff-label")), "the serving thread stopped");
        });
    }

    /**
     * Accepting failing for a moment (this process out of descriptors) is waited out: once descriptors are free
     * again, the connection that waited in the backlog is answered. The serving thread used to end at the first
     * failure, and every later hand-off of the region timed out.
     */
    @Test
    void aMomentOutOfDescriptorsDoesNotStopTheServer() throws Throwable
    {
        final HandoffGrant grant = server.grant();
        grant.started(ProcessHandle.current().pid());
        final Memory limit = new Memory(2 * Long.BYTES);
        ResourceLimits.getrlimit(RLIMIT_NOFILE, limit);
        final long soft = limit.getLong(0);
        assertFalse(servingThreadPausedOrGone(), "the holder waits in accept"); // and its classes are loaded now
        // The classes the failure takes, loaded while class files can still be opened.
        assertEquals(EMFILE, PosixErrors.error("accept4", "test", EMFILE).errno());
        final int[] connection = {-1};
        // A trickling peer holds the holder while the request queues behind it and descriptors run out; when the
        // holder cuts the peer off, its next accept fails.
        whileAPeerTrickles(() ->
        {
            connection[0] = UnixSockets.tryConnectAbstract(server.socketName(), "test");
            UnixSockets.send(connection[0], HandoffProtocol.REQUEST_PREFIX + "label " +
                grant.environmentValue().split(" ")[1] + "\n", -1, "test");
            final long deadline = System.nanoTime() + TIMEOUT.toNanos();
            try
            {
                limit.setLong(0, 1); // no descriptor above 0 may be opened
                ResourceLimits.setrlimit(RLIMIT_NOFILE, limit);
                while (!servingThreadPausedOrGone() && System.nanoTime() - deadline < 0)
                {
                    Thread.onSpinWait();
                }
            }
            finally
            {
                limit.setLong(0, soft);
                ResourceLimits.setrlimit(RLIMIT_NOFILE, limit);
            }
            assertTrue(System.nanoTime() - deadline < 0, "the holder met the failure to accept");
        });
        try
        {
            UnixSockets.setTimeouts(connection[0], TIMEOUT, "test");
            final UnixSockets.Received answer = UnixSockets.receive(connection[0], HandoffProtocol.MAX_MESSAGE,
                "test");
            assertEquals(HandoffProtocol.GRANTED, new String(answer.data(), StandardCharsets.US_ASCII));
            Posix.close(answer.descriptor(), "test");
        }
        finally
        {
            Posix.close(connection[0], "test");
        }
    }

    private static final int RLIMIT_NOFILE = 7;
    private static final int EMFILE = 24;

    /**
     * {@code getrlimit} and {@code setrlimit}, for this test only.
     */
    private static final class ResourceLimits
    {
        static
        {
            Native.register(ResourceLimits.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        static native int getrlimit(int resource, Pointer limit) throws LastErrorException;

        static native int setrlimit(int resource, Pointer limit) throws LastErrorException;
    }

    /**
     * Whether the serving thread is pausing after a failed accept, or has ended (as it did before): either way it
     * met the failure.
     */
    private static boolean servingThreadPausedOrGone()
    {
        for (final Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet())
        {
            if (thread.getKey().getName().equals("shmipc-handoff-label"))
            {
                return Arrays.stream(thread.getValue()).anyMatch(frame -> frame.getMethodName().equals("parkNanos"));
            }
        }
        return true;
    }

    /**
     * A receive of the hand-off {@code value} on a thread of its own, interrupted once it is blocked in one of
     * {@code syscalls}: it ends at once with {@link WaitInterruptedException}, its interrupt status still set.
     */
    private static void assertAnInterruptEndsTheWait(final String value, final String waitingFor, final int... syscalls)
        throws InterruptedException
    {
        final Throwable[] thrown = new Throwable[1];
        final boolean[] interrupted = new boolean[1];
        final Thread waiting = new Thread(() ->
        {
            try
            {
                Posix.close(HandoffClient.receive("label", value, Duration.ofHours(1), "test"), "test");
            }
            catch (final Throwable ex)
            {
                thrown[0] = ex;
            }
            interrupted[0] = Thread.currentThread().isInterrupted();
        }, "handoff-wait");
        waiting.start();
        KernelWaits.awaitBlockedIn(waiting, syscalls);
        waiting.interrupt();
        waiting.join(TIMEOUT.toMillis());
        assertFalse(waiting.isAlive(), "still waiting for " + waitingFor);
        final WaitInterruptedException ended = assertInstanceOf(WaitInterruptedException.class, thrown[0]);
        assertTrue(ended.getMessage().contains("attach interrupted while waiting for the hand-off of test"),
            ended.getMessage());
        assertTrue(interrupted[0], "the interrupt status stays set");
    }

    /**
     * Run an action while a peer trickles a request ({@link #trickle}), then wait for the peer to finish.
     */
    private void whileAPeerTrickles(final Executable action) throws Throwable
    {
        final Thread trickling = trickle(20);
        try
        {
            action.execute();
        }
        finally
        {
            trickling.join();
        }
    }

    /**
     * A peer that connects and sends a request a byte every 300 ms, without the line's end, until it has sent
     * {@code bytes} or the holder cut it off. Returns once the holder has accepted it and read its first byte.
     */
    private Thread trickle(final int bytes) throws InterruptedException
    {
        final int connection = UnixSockets.tryConnectAbstract(server.socketName(), "test");
        final CountDownLatch first = new CountDownLatch(1);
        final Thread thread = new Thread(() ->
        {
            try
            {
                for (int i = 0; i < bytes; i++)
                {
                    UnixSockets.send(connection, "x", -1, "test");
                    first.countDown();
                    // The scenario itself, not synchronisation: a peer that keeps the connection busy, slowly.
                    Thread.sleep(300);
                }
            }
            catch (final ShmIpcException | InterruptedException ex)
            {
                // cut off by the holder
            }
            finally
            {
                first.countDown();
                Posix.close(connection, "test");
            }
        });
        thread.start();
        first.await();
        return thread;
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
