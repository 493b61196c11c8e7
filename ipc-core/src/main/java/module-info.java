/**
 * shm-ipc: messaging between processes on one host through shared memory. The API is package {@code io.shmipc}
 * and its exceptions {@code io.shmipc.exceptions}; every other package is internal to this module.
 * <p>
 * Agrona's types appear in the API (buffers, idle strategies), so a module that reads this one reads Agrona too.
 * Both Agrona and JNA are automatic modules ({@code org.agrona}, {@code com.sun.jna}); Agrona needs
 * {@code --add-exports java.base/jdk.internal.misc=org.agrona} when it runs from the module path.
 */
@SuppressWarnings({ "requires-automatic", "requires-transitive-automatic" })
module io.shmipc
{
    requires transitive org.agrona;
    requires com.sun.jna;

    exports io.shmipc;
    exports io.shmipc.exceptions;
}
