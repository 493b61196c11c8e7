package io.shmipc.examples.support;

import io.shmipc.AnonymousRegionSummary;
import io.shmipc.RegionLocation;
import io.shmipc.Regions;

import java.util.ArrayList;
import java.util.List;

/**
 * How the inspecting tools ({@code stat}, {@code peek}) reach an anonymous region given as {@code anon:LABEL}: it
 * has no name, so it is found among the running processes through {@code /proc} ({@link Regions#listAnonymous()})
 * and read through its first holder's descriptor, {@code /proc/PID/fd/FD}.
 */
public final class AnonymousLookup
{
    private AnonymousLookup()
    {
    }

    /**
     * The location to open: the one given, or for {@code anon:LABEL} the descriptor of the one region of that label.
     *
     * @param location what the user gave.
     * @return a location that can be opened.
     * @throws CommandFailedException when no region, or more than one, has that label.
     */
    public static RegionLocation resolve(final RegionLocation location)
    {
        if (!location.isAnonymous())
        {
            return location;
        }
        final List<AnonymousRegionSummary> found = new ArrayList<>();
        for (final AnonymousRegionSummary anonymous : Regions.listAnonymous())
        {
            if (anonymous.label().equals(location.anonymousLabel()))
            {
                found.add(anonymous);
            }
        }
        if (found.size() != 1)
        {
            final List<String> holders = new ArrayList<>();
            found.forEach(anonymous -> holders.add(anonymous.summary().location().toString()));
            throw new CommandFailedException(found.isEmpty() ? "no running process this one may look into holds " +
                location + " (an undumpable holder is seen only by root; shm-ipc list shows what is seen)" :
                found.size() + " anonymous regions are labelled " + location.anonymousLabel() + ": name one by " +
                String.join(" or ", holders));
        }
        return found.get(0).summary().location();
    }
}
