package io.shmipc;

import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.layout.ServiceDescriptor;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every field offset docs/layout.md draws or tables, as the code defines it: by the name of the descriptor constant
 * (read reflectively, so the value and its name cannot disagree; most constants are named after their field, see
 * {@link #named}, the others are listed), or derived from one where the code has no constant of its own (reserved
 * fields, Agrona's record offsets given by methods).
 */
final class LayoutOffsets
{
    private final Map<String, LayoutDocumentTest.Expected> expected = new LinkedHashMap<>();

    private LayoutOffsets()
    {
    }

    /**
     * The offsets, keyed {@code "Section / Field"} as {@link LayoutDocument} keys them.
     *
     * @return a new map.
     */
    static Map<String, LayoutDocumentTest.Expected> expected()
    {
        final LayoutOffsets offsets = new LayoutOffsets();
        offsets.header();
        offsets.counters();
        offsets.channel();
        offsets.buffers();
        offsets.services();
        return offsets.expected;
    }

    private void header()
    {
        named("Header", RegionHeaderDescriptor.class, "Magic", "Major Version", "Minor Version", "Region Length",
            "State", "Header Length", "Directory Offset", "Directory Capacity", "Directory Entry Length", "Creator PID",
            "Page Size", "Creator Boot Id", "Creation Time", "Owner Heartbeat", "Counters Metadata Offset",
            "Counters Metadata Length", "Counters Values Length", "Counters Values Offset", "Data Area Offset",
            "Data Area Length", "Directory Change Count");
        constant("Header", "Creator Process Start Time", RegionHeaderDescriptor.class, "CREATOR_START_TIME_OFFSET");
        derived("Header", "Reserved", RegionHeaderDescriptor.DIRECTORY_CHANGE_COUNT_OFFSET + Integer.BYTES,
            "after Directory Change Count");
        named("Lock bytes", RegionHeaderDescriptor.class, "Init Lock", "Users Lock", "Directory Lock");
    }

    private void counters()
    {
        derived("Counter value record", "Value", 0, "Agrona: the value starts its record");
        named("Counter value record", CountersReader.class, "Registration Id", "Owner Id", "Reference Id");
        derived("Counter metadata record", "Record State", 0, "Agrona: the state starts its record");
        named("Counter metadata record", CountersReader.class, "Type Id", "Free For Reuse Deadline", "Key");
        constant("Counter metadata record", "Label Length", CountersReader.class, "LABEL_OFFSET");
        derived("Counter metadata record", "Label", CountersReader.LABEL_OFFSET + Integer.BYTES,
            "CountersReader.LABEL_OFFSET + 4");
    }

    private void channel()
    {
        named("Directory entry", DirectoryDescriptor.class, "Name Length", "Kind", "Name", "Buffer Offset",
            "Buffer Length", "Capacity", "Max Message Length", "Endpoint Slots", "Endpoint Table Offset", "Entry State",
            "Entry Generation");
        constant("Directory entry", "Channel Area Offset", DirectoryDescriptor.class, "CHANNEL_OFFSET_OFFSET");
        constant("Directory entry", "Channel Area Length", DirectoryDescriptor.class, "CHANNEL_LENGTH_OFFSET");
        constant("Directory entry", "Control Block Offset", DirectoryDescriptor.class, "CONTROL_OFFSET_OFFSET");

        named("Control block", ChannelDescriptor.class, "Publisher Role Lock", "Subscriber Role Lock", "Waiter Count",
            "Channel Failure");
        constant("Control block", "Wake-up Sequence", ChannelDescriptor.class, "WAKE_SEQUENCE_OFFSET");
        constant("Control block", "Blocking Subscriber Count", ChannelDescriptor.class, "BLOCKING_SUBSCRIBERS_OFFSET");
        constant("Control block", "Broadcast Next Sequence", ChannelDescriptor.class, "BROADCAST_SEQUENCE_OFFSET");

        named("Endpoint slot", EndpointDescriptor.class, "Endpoint Id", "Role", "PID", "Boot Id", "Heartbeat",
            "Attach Time", "Claim In Progress");
        constant("Endpoint slot", "Process Start Time", EndpointDescriptor.class, "START_TIME_OFFSET");
        derived("Endpoint slot", "Reserved", EndpointDescriptor.CLAIM_IN_PROGRESS_OFFSET + Integer.BYTES,
            "after Claim In Progress");
        named("Endpoint slot", EndpointDescriptor.class, "Wait State", "Receiver Position", "Log State", "Lag Window",
            "Demote After", "Delivered Messages");
        constant("Endpoint slot", "Receiver Lost Messages", EndpointDescriptor.class, "RECEIVER_LOST_OFFSET");
        derived("Endpoint slot", "Slot Reserved", EndpointDescriptor.DELIVERED_MESSAGES_OFFSET + Long.BYTES,
            "after Delivered Messages");
    }

    private void buffers()
    {
        named("Ring buffer trailer", RingBufferDescriptor.class, "Tail Position", "Head Cache Position",
            "Head Position", "Consumer Heartbeat");
        constant("Ring buffer trailer", "Next Head", ChannelDescriptor.class, "RING_NEXT_HEAD_OFFSET");
        derived("Ring record header", "Record Length", RecordDescriptor.lengthOffset(0),
            "RecordDescriptor.lengthOffset(0)");
        derived("Ring record header", "Type Id", RecordDescriptor.typeOffset(0), "RecordDescriptor.typeOffset(0)");
        derived("Ring record header", "Payload", RecordDescriptor.encodedMsgOffset(0),
            "RecordDescriptor.encodedMsgOffset(0)");

        named("Log buffer trailer", LogBufferDescriptor.class, "Tail Position", "Next Sequence", "Oldest Position",
            "Subscriber Mask", "Publisher Limit", "Reserved");
        named("Log record header", LogBufferDescriptor.class, "Lap And Type", "Sequence", "Payload");
        constant("Log record header", "Record Length", LogBufferDescriptor.class, "LENGTH_OFFSET");

        named("Broadcast buffer trailer", BroadcastBufferDescriptor.class, "Tail Intent Counter", "Tail Counter",
            "Latest Counter");
        constant("Broadcast record header", "Record Length", org.agrona.concurrent.broadcast.RecordDescriptor.class,
            "LENGTH_OFFSET");
        constant("Broadcast record header", "Type Id", org.agrona.concurrent.broadcast.RecordDescriptor.class,
            "TYPE_OFFSET");
        derived("Broadcast record header", "Payload", org.agrona.concurrent.broadcast.RecordDescriptor.msgOffset(0),
            "broadcast RecordDescriptor.msgOffset(0)");
    }

    private void services()
    {
        named("Request record", ServiceDescriptor.class, "Server Id", "Correlation Id", "Client Id", "Request Flags");
        constant("Request record", "Request Payload", ServiceDescriptor.class, "REQUEST_HEADER_LENGTH");
        named("Response record", ServiceDescriptor.class, "Response Correlation Id", "Response Flags",
            "Response Reserved");
        constant("Response record", "Response Payload", ServiceDescriptor.class, "RESPONSE_HEADER_LENGTH");
    }

    /**
     * Fields of one section whose offsets are constants of one class named after them: the field's name in upper
     * case, its words joined by underscores, then {@code _OFFSET} ("Major Version": {@code MAJOR_VERSION_OFFSET}).
     * A field whose constant is named otherwise is given with {@link #constant}.
     *
     * @param section the section, as docs/layout.md titles it.
     * @param type    the class defining the constants.
     * @param fields  the fields, as docs/layout.md names them.
     */
    private void named(final String section, final Class<?> type, final String... fields)
    {
        for (final String field : fields)
        {
            constant(section, field, type, field.toUpperCase(Locale.ROOT).replace(' ', '_') + "_OFFSET");
        }
    }

    private void constant(final String section, final String field, final Class<?> type, final String name)
    {
        try
        {
            final Field constant = type.getField(name);
            put(section, field, ((Number)constant.get(null)).longValue(), type.getSimpleName() + "." + name);
        }
        catch (final NoSuchFieldException | IllegalAccessException ex)
        {
            throw new IllegalStateException("no public constant " + type.getName() + "." + name, ex);
        }
    }

    private void derived(final String section, final String field, final long value, final String source)
    {
        put(section, field, value, source);
    }

    private void put(final String section, final String field, final long value, final String source)
    {
        expected.put(section + " / " + field, new LayoutDocumentTest.Expected(value, source));
    }
}
