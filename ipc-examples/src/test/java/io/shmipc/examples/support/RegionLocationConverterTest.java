package io.shmipc.examples.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the tools read a region argument. One the JVM could not decode (its undecodable bytes replaced by U+FFFD) is
 * refused, since the path built from it would name another file: `rm` given a name with a byte 0xFF removed a region
 * whose name held U+FFFD. An absolute path is read in its normal form.
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

    @Test
    void anAbsolutePathIsReadInItsNormalFormSoNoSpellingOfAShmNameMakesAFileElsewhere()
    {
        for (final String value : new String[] {"/chat", "//chat", "/./chat", "/dev/shm/chat", "/dev/shm//chat",
            "/dev/shm/../shm/chat", "/dev/./shm/chat"})
        {
            assertEquals("shm:chat", RegionLocationConverter.parse(value).toString(), value);
        }
        assertEquals("/tmp/chat", RegionLocationConverter.parse("/tmp//chat").toString());
        assertEquals("/dev/shm/chat", RegionLocationConverter.parse("file:/dev/shm/chat").toString());
        assertThrows(IllegalArgumentException.class, () -> RegionLocationConverter.parse("/.."));
    }
}
