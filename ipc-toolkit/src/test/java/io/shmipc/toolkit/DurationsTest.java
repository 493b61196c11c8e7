package io.shmipc.toolkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest
{
    @Test
    void readsEveryUnitDecimalsBareSecondsAndIso()
    {
        assertEquals(Duration.ZERO, Durations.parse("0"));
        assertEquals(Duration.ofNanos(750), Durations.parse("750ns"));
        assertEquals(Duration.ofNanos(1500), Durations.parse("1.5us"));
        assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(10), Durations.parse(" 10S "));
        assertEquals(Duration.ofSeconds(30), Durations.parse("30"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("PT3S"));
        assertEquals(Duration.ofSeconds(3), Durations.parse("pt3s"));
    }

    @Test
    void refusesWhatItCannotReadNamingTheText()
    {
        for (final String text : new String[]{"soon", "", "s", "10x", "-1s", "1.5.2s", "PT-3S", "ms"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse(text), text);
            assertTrue(ex.getMessage().startsWith("invalid duration: '" + text + "'"), ex.getMessage());
        }
    }

    /**
     * A duration written as more than zero that rounds to 0 ns is refused: to the tools 0 means no limit, so
     * {@code --timeout 0.4ns} used to wait for ever. Zero written any way is zero.
     */
    @Test
    void refusesWhatRoundsToZeroButAcceptsZero()
    {
        for (final String text : new String[]{"0.4ns", "0.0000000001s", "0.0001us"})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Durations.parse(text), text);
            assertTrue(ex.getMessage().startsWith("invalid duration: '" + text + "' (more than 0 but less than 1 " +
                "ns)"), ex.getMessage());
        }
        for (final String text : new String[]{"0", "0s", "0.0ms", "PT0S", "0.5ns"})
        {
            assertEquals(text.equals("0.5ns") ? Duration.ofNanos(1) : Duration.ZERO, Durations.parse(text), text);
        }
    }

    @Test
    void formatsInTheLargestWholeUnitAndReadsBack()
    {
        assertEquals("0", Durations.format(Duration.ZERO));
        assertEquals("10s", Durations.format(Duration.ofSeconds(10)));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("1h", Durations.format(Duration.ofHours(1)));
        assertEquals("1001us", Durations.format(Duration.ofNanos(1_001_000)));
        for (final Duration duration : new Duration[]{Duration.ofNanos(7), Duration.ofMillis(1500),
            Duration.ofSeconds(90), Duration.ofHours(3)})
        {
            assertEquals(duration, Durations.parse(Durations.format(duration)));
        }
    }
}
