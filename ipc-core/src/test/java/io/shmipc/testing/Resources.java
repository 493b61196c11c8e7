package io.shmipc.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (regions, endpoints, services), closed in the reverse order after it: a JUnit {@code @AfterEach}
 * calls {@link #closeAll()}.
 */
public final class Resources
{
    private final List<AutoCloseable> opened = new ArrayList<>();

    /**
     * Close this one after the test.
     *
     * @param resource what was opened.
     * @param <T>      its type.
     * @return {@code resource}.
     */
    public <T extends AutoCloseable> T track(final T resource)
    {
        opened.add(resource);
        return resource;
    }

    /**
     * Close everything tracked, the last opened first.
     *
     * @throws Exception what a close threw.
     */
    public void closeAll() throws Exception
    {
        for (int i = opened.size() - 1; i >= 0; i--)
        {
            opened.get(i).close();
        }
        opened.clear();
    }
}
