package io.shmipc.tests.faults;

import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.exceptions.ChannelInUseException;
import io.shmipc.tests.support.ChildSupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens many endpoints of one role on one channel and holds them until told to exit or killed, for the endpoint
 * limit tests.
 * <p>
 * Arguments: {@code <region> <channel> publisher|subscriber <count>}. Prints {@code HOLDING <count>} once all are
 * open, or {@code REFUSED <opened> <message>} when the channel refused one (those opened are held all the same).
 * Exits on {@code EXIT} or the end of its input.
 */
public final class EndpointFillerMain
{
    private EndpointFillerMain()
    {
    }

    public static void main(final String[] args)
    {
        final String channel = args[1];
        final boolean publisher = args[2].equals("publisher");
        final int count = Integer.parseInt(args[3]);
        final List<AutoCloseable> held = new ArrayList<>();
        try (Region region = Region.attach(RegionLocation.parse(args[0]), Duration.ofSeconds(10)))
        {
            try
            {
                while (held.size() < count)
                {
                    held.add(publisher ? region.publisher(channel) : region.subscriber(channel));
                }
                ChildSupport.println("HOLDING " + held.size());
            }
            catch (final ChannelInUseException ex)
            {
                ChildSupport.println("REFUSED " + held.size() + " " + ex.getMessage());
            }
            String command;
            do
            {
                command = ChildSupport.nextCommand();
            }
            while (!command.equals("EXIT") && !command.equals(ChildSupport.END_OF_INPUT));
        }
        ChildSupport.println("EXITED");
    }
}
