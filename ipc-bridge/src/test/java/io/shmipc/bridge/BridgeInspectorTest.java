package io.shmipc.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a tool reading a bridge's counters file sees when the file is truncated under its view: the typed error naming
 * the file's size, from every read, never a fault of the JVM.
 */
class BridgeInspectorTest
{
    @TempDir
    Path home;

    @Test
    void aCountersFileTruncatedUnderTheViewIsReportedTypedByEveryRead() throws IOException
    {
        final Path file = home.resolve("counters");
        try (BridgeCounters counters = BridgeCounters.create(file))
        {
            counters.allocateRoute(true, "out orders")[0].setRelease(7);
            counters.signalReady();
            try (BridgeInspector inspector = BridgeInspector.open(home))
            {
                assertEquals(7, inspector.counter("out orders: sent messages"));
                assertEquals(ProcessHandle.current().pid(), inspector.pid());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
                {
                    channel.truncate(0);
                }
                for (final Executable read : new Executable[] {inspector::counters, inspector::pid,
                    inspector::heartbeatMs})
                {
                    final BridgeException truncated = assertThrows(BridgeException.class, read);
                    assertTrue(truncated.getMessage().contains("file=" + file + " field=file.size expected=the " +
                        "mapped length"), truncated.getMessage());
                }
            }
        }
    }
}
