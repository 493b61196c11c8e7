package io.shmipc;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which the JVM only allows with
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} on the class path, or
 * {@code --add-exports java.base/jdk.internal.misc=org.agrona} when Agrona is on the module path. Without it the
 * first buffer throws {@link IllegalAccessError}; this check turns that into a message that names the flag for the
 * path Agrona was loaded from.
 */
final class AgronaAccess
{
    static final String FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    private static volatile boolean verified;

    private AgronaAccess()
    {
    }

    static void verify()
    {
        if (verified)
        {
            return;
        }
        try
        {
            final UnsafeBuffer probe = new UnsafeBuffer(new byte[Long.BYTES]);
            probe.putLongVolatile(0, 1);
            verified = probe.getLongVolatile(0) == 1;
        }
        catch (final IllegalAccessError | ExceptionInInitializerError | NoClassDefFoundError ex)
        {
            throw new IllegalStateException("shm-ipc needs the JVM flag " + flag() + " (Agrona uses " +
                "jdk.internal.misc.Unsafe): add it to the java command line, or to JDK_JAVA_OPTIONS; runnable jars " +
                "built by shm-ipc set it with the Add-Exports manifest attribute", ex);
        }
    }

    /**
     * The flag this JVM needs: Agrona's module ({@code org.agrona}) when Agrona is on the module path, every
     * unnamed module when it is on the class path.
     *
     * @return the {@code --add-exports} option.
     */
    static String flag()
    {
        final Module agrona = UnsafeBuffer.class.getModule();
        return agrona.isNamed() ? "--add-exports java.base/jdk.internal.misc=" + agrona.getName() : FLAG;
    }
}
