package io.shmipc.tests.faults;

import io.shmipc.tests.support.ChildSupport;
import io.shmipc.Claim;
import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;

import java.time.Duration;

/**
 * A producer that claims space for one message, writes it, prints {@code CLAIMED} and then blocks reading its
 * standard input with the claim held: the test kills it, stops it, or sends {@code COMMIT}.
 * <p>
 * Arguments: region, channel, producer id. The message has the layout of {@link PacedProducerMain}'s, sequence 0.
 */
public final class ClaimHolderMain
{
    private ClaimHolderMain()
    {
    }

    public static void main(final String[] args)
    {
        final RegionLocation location = RegionLocation.parse(args[0]);
        final String channel = args[1];
        final int producerId = Integer.parseInt(args[2]);
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Publisher publisher = region.publisher(channel))
        {
            final Claim claim = new Claim();
            if (publisher.tryClaim(PacedProducerMain.MESSAGE_LENGTH, claim) != Publisher.OK)
            {
                ChildSupport.println("CLAIM-FAILED");
                System.exit(1);
            }
            claim.buffer().putInt(claim.offset() + PacedProducerMain.PRODUCER_OFFSET, producerId);
            claim.buffer().putLong(claim.offset() + PacedProducerMain.SEQUENCE_OFFSET, 0);
            ChildSupport.println("CLAIMED " + producerId);
            String command;
            while (!(command = ChildSupport.nextCommand()).equals("COMMIT"))
            {
                if (command == ChildSupport.END_OF_INPUT)
                {
                    return;
                }
            }
            claim.commit();
            ChildSupport.println("COMMITTED " + producerId + " 0");
            while (ChildSupport.nextCommand() != ChildSupport.END_OF_INPUT)
            {
                // Hold the region open until the parent closes the pipe or kills this process.
            }
        }
    }
}
