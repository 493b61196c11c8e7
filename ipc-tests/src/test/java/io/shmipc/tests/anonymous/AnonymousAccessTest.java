package io.shmipc.tests.anonymous;

import io.shmipc.tests.support.ChildProcesses;
import io.shmipc.tests.support.Summary;
import io.shmipc.tests.support.UnprivilegedJava;
import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shmipc.tests.anonymous.Holders.START_TIMEOUT;
import static io.shmipc.tests.anonymous.Holders.STEP_TIMEOUT;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Who can reach an anonymous region, with every process an ordinary user (root may look into any process, so
 * these run as {@code nobody} through {@code setpriv}; skipped only when the tests do not run as root, and CI
 * does). The creator hands the region to one process it names; that process attaches and uses it, cannot change
 * its size, and may hand it on to a process of its own. A sibling of the same user that was not handed it, with or
 * without a hand-off variable stolen from another grant, and a process of another user, each fail with a typed
 * error, and cannot open the holder's descriptor through {@code /proc/<pid>/fd/<fd>} or read a holder's
 * environment, because holders make themselves undumpable; a creator that stays dumpable lets the same user in
 * through {@code /proc}, as the security model says. A corrupted header is still refused on attach.
 */
class AnonymousAccessTest
{
    private static final int CAPACITY = 64 * 1024;

    @TempDir
    Path directory;

    private final ChildProcesses children = new ChildProcesses();
    private UnprivilegedJava unprivileged;

    @BeforeEach
    void setUp()
    {
        UnprivilegedJava.require();
        unprivileged = UnprivilegedJava.prepare(directory);
    }

    @AfterEach
    void tearDown()
    {
        children.close();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void onlyTheProcessesHandedTheRegionReachIt()
    {
        final Holders holders = new Holders(children, Holders.uniqueLabel("access"), unprivileged::command);
        final ChildProcess parent = holders.createParent(CAPACITY);
        final ChildProcess child = holders.attachChild(parent, "child");
        assertEquals("false", Holders.ready(parent, "parent", "dumpable"));
        assertEquals("false", Holders.ready(child, "child", "dumpable"));
        child.send("SEND from-the-child");
        child.awaitLineStartingWith("child SENT", STEP_TIMEOUT);
        parent.send("RECEIVE");
        parent.awaitLineStartingWith("parent GOT from-the-child", STEP_TIMEOUT);

        child.send("TRUNCATE");
        final String truncate = child.awaitLineStartingWith("child TRUNCATE ", STEP_TIMEOUT);
        assertTrue(truncate.startsWith("child TRUNCATE refused") && truncate.contains("Operation not permitted"),
            truncate);

        final String parentPid = Holders.ready(parent, "parent", "pid");
        final String parentFd = Holders.ready(parent, "parent", "fd");
        final String childPid = Holders.ready(child, "child", "pid");
        final Map<String, String> expected = Map.of("attach", "RegionNotFoundException", "proc-fd", "EACCES",
            "proc-attach", "RegionPermissionException", "environ", "EACCES");
        assertProbe(holders.start("sibling", Map.of(), AnonymousProbeMain.class, holders.label(), parentPid,
            parentFd, childPid), UnprivilegedJava.NOBODY, expected);

        // A hand-off variable stolen from a grant named for another process (the child) is refused too.
        final Map<String, String> stolen = Map.of("attach", "RegionPermissionException", "proc-fd", "EACCES",
            "proc-attach", "RegionPermissionException", "environ", "EACCES");
        assertProbe(stolenGrantProbe(holders, parent, childPid, unprivileged::command, "sibling-with-secret"),
            UnprivilegedJava.NOBODY, stolen);
        assertProbe(stolenGrantProbe(holders, parent, childPid, (mainClass, args) ->
            unprivileged.command(UnprivilegedJava.OTHER_USER, mainClass, args), "other-user"),
            UnprivilegedJava.OTHER_USER, stolen);

        child.send("SPAWN grandchild from-the-grandchild");
        child.awaitLineStartingWith("grandchild SENT", START_TIMEOUT);
        parent.send("RECEIVE");
        parent.awaitLineStartingWith("parent GOT from-the-grandchild", STEP_TIMEOUT);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDumpableCreatorLetsItsOwnUserInThroughProc()
    {
        final Holders holders = new Holders(children, Holders.uniqueLabel("dumpable"), unprivileged::command);
        final ChildProcess parent = holders.createParent(CAPACITY, "create-dumpable");
        assertEquals("true", Holders.ready(parent, "parent", "dumpable"));
        final String parentPid = Holders.ready(parent, "parent", "pid");
        assertProbe(holders.start("sibling", Map.of(), AnonymousProbeMain.class, holders.label(), parentPid,
            Holders.ready(parent, "parent", "fd"), parentPid), UnprivilegedJava.NOBODY, Map.of("attach",
            "RegionNotFoundException", "proc-fd", "OPENED", "proc-attach", "OPENED", "environ", "OPENED"));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aCorruptedHeaderIsRefusedOnAttach()
    {
        final Holders holders = new Holders(children, Holders.uniqueLabel("corrupt"), unprivileged::command);
        final ChildProcess parent = holders.createParent(CAPACITY);
        parent.send("CORRUPT");
        parent.awaitLineStartingWith("parent CORRUPTED", STEP_TIMEOUT);
        final ChildProcess child = holders.handTo(parent, "parent", "child", AnonymousHolderMain.class, "attach",
            holders.label(), "child");
        final Summary failed = Summary.parse(child.awaitLineStartingWith("child FAILED ", START_TIMEOUT));
        failed.assertText("class", "CorruptRegionException");
        failed.assertText("field", "header.magic");
        assertEquals(3, child.awaitExit(STEP_TIMEOUT));
    }

    private ChildProcess stolenGrantProbe(final Holders holders, final ChildProcess parent,
        final String namedPid, final Holders.Launcher launcher, final String description)
    {
        final Holders.Grant grant = Holders.grant(parent, "parent");
        parent.send("STARTED " + grant.number() + " " + namedPid);
        parent.awaitLineStartingWith("parent NAMED " + grant.number(), STEP_TIMEOUT);
        return new Holders(children, holders.label(), launcher).start(description,
            Map.of(grant.variable(), grant.value()), AnonymousProbeMain.class, holders.label(),
            Holders.ready(parent, "parent", "pid"), Holders.ready(parent, "parent", "fd"), namedPid);
    }

    private static void assertProbe(final ChildProcess probe, final int uid, final Map<String, String> expected)
    {
        final Summary summary = Summary.parse(probe.awaitLineStartingWith("PROBE ", START_TIMEOUT));
        summary.assertText("uid", Integer.toString(uid));
        expected.forEach(summary::assertText);
        probe.awaitSuccess(STEP_TIMEOUT);
    }
}
