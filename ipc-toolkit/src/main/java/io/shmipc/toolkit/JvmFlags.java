package io.shmipc.toolkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags a JVM running shm-ipc needs, for the Java release it runs on, class path form (the library, Agrona and
 * JNA on the class path):
 * <ul>
 * <li>{@value #AGRONA_EXPORT}: Agrona 2.x reaches {@code jdk.internal.misc.Unsafe}; without it the first Agrona
 * buffer fails with {@code IllegalAccessError}. Every release from 17 needs it.</li>
 * <li>{@value #NATIVE_ACCESS}: JNA loads its native stub with {@code System.load}, a restricted method. From
 * Java 24 every JVM prints a four-line warning without this flag (and a future release will refuse the call);
 * Java 17 to 23 accept the flag and print nothing either way.</li>
 * </ul>
 * On the module path the targets are the modules instead: {@code --add-exports
 * java.base/jdk.internal.misc=org.agrona} and {@code --enable-native-access=com.sun.jna}.
 */
public final class JvmFlags
{
    /** Agrona's export, as one argument. */
    public static final String AGRONA_EXPORT = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Native access for JNA on the class path, as one argument. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The first release that knows {@link #NATIVE_ACCESS}. */
    public static final int NATIVE_ACCESS_SINCE = 17;

    private JvmFlags()
    {
    }

    /**
     * The flags for a JVM of a given feature release.
     *
     * @param feature the release, e.g. 17 or 25 ({@link Runtime.Version#feature()}).
     * @return the flags, one argument each.
     */
    public static List<String> forRelease(final int feature)
    {
        final List<String> flags = new ArrayList<>();
        flags.add(AGRONA_EXPORT);
        if (feature >= NATIVE_ACCESS_SINCE)
        {
            flags.add(NATIVE_ACCESS);
        }
        return flags;
    }

    /**
     * The flags for a JVM of the release this one runs.
     *
     * @return the flags, one argument each.
     */
    public static List<String> forThisJvm()
    {
        return forRelease(Runtime.version().feature());
    }

    /**
     * Add to {@code options} what they lack of {@code flags}, in either spelling ({@code --add-exports X} or
     * {@code --add-exports=X}).
     *
     * @param options JVM options, e.g. this JVM's input arguments.
     * @param flags   the flags that must be there.
     * @return the options, followed by the missing flags.
     */
    public static List<String> withFlags(final List<String> options, final List<String> flags)
    {
        final List<String> all = new ArrayList<>(options);
        final String joined = String.join(" ", options).replace("--add-exports ", "--add-exports=");
        for (final String flag : flags)
        {
            if (!joined.contains(flag))
            {
                all.add(flag);
            }
        }
        return all;
    }
}
