package io.shmipc.region;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}, which the JVM allows only to the modules it is exported to:
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} when Agrona is on the class path,
 * {@code =org.agrona} when it is on the module path. Without it the first buffer throws {@link IllegalAccessError};
 * this check turns that into a message that names the flag for the way this JVM loaded Agrona.
 */
public final class AgronaAccess
{
    private static volatile boolean verified;

    private AgronaAccess()
    {
    }

    /**
     * Fail with a message naming the missing flag unless Agrona can reach what it needs.
     *
     * @throws IllegalStateException naming the {@code --add-exports} flag this JVM needs.
     */
    public static void verify()
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
            final boolean modulePath = UnsafeBuffer.class.getModule().isNamed();
            throw new IllegalStateException("shm-ipc needs the JVM flag " + requiredFlag() + " (Agrona uses " +
                "jdk.internal.misc.Unsafe): add it to the java command line, or to JDK_JAVA_OPTIONS" + (modulePath ?
                "" : "; runnable jars built by shm-ipc set it with the Add-Exports manifest attribute"), ex);
        }
    }

    /**
     * The flag that exports {@code jdk.internal.misc} to Agrona as this JVM loaded it: to every unnamed module
     * from the class path, or to Agrona's own module from the module path.
     *
     * @return the flag, e.g. {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}.
     */
    public static String requiredFlag()
    {
        final Module agrona = UnsafeBuffer.class.getModule();
        return "--add-exports java.base/jdk.internal.misc=" + (agrona.isNamed() ? agrona.getName() : "ALL-UNNAMED");
    }
}
