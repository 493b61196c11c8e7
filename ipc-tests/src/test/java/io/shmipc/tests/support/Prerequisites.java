package io.shmipc.tests.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What some tests need of the machine (root, {@code setpriv}, network namespaces, a Docker engine, a second Java):
 * on a developer's machine without it they are skipped, saying why; under CI ({@code CI=true}), which prepares all of
 * it, they fail instead, so that no such test passes there by skipping.
 */
public final class Prerequisites
{
    private Prerequisites()
    {
    }

    /**
     * Whether the environment variable {@code CI} is {@code true}: tests must then run, not skip.
     *
     * @return true on CI.
     */
    public static boolean isContinuousIntegration()
    {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Go on when nothing is missing; else skip the test, or fail it under CI.
     *
     * @param tests   which tests, for the message: e.g. {@code container tests}.
     * @param problem what is missing, or null when nothing is.
     */
    public static void require(final String tests, final String problem)
    {
        if (problem == null)
        {
            return;
        }
        if (isContinuousIntegration())
        {
            throw new IllegalStateException(tests + " cannot run, and CI=true forbids skipping them: " + problem);
        }
        Assumptions.abort(tests + " skipped: " + problem + " (with CI=true this fails instead)");
    }

    /**
     * Go on when this JVM runs as root; else skip the test, or fail it under CI.
     *
     * @param what what needs root, for the message: e.g. {@code unshare --pid}.
     */
    public static void requireRoot(final String what)
    {
        require("tests using " + what, isRoot() ? null : "they need root, and this JVM runs as uid " + uid());
    }

    /**
     * Whether this JVM runs as root.
     *
     * @return true for uid 0.
     */
    public static boolean isRoot()
    {
        return uid() == 0;
    }

    private static int uid()
    {
        try
        {
            return ((Number)Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
        }
        catch (final IOException | RuntimeException ex)
        {
            return -1;
        }
    }
}
