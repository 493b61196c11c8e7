package io.shmipc.layout;

/**
 * Where one channel lives in a region: a directory entry, planned at create or read and validated at attach.
 *
 * @param index               position in the directory.
 * @param name                the channel name.
 * @param kind                a {@link DirectoryDescriptor} kind code.
 * @param channelOffset       start of the channel area in the region.
 * @param channelLength       length of the channel area.
 * @param controlOffset       start of the control block in the region.
 * @param endpointTableOffset start of the endpoint table in the region.
 * @param endpointSlots       slots in the endpoint table.
 * @param bufferOffset        start of the Agrona buffer in the region.
 * @param bufferLength        capacity plus trailer.
 * @param capacity            power-of-two data capacity.
 * @param maxMessageLength    longest payload accepted.
 */
public record ChannelLayout(
    int index,
    String name,
    int kind,
    long channelOffset,
    long channelLength,
    long controlOffset,
    long endpointTableOffset,
    int endpointSlots,
    long bufferOffset,
    int bufferLength,
    int capacity,
    int maxMessageLength)
{
    /**
     * The file offset of an endpoint slot, which is also its lock byte.
     *
     * @param slot slot index.
     * @return absolute offset in the region.
     */
    public long slotOffset(final int slot)
    {
        return endpointTableOffset + (long)slot * EndpointDescriptor.SLOT_LENGTH;
    }
}
