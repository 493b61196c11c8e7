package io.shmipc.examples.cli;

import io.shmipc.ChannelBacklog;
import io.shmipc.ChannelKind;
import io.shmipc.ChannelSpec;
import io.shmipc.ChannelStatus;
import io.shmipc.RegionInspector;
import io.shmipc.examples.support.Backlog;
import io.shmipc.examples.support.AnonymousLookup;
import io.shmipc.examples.support.CommandFailedException;
import io.shmipc.examples.support.Counts;
import io.shmipc.examples.support.ExitCodes;
import io.shmipc.examples.support.Names;
import io.shmipc.examples.support.RegionArgument;
import io.shmipc.examples.support.RegionSupport;
import io.shmipc.exceptions.CorruptRegionException;
import io.shmipc.exceptions.RegionNotFoundException;
import io.shmipc.toolkit.Json;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shm-ipc peek REGION}: what waits in a channel, without consuming it.
 */
@Command(name = "peek")
public final class PeekCommand implements Callable<Integer>
{
    private static final int HEX_BYTES_PER_LINE = 16;

    @Spec
    private CommandSpec spec;

    @Mixin
    private RegionArgument region;

    @Option(names = "--channel", paramLabel = "NAME", converter = Names.Channel.class)
    private String channel;

    @Option(names = {"-n", "--count"}, converter = Counts.IntAtLeastZero.class, paramLabel = "N", defaultValue = "10")
    private int count;

    @Option(names = "--last")
    private boolean last;

    @Option(names = "--hex")
    private boolean hex;

    @Option(names = "--json")
    private boolean json;

    /** Messages the scan handed over, shown or not. */
    private long seen;

    @Override
    public Integer call()
    {
        try (RegionInspector inspector = RegionInspector.open(AnonymousLookup.resolve(region.location(spec))))
        {
            final ChannelStatus status = channel(inspector);
            final Deque<byte[]> shown = new ArrayDeque<>();
            final ChannelBacklog backlog;
            try
            {
                // Every message reaches keep(), which copies only those shown: the count before damage is known.
                backlog = inspector.peek(status.spec().name(), Integer.MAX_VALUE,
                    (buffer, offset, length) -> keep(shown, buffer, offset, length));
            }
            catch (final CorruptRegionException ex)
            {
                reportDamage(status, shown);
                throw new CommandFailedException("channel '" + status.spec().name() + "' cannot be read to its " +
                    "end: " + ex.getMessage());
            }
            report(status, backlog, shown);
            return ExitCodes.OK;
        }
        catch (final RegionNotFoundException ex)
        {
            throw new CommandFailedException("no such region: " + region.location(spec) + " (shm-ipc list shows " +
                "the regions)");
        }
    }

    private ChannelStatus channel(final RegionInspector inspector)
    {
        final List<ChannelStatus> channels = inspector.channels();
        for (final ChannelStatus status : channels)
        {
            if (status.spec().name().equals(channel) || (channel == null && channels.size() == 1))
            {
                return status;
            }
        }
        throw new ParameterException(spec.commandLine(), (channel == null ? "the region has " + channels.size() +
            " channels: give --channel NAME" : "--channel " + channel + ": no such channel in " +
            inspector.location()) + "; its channels: " +
            channels.stream().map(status -> status.spec().name()).toList());
    }

    private void keep(final Deque<byte[]> shown, final DirectBuffer buffer, final int offset, final int length)
    {
        seen++;
        if (count == 0 || !last && shown.size() == count)
        {
            return;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        shown.addLast(copy);
        if (shown.size() > count)
        {
            shown.removeFirst();
        }
    }

    private void report(final ChannelStatus status, final ChannelBacklog backlog, final Deque<byte[]> shown)
    {
        final ChannelSpec channel = status.spec();
        final boolean broadcast = channel.kind() == ChannelKind.BROADCAST;
        if (json)
        {
            System.out.println(new Json().field("channel", channel.name()).field("kind", channel.kind().name())
                .field("waitingMessages", backlog.messages()).field("waitingBytes", backlog.bytes())
                .field("shown", shown.size()).field("writeInProgress", backlog.writeInProgress())
                .field("consumerMoved", backlog.consumerMoved()));
        }
        else if (broadcast)
        {
            System.out.printf("channel '%s' (BROADCAST) keeps no backlog: each receiver has its own position; %s%n",
                channel.name(), shown.isEmpty() ? "nothing transmitted yet" : "its newest message:");
        }
        else
        {
            final boolean log = channel.kind() == ChannelKind.PUBLISH_SUBSCRIBE;
            System.out.printf("channel '%s' (%s): %s (%s) %s%s%s%s%n", channel.name(), channel.kind(),
                Backlog.messages(backlog.messages()), RegionSupport.bytes(backlog.bytes()),
                log ? "held, what a receiver --from-oldest gets" : "waiting", shown.isEmpty() ? "" :
                "; the " + (last ? "newest " : "first ") + shown.size() + ":", backlog.writeInProgress() ?
                " (a publisher is writing one more)" : "", backlog.consumerMoved() ? (log ?
                " (the publisher overwrote the oldest while peek read: the count is of what it still held)" :
                " (its subscriber consumed messages while peek read: some shown may be gone)") : "");
        }
        int index = 0;
        for (final byte[] message : shown)
        {
            print(index++, message);
        }
    }

    /** What the scan read before it met a position or record that cannot be right: the error follows. */
    private void reportDamage(final ChannelStatus status, final Deque<byte[]> shown)
    {
        if (json)
        {
            System.out.println(new Json().field("channel", status.spec().name()).field("kind",
                status.spec().kind().name()).field("messagesBeforeDamage", seen).field("shown", shown.size())
                .field("unreadable", true));
        }
        else
        {
            System.out.printf("channel '%s' (%s): %s before the damage%s%n", status.spec().name(),
                status.spec().kind(), Backlog.messages(seen), shown.isEmpty() ? "" : "; the " + (last ? "last " :
                "first ") + shown.size() + ":");
        }
        int index = 0;
        for (final byte[] message : shown)
        {
            print(index++, message);
        }
    }

    private void print(final int index, final byte[] message)
    {
        final boolean text = !hex && MessageText.isText(message);
        if (json)
        {
            final Json line = new Json().field("index", index).field("length", message.length);
            System.out.println((text ? line.field("text", MessageText.text(message)) :
                line.field("hex", MessageText.hex(message))).toString());
            return;
        }
        if (text)
        {
            System.out.printf("%6d  %s%n", message.length, MessageText.escaped(message));
            return;
        }
        System.out.printf("%6d  (%d bytes)%n", message.length, message.length);
        for (int offset = 0; offset < message.length; offset += HEX_BYTES_PER_LINE)
        {
            System.out.println("        " + MessageText.hexLine(message, offset, HEX_BYTES_PER_LINE));
        }
    }
}
