package io.shmipc.tests.bridge;

import io.shmipc.Publisher;
import io.shmipc.Region;
import io.shmipc.RegionLocation;
import io.shmipc.Subscriber;
import io.shmipc.tests.support.ChildArguments;
import io.shmipc.tests.support.ChildSupport;
import io.shmipc.toolkit.SequencedMessage;
import org.agrona.concurrent.IdleStrategy;

import java.time.Duration;

/**
 * Child process: the responder of a request/reply pair. Every message of channel {@code requests} goes back
 * unchanged on channel {@code replies} (waiting while back-pressured), up to and including the end-of-stream marker.
 * <p>
 * Arguments ({@code key=value}): {@code region}, {@code requests}, {@code replies}. Prints {@code READY}, then
 * {@code ECHOED count=.. backPressured=..}.
 */
public final class EchoMain
{
    private EchoMain()
    {
    }

    /**
     * Run the responder.
     *
     * @param args {@code key=value} arguments.
     */
    public static void main(final String[] args)
    {
        final ChildArguments arguments = ChildArguments.parse(args);
        final RegionLocation location = arguments.location("region");
        final long[] echoed = new long[1];
        final long[] backPressured = new long[1];
        final boolean[] ended = new boolean[1];
        try (Region region = Region.attach(location, Duration.ofSeconds(10));
            Subscriber requests = region.subscriber(arguments.text("requests"));
            Publisher replies = region.publisher(arguments.text("replies")))
        {
            ChildSupport.println("READY pid=" + ProcessHandle.current().pid());
            final IdleStrategy idle = ChildSupport.idleStrategy();
            final IdleStrategy offerIdle = ChildSupport.idleStrategy();
            while (!ended[0])
            {
                idle.idle(requests.poll((buffer, offset, length) ->
                {
                    offerIdle.reset();
                    long result;
                    while ((result = replies.offer(buffer, offset, length)) == Publisher.BACK_PRESSURED)
                    {
                        backPressured[0]++;
                        offerIdle.idle();
                    }
                    if (result != Publisher.OK)
                    {
                        ChildSupport.exitIncomplete("FAILED offer result=" + result);
                    }
                    if (length >= SequencedMessage.HEADER_LENGTH &&
                        SequencedMessage.sequence(buffer, offset) == SequencedMessage.END_OF_STREAM)
                    {
                        ended[0] = true;
                    }
                    else
                    {
                        echoed[0]++;
                    }
                }, 64));
            }
            ChildSupport.println("ECHOED count=" + echoed[0] + " backPressured=" + backPressured[0]);
        }
    }
}
