package io.shmipc.log;

import io.shmipc.exceptions.CorruptRegionException;

import java.util.ArrayList;
import java.util.List;

/**
 * The failures of a test's log channel, remembering every field that failed it, as a region's channel health would
 * be marked.
 */
final class MarkedFailures
{
    private final List<String> marked = new ArrayList<>();
    private final LogFailure failure = new LogFailure("log", (field, expected, actual) ->
    {
        marked.add(field);
        return new CorruptRegionException("test", "channel[log]." + field, expected, actual);
    });

    LogFailure failure()
    {
        return failure;
    }

    /**
     * The fields that failed the channel, in order.
     */
    List<String> marked()
    {
        return marked;
    }
}
