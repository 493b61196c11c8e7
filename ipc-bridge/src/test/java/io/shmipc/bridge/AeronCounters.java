package io.shmipc.bridge;

import io.aeron.CncFileDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A media driver's counters, read from its {@code cnc.dat} as Aeron's {@code AeronStat} reads them.
 */
final class AeronCounters
{
    private AeronCounters()
    {
    }

    /**
     * Every counter's label and value now.
     *
     * @param aeronDirectory the driver's directory.
     * @return label to value, in counter id order.
     */
    static Map<String, Long> read(final String aeronDirectory)
    {
        final MappedByteBuffer cnc = IoUtil.mapExistingFile(new File(aeronDirectory, CncFileDescriptor.CNC_FILE),
            "cnc");
        try
        {
            final DirectBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
            final CountersReader reader = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(cnc, metaData),
                CncFileDescriptor.createCountersValuesBuffer(cnc, metaData));
            final Map<String, Long> counters = new LinkedHashMap<>();
            reader.forEach((counterId, label) -> counters.put(label, reader.getCounterValue(counterId)));
            return counters;
        }
        finally
        {
            IoUtil.unmap(cnc);
        }
    }
}
