package io.shmipc.tests.cli;

import io.shmipc.toolkit.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The log-aggregation demo: shipper processes send lines over one MANY_TO_ONE channel to a writer process, which
 * writes every line to one file, each shipper's lines complete and in order.
 */
@Timeout(180)
class LogAggregationDemoTest extends CliTestBase
{
    private static final int LINES = 400;

    @TempDir
    Path directory;

    @Test
    void writerWritesEveryShippersLinesInOrderToOneFile() throws IOException
    {
        final String region = uniqueRegion("logs");
        final Path file = directory.resolve("all.log");
        // Shippers first: the writer may start later, lines wait in the channel.
        final ChildProcess web1 = shmIpc("log-shipper", "--region", region, "--source", "web-1", "--count",
            Integer.toString(LINES));
        web1.awaitLine(line -> line.contains("shipping"), STARTUP);
        final ChildProcess writer = shmIpc("log-writer", "--region", region, "--shippers", "3", "--output",
            file.toString(), "--timeout", "60s");
        final ChildProcess web2 = shmIpc("log-shipper", "--region", region, "--source", "web-2", "--count",
            Integer.toString(LINES), "--rate", "2000");
        final ChildProcess piped = shmIpc("log-shipper", "--region", region, "--source", "batch", "--level", "WARN");
        piped.awaitLine(line -> line.contains("shipping each line of standard input"), STARTUP);
        piped.send("nightly batch started");
        piped.send("nightly batch finished: 42 rows");
        piped.closeInput();

        assertEquals(LINES, number(result(web1), "shipped"), web1::output);
        assertEquals(LINES, number(result(web2), "shipped"), web2::output);
        assertEquals(2, number(result(piped), "shipped"), piped::output);
        final Map<String, String> written = result(writer);
        for (final ChildProcess process : List.of(web1, web2, piped, writer))
        {
            assertExit(process, 0);
        }
        assertEquals(2 * LINES + 2, number(written, "lines"));
        assertEquals(3, number(written, "finished"));
        assertEquals(0, number(written, "out-of-order"));
        assertTrue(writer.output().contains("shipper web-2 (pid " + web2.pid() + ") finished: 400 lines shipped, " +
            "400 written, all in order"), writer.output());

        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2 * LINES + 2, lines.size());
        for (final ChildProcess shipper : List.of(web1, web2))
        {
            final String source = shipper == web1 ? "web-1" : "web-2";
            final List<String> requests = lines.stream()
                .filter(line -> line.contains(" [" + source + " " + shipper.pid() + "] "))
                .map(line -> line.substring(line.indexOf("] ") + 2, line.indexOf(" GET ")))
                .collect(Collectors.toList());
            final List<String> expected = new ArrayList<>();
            for (int i = 1; i <= LINES; i++)
            {
                expected.add("request " + i);
            }
            assertEquals(expected, requests, source);
        }
        final List<String> batch = lines.stream().filter(line -> line.contains(" [batch " + piped.pid() + "] "))
            .collect(Collectors.toList());
        assertEquals(2, batch.size(), lines::toString);
        assertTrue(batch.get(0).matches("\\S+Z WARN  \\[batch \\d+] nightly batch started"), batch.get(0));
        assertTrue(batch.get(1).endsWith("] nightly batch finished: 42 rows"), batch.get(1));
        assertTrue(lines.stream().anyMatch(line -> line.contains(" ERROR [web-1 ") &&
            line.endsWith("request 50 GET /api/items/50 -> 500 in 1 ms")), "an ERROR line of web-1");
    }

    @Test
    void aWriterWhoseShippersHaveAllFinishedWaitsForTheOnesStillToCome() throws IOException
    {
        final String region = uniqueRegion("logs");
        final Path file = directory.resolve("two.log");
        final ChildProcess writer = shmIpc("log-writer", "--region", region, "--shippers", "2", "--output",
            file.toString(), "--timeout", "60s");
        writer.awaitLine(line -> line.contains("writing the lines of"), STARTUP);
        final ChildProcess first = shmIpc("log-shipper", "--region", region, "--source", "first", "--count", "5");
        assertEquals(5, number(result(first), "shipped"), first::output);
        assertExit(first, 0);
        // Its only shipper so far has gone after its END: the writer says it waits, and does (it used to give up).
        writer.awaitLine(line -> line.contains("no shipper attached: 1 of 2 finished, waiting for the rest (up to " +
            "1m without a line)"), RUN);
        assertTrue(writer.isAlive(), writer::output);
        final ChildProcess second = shmIpc("log-shipper", "--region", region, "--source", "second", "--count",
            "5");
        assertEquals(5, number(result(second), "shipped"), second::output);
        final Map<String, String> written = result(writer);
        assertExit(writer, 0);
        assertEquals(10, number(written, "lines"), writer::output);
        assertEquals(2, number(written, "finished"), writer::output);
        assertEquals(10, Files.readAllLines(file, StandardCharsets.UTF_8).size());
    }

    @Test
    void aWriterWhoseShippersHaveGoneWithoutEndExitsPeerGone()
    {
        final String region = uniqueRegion("logs");
        final ChildProcess writer = shmIpc("log-writer", "--region", region, "--shippers", "2", "--output",
            directory.resolve("cut.log").toString());
        writer.awaitLine(line -> line.contains("writing the lines of"), STARTUP);
        final ChildProcess shipper = shmIpc("log-shipper", "--region", region, "--source", "cut", "--count",
            "1000000", "--rate", "100");
        writer.awaitLine(line -> line.contains("shipper cut (pid " + shipper.pid() + ") connected"), STARTUP);
        shipper.kill();
        assertExit(writer, 4);
        assertTrue(writer.output().contains("every shipper has gone, 1 of them without END (0 of the 2 expected " +
            "finished)"), writer::output);
    }
}
