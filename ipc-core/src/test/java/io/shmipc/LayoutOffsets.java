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
import java.util.Map;

/**
 * Every field offset docs/layout.md draws or tables, as the code defines it: by the name of the descriptor constant
 * (read reflectively, so the value and its name cannot disagree), or derived from one where the code has no constant
 * of its own (reserved fields, Agrona's record offsets given by methods).
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
        final Class<?> type = RegionHeaderDescriptor.class;
        constant("Header", "Magic", type, "MAGIC_OFFSET");
        constant("Header", "Major Version", type, "MAJOR_VERSION_OFFSET");
        constant("Header", "Minor Version", type, "MINOR_VERSION_OFFSET");
        constant("Header", "Region Length", type, "REGION_LENGTH_OFFSET");
        constant("Header", "State", type, "STATE_OFFSET");
        constant("Header", "Header Length", type, "HEADER_LENGTH_OFFSET");
        constant("Header", "Directory Offset", type, "DIRECTORY_OFFSET_OFFSET");
        constant("Header", "Directory Capacity", type, "DIRECTORY_CAPACITY_OFFSET");
        constant("Header", "Directory Entry Length", type, "DIRECTORY_ENTRY_LENGTH_OFFSET");
        constant("Header", "Creator PID", type, "CREATOR_PID_OFFSET");
        constant("Header", "Page Size", type, "PAGE_SIZE_OFFSET");
        constant("Header", "Creator Process Start Time", type, "CREATOR_START_TIME_OFFSET");
        constant("Header", "Creator Boot Id", type, "CREATOR_BOOT_ID_OFFSET");
        constant("Header", "Creation Time", type, "CREATION_TIME_OFFSET");
        constant("Header", "Owner Heartbeat", type, "OWNER_HEARTBEAT_OFFSET");
        constant("Header", "Counters Metadata Offset", type, "COUNTERS_METADATA_OFFSET_OFFSET");
        constant("Header", "Counters Metadata Length", type, "COUNTERS_METADATA_LENGTH_OFFSET");
        constant("Header", "Counters Values Length", type, "COUNTERS_VALUES_LENGTH_OFFSET");
        constant("Header", "Counters Values Offset", type, "COUNTERS_VALUES_OFFSET_OFFSET");
        constant("Header", "Data Area Offset", type, "DATA_AREA_OFFSET_OFFSET");
        constant("Header", "Data Area Length", type, "DATA_AREA_LENGTH_OFFSET");
        constant("Header", "Directory Change Count", type, "DIRECTORY_CHANGE_COUNT_OFFSET");
        derived("Header", "Reserved", RegionHeaderDescriptor.DIRECTORY_CHANGE_COUNT_OFFSET + Integer.BYTES,
            "after Directory Change Count");
        constant("Lock bytes", "Init Lock", type, "INIT_LOCK_OFFSET");
        constant("Lock bytes", "Users Lock", type, "USERS_LOCK_OFFSET");
        constant("Lock bytes", "Directory Lock", type, "DIRECTORY_LOCK_OFFSET");
    }

    private void counters()
    {
        final Class<?> type = CountersReader.class;
        derived("Counter value record", "Value", 0, "Agrona: the value starts its record");
        constant("Counter value record", "Registration Id", type, "REGISTRATION_ID_OFFSET");
        constant("Counter value record", "Owner Id", type, "OWNER_ID_OFFSET");
        constant("Counter value record", "Reference Id", type, "REFERENCE_ID_OFFSET");
        derived("Counter metadata record", "Record State", 0, "Agrona: the state starts its record");
        constant("Counter metadata record", "Type Id", type, "TYPE_ID_OFFSET");
        constant("Counter metadata record", "Free For Reuse Deadline", type, "FREE_FOR_REUSE_DEADLINE_OFFSET");
        constant("Counter metadata record", "Key", type, "KEY_OFFSET");
        constant("Counter metadata record", "Label Length", type, "LABEL_OFFSET");
        derived("Counter metadata record", "Label", CountersReader.LABEL_OFFSET + Integer.BYTES,
            "CountersReader.LABEL_OFFSET + 4");
    }

    private void channel()
    {
        final Class<?> entry = DirectoryDescriptor.class;
        constant("Directory entry", "Name Length", entry, "NAME_LENGTH_OFFSET");
        constant("Directory entry", "Kind", entry, "KIND_OFFSET");
        constant("Directory entry", "Name", entry, "NAME_OFFSET");
        constant("Directory entry", "Channel Area Offset", entry, "CHANNEL_OFFSET_OFFSET");
        constant("Directory entry", "Channel Area Length", entry, "CHANNEL_LENGTH_OFFSET");
        constant("Directory entry", "Buffer Offset", entry, "BUFFER_OFFSET_OFFSET");
        constant("Directory entry", "Buffer Length", entry, "BUFFER_LENGTH_OFFSET");
        constant("Directory entry", "Capacity", entry, "CAPACITY_OFFSET");
        constant("Directory entry", "Max Message Length", entry, "MAX_MESSAGE_LENGTH_OFFSET");
        constant("Directory entry", "Endpoint Slots", entry, "ENDPOINT_SLOTS_OFFSET");
        constant("Directory entry", "Endpoint Table Offset", entry, "ENDPOINT_TABLE_OFFSET_OFFSET");
        constant("Directory entry", "Control Block Offset", entry, "CONTROL_OFFSET_OFFSET");
        constant("Directory entry", "Entry State", entry, "ENTRY_STATE_OFFSET");
        constant("Directory entry", "Entry Generation", entry, "ENTRY_GENERATION_OFFSET");

        final Class<?> control = ChannelDescriptor.class;
        constant("Control block", "Publisher Role Lock", control, "PUBLISHER_ROLE_LOCK_OFFSET");
        constant("Control block", "Subscriber Role Lock", control, "SUBSCRIBER_ROLE_LOCK_OFFSET");
        constant("Control block", "Wake-up Sequence", control, "WAKE_SEQUENCE_OFFSET");
        constant("Control block", "Waiter Count", control, "WAITER_COUNT_OFFSET");
        constant("Control block", "Blocking Subscriber Count", control, "BLOCKING_SUBSCRIBERS_OFFSET");
        constant("Control block", "Channel Failure", control, "CHANNEL_FAILURE_OFFSET");
        constant("Control block", "Broadcast Next Sequence", control, "BROADCAST_SEQUENCE_OFFSET");

        final Class<?> slot = EndpointDescriptor.class;
        constant("Endpoint slot", "Endpoint Id", slot, "ENDPOINT_ID_OFFSET");
        constant("Endpoint slot", "Role", slot, "ROLE_OFFSET");
        constant("Endpoint slot", "PID", slot, "PID_OFFSET");
        constant("Endpoint slot", "Process Start Time", slot, "START_TIME_OFFSET");
        constant("Endpoint slot", "Boot Id", slot, "BOOT_ID_OFFSET");
        constant("Endpoint slot", "Heartbeat", slot, "HEARTBEAT_OFFSET");
        constant("Endpoint slot", "Attach Time", slot, "ATTACH_TIME_OFFSET");
        constant("Endpoint slot", "Claim In Progress", slot, "CLAIM_IN_PROGRESS_OFFSET");
        derived("Endpoint slot", "Reserved", EndpointDescriptor.CLAIM_IN_PROGRESS_OFFSET + Integer.BYTES,
            "after Claim In Progress");
        constant("Endpoint slot", "Wait State", slot, "WAIT_STATE_OFFSET");
        constant("Endpoint slot", "Receiver Position", slot, "RECEIVER_POSITION_OFFSET");
        constant("Endpoint slot", "Receiver Lost Messages", slot, "RECEIVER_LOST_OFFSET");
        constant("Endpoint slot", "Log State", slot, "LOG_STATE_OFFSET");
        constant("Endpoint slot", "Lag Window", slot, "LAG_WINDOW_OFFSET");
        constant("Endpoint slot", "Demote After", slot, "DEMOTE_AFTER_OFFSET");
        constant("Endpoint slot", "Delivered Messages", slot, "DELIVERED_MESSAGES_OFFSET");
        derived("Endpoint slot", "Slot Reserved", EndpointDescriptor.DELIVERED_MESSAGES_OFFSET + Long.BYTES,
            "after Delivered Messages");
    }

    private void buffers()
    {
        final Class<?> ring = RingBufferDescriptor.class;
        constant("Ring buffer trailer", "Tail Position", ring, "TAIL_POSITION_OFFSET");
        constant("Ring buffer trailer", "Head Cache Position", ring, "HEAD_CACHE_POSITION_OFFSET");
        constant("Ring buffer trailer", "Head Position", ring, "HEAD_POSITION_OFFSET");
        constant("Ring buffer trailer", "Correlation Counter", ring, "CORRELATION_COUNTER_OFFSET");
        constant("Ring buffer trailer", "Consumer Heartbeat", ring, "CONSUMER_HEARTBEAT_OFFSET");
        derived("Ring record header", "Record Length", RecordDescriptor.lengthOffset(0),
            "RecordDescriptor.lengthOffset(0)");
        derived("Ring record header", "Type Id", RecordDescriptor.typeOffset(0), "RecordDescriptor.typeOffset(0)");
        derived("Ring record header", "Payload", RecordDescriptor.encodedMsgOffset(0),
            "RecordDescriptor.encodedMsgOffset(0)");

        final Class<?> log = LogBufferDescriptor.class;
        constant("Log buffer trailer", "Tail Position", log, "TAIL_POSITION_OFFSET");
        constant("Log buffer trailer", "Next Sequence", log, "NEXT_SEQUENCE_OFFSET");
        constant("Log buffer trailer", "Oldest Position", log, "OLDEST_POSITION_OFFSET");
        constant("Log buffer trailer", "Subscriber Mask", log, "SUBSCRIBER_MASK_OFFSET");
        constant("Log buffer trailer", "Publisher Limit", log, "PUBLISHER_LIMIT_OFFSET");
        constant("Log buffer trailer", "Reserved", log, "RESERVED_OFFSET");
        constant("Log record header", "Record Length", log, "LENGTH_OFFSET");
        constant("Log record header", "Lap And Type", log, "LAP_AND_TYPE_OFFSET");
        constant("Log record header", "Sequence", log, "SEQUENCE_OFFSET");
        constant("Log record header", "Payload", log, "PAYLOAD_OFFSET");

        final Class<?> broadcast = BroadcastBufferDescriptor.class;
        constant("Broadcast buffer trailer", "Tail Intent Counter", broadcast, "TAIL_INTENT_COUNTER_OFFSET");
        constant("Broadcast buffer trailer", "Tail Counter", broadcast, "TAIL_COUNTER_OFFSET");
        constant("Broadcast buffer trailer", "Latest Counter", broadcast, "LATEST_COUNTER_OFFSET");
        final Class<?> record = org.agrona.concurrent.broadcast.RecordDescriptor.class;
        constant("Broadcast record header", "Record Length", record, "LENGTH_OFFSET");
        constant("Broadcast record header", "Type Id", record, "TYPE_OFFSET");
        derived("Broadcast record header", "Payload", org.agrona.concurrent.broadcast.RecordDescriptor.msgOffset(0),
            "broadcast RecordDescriptor.msgOffset(0)");
    }

    private void services()
    {
        final Class<?> type = ServiceDescriptor.class;
        constant("Request record", "Server Id", type, "SERVER_ID_OFFSET");
        constant("Request record", "Correlation Id", type, "CORRELATION_ID_OFFSET");
        constant("Request record", "Client Id", type, "CLIENT_ID_OFFSET");
        constant("Request record", "Request Flags", type, "REQUEST_FLAGS_OFFSET");
        constant("Request record", "Request Payload", type, "REQUEST_HEADER_LENGTH");
        constant("Response record", "Response Correlation Id", type, "RESPONSE_CORRELATION_ID_OFFSET");
        constant("Response record", "Response Flags", type, "RESPONSE_FLAGS_OFFSET");
        constant("Response record", "Response Reserved", type, "RESPONSE_RESERVED_OFFSET");
        constant("Response record", "Response Payload", type, "RESPONSE_HEADER_LENGTH");
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
