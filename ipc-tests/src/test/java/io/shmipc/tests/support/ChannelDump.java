package io.shmipc.tests.support;

import io.shmipc.ChannelKind;
import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.tests.support.RegionDump.DirectoryEntry;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import static io.shmipc.layout.DirectoryDescriptor.*;
import static io.shmipc.tests.support.RegionDump.time;
import static io.shmipc.tests.support.RegionFileDecoder.read;
import static io.shmipc.tests.support.RegionFileDecoder.within;

/**
 * The part of a {@link RegionDump} that describes one channel: its directory entry, its control block, the positions
 * in its Agrona trailer and its live endpoint slots, each only as far as it lies inside the file.
 */
final class ChannelDump
{
    private ChannelDump()
    {
    }

    /**
     * Append what {@code entry} and the channel it places hold to {@code out}; nothing for a free entry.
     */
    static void describeEntry(
        final FileChannel channel, final DirectoryEntry entry, final long size, final StringBuilder out)
        throws IOException
    {
        if (entry.entryState() == ENTRY_FREE)
        {
            return;
        }
        out.append("  [").append(entry.index()).append("] state=").append(entry.entryState())
            .append(entry.entryState() == ENTRY_READY ? " (READY)" : entry.entryState() == ENTRY_INITIALISING ?
            " (INITIALISING)" : " (unknown)").append(" generation=").append(entry.entryGeneration())
            .append(" name=").append(entry.name())
            .append(" nameLength=").append(entry.nameLength())
            .append(" kind=").append(entry.kind())
            .append(" (").append(kindName(entry.kind())).append(')')
            .append(" channelOffset=").append(entry.channelOffset())
            .append(" channelLength=").append(entry.channelLength())
            .append(" bufferOffset=").append(entry.bufferOffset())
            .append(" bufferLength=").append(entry.bufferLength())
            .append(" capacity=").append(entry.capacity())
            .append(" maxMessageLength=").append(entry.maxMessageLength())
            .append(" endpointSlots=").append(entry.endpointSlots())
            .append(" endpointTableOffset=").append(entry.endpointTableOffset())
            .append(" controlOffset=").append(entry.controlOffset()).append('\n');
        if (!within(entry.controlOffset(), ChannelDescriptor.CONTROL_LENGTH, size))
        {
            out.append("      (control block outside the file)\n");
            return;
        }
        final ByteBuffer control = read(channel, entry.controlOffset(), ChannelDescriptor.CONTROL_LENGTH);
        out.append("      control: wakeSequence=").append(control.getInt(ChannelDescriptor.WAKE_SEQUENCE_OFFSET))
            .append(" waiterCount=").append(control.getInt(ChannelDescriptor.WAITER_COUNT_OFFSET))
            .append(" broadcastNextSequence=").append(control.getLong(ChannelDescriptor.BROADCAST_SEQUENCE_OFFSET))
            .append('\n');
        describeTrailer(channel, entry, size, out);
        describeEndpoints(channel, entry, size, out);
    }

    private static void describeTrailer(
        final FileChannel channel, final DirectoryEntry entry, final long size, final StringBuilder out)
        throws IOException
    {
        final long trailerOffset = entry.bufferOffset() + entry.capacity();
        final boolean broadcast = entry.kind() == ChannelKind.BROADCAST.code();
        final int trailerLength = broadcast ?
            BroadcastBufferDescriptor.TRAILER_LENGTH : RingBufferDescriptor.TRAILER_LENGTH;
        if (entry.capacity() <= 0 || !within(trailerOffset, trailerLength, size))
        {
            out.append("      (buffer trailer outside the file)\n");
            return;
        }
        final ByteBuffer trailer = read(channel, trailerOffset, trailerLength);
        if (broadcast)
        {
            out.append("      broadcast: tailIntent=")
                .append(trailer.getLong(BroadcastBufferDescriptor.TAIL_INTENT_COUNTER_OFFSET))
                .append(" tail=").append(trailer.getLong(BroadcastBufferDescriptor.TAIL_COUNTER_OFFSET))
                .append(" latest=").append(trailer.getLong(BroadcastBufferDescriptor.LATEST_COUNTER_OFFSET))
                .append('\n');
        }
        else
        {
            out.append("      ring: tail=").append(trailer.getLong(RingBufferDescriptor.TAIL_POSITION_OFFSET))
                .append(" headCache=").append(trailer.getLong(RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET))
                .append(" head=").append(trailer.getLong(RingBufferDescriptor.HEAD_POSITION_OFFSET))
                .append(" nextHead=").append(trailer.getLong(ChannelDescriptor.RING_NEXT_HEAD_OFFSET))
                .append(" consumerHeartbeat=")
                .append(trailer.getLong(RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET)).append('\n');
        }
    }

    private static void describeEndpoints(
        final FileChannel channel, final DirectoryEntry entry, final long size, final StringBuilder out)
        throws IOException
    {
        final int slots = Math.max(0, Math.min(entry.endpointSlots(), ChannelDescriptor.DEFAULT_ENDPOINT_SLOTS));
        final int tableLength = slots * EndpointDescriptor.SLOT_LENGTH;
        if (!within(entry.endpointTableOffset(), tableLength, size))
        {
            out.append("      (endpoint table outside the file)\n");
            return;
        }
        final ByteBuffer table = read(channel, entry.endpointTableOffset(), tableLength);
        int used = 0;
        for (int slot = 0; slot < slots; slot++)
        {
            final int offset = slot * EndpointDescriptor.SLOT_LENGTH;
            final long id = table.getLong(offset + EndpointDescriptor.ENDPOINT_ID_OFFSET);
            if (id == 0)
            {
                continue;
            }
            used++;
            final int role = table.getInt(offset + EndpointDescriptor.ROLE_OFFSET);
            out.append("      endpoint slot=").append(slot)
                .append(" lockByte=").append(entry.endpointTableOffset() + offset)
                .append(" id=").append(Long.toHexString(id))
                .append(" role=").append(role == EndpointDescriptor.ROLE_PUBLISHER ? "PUBLISHER" :
                    role == EndpointDescriptor.ROLE_SUBSCRIBER ? "SUBSCRIBER" : Integer.toString(role))
                .append(" pid=").append(table.getInt(offset + EndpointDescriptor.PID_OFFSET))
                .append(" startTime=").append(table.getLong(offset + EndpointDescriptor.START_TIME_OFFSET))
                .append(" heartbeat=").append(time(table.getLong(offset + EndpointDescriptor.HEARTBEAT_OFFSET)))
                .append(" attachTime=").append(time(table.getLong(offset + EndpointDescriptor.ATTACH_TIME_OFFSET)))
                .append('\n');
        }
        if (used == 0)
        {
            out.append("      (no endpoint slot written)\n");
        }
    }

    private static String kindName(final int code)
    {
        final ChannelKind kind = ChannelKind.ofCode(code);
        return kind == null ? "UNKNOWN(" + code + ")" : kind.name();
    }
}
