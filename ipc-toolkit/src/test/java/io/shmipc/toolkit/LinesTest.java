package io.shmipc.toolkit;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The line formats: {@code key=value} words, JSON lines written and read back, and standard input read ahead.
 */
class LinesTest
{
    @Test
    void keyValueLinesRoundTripAndFindTheirMarker()
    {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("sent", 10);
        values.put("rate", "1.5");
        final String line = KeyValues.format("done: ", values);
        assertEquals("done: sent=10 rate=1.5", line);
        assertEquals(Map.of("sent", "10", "rate", "1.5"), KeyValues.after("done: ", "[send 42] " + line));
        assertNull(KeyValues.after("done: ", "[send 42] sent 10"));
        assertEquals(Map.of("port", "4000"), KeyValues.startingWith("READY", "READY port=4000"));
        assertEquals(Map.of(), KeyValues.startingWith("READY", "READY"));
        assertNull(KeyValues.startingWith("READY", "READYING port=1"));
        assertEquals("7", KeyValues.words("typed=7 outcomes={ok=1, typed=2}").get("typed"), "the first key wins");
        assertEquals(List.of("a", "b"), List.copyOf(KeyValues.arguments(new String[]{"x", "a=1", "b=2"}, 1).keySet()));
        assertThrows(IllegalArgumentException.class, () -> KeyValues.arguments(new String[]{"a"}, 0));
    }

    @Test
    void jsonLinesAreReadBackAsWritten()
    {
        final String line = new Json().field("name", "a \"quoted\"\\ line\n").field("count", 3).field("ok", true)
            .field("ratio", 0.25).field("missing", Double.NaN).field("list", List.of("x", "y"))
            .raw("nested", new Json().field("inner", 1).toString()).toString();
        final Map<String, Object> object = JsonReader.parseObject(line);
        assertEquals("a \"quoted\"\\ line\n", object.get("name"));
        assertEquals(3.0, object.get("count"));
        assertEquals(Boolean.TRUE, object.get("ok"));
        assertEquals(0.25, object.get("ratio"));
        assertNull(object.get("missing"));
        assertEquals(List.of("x", "y"), object.get("list"));
        assertEquals(Map.of("inner", 1.0), object.get("nested"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parseObject("[1]"));
        assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("{\"a\":1} x"));
    }

    @Test
    void inputLinesComeInOrderThenTheEnd() throws InterruptedException
    {
        final InputLines input = InputLines.start(new ByteArrayInputStream(
            "one\n\ntwo\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("one", input.next(10, TimeUnit.SECONDS));
        assertEquals("", input.next(10, TimeUnit.SECONDS));
        assertEquals("two", input.next(10, TimeUnit.SECONDS));
        assertSame(InputLines.END, input.next(10, TimeUnit.SECONDS));
        assertSame(InputLines.END, input.next(10, TimeUnit.SECONDS));
        assertNull(input.failure());
    }
}
