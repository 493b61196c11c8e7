package io.shmipc.examples.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A region argument the JVM could not decode (its undecodable bytes replaced by U+FFFD) is refused, since the path
 * built from it would name another file: `rm` given a name with a byte 0xFF removed a region whose name held U+FFFD.
 */
class RegionLocationConverterTest
{
    @Test
    void anArgumentWithUndecodableBytesIsRefused()
    {
        for (final String value : new String[] {"dir/x-\uFFFD", "x\uFFFD", "file:x\uFFFD"})
        {
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> RegionLocationConverter.parse(value));
            assertTrue(refused.getMessage().contains("holds bytes that are not text in this locale's charset"),
                refused.getMessage());
        }
        assertEquals("shm:chat", RegionLocationConverter.parse("chat").toString());
    }
}
