package io.shmipc;

import io.shmipc.layout.ChannelDescriptor;
import io.shmipc.layout.ChannelLayout;
import io.shmipc.layout.CountersDescriptor;
import io.shmipc.layout.DirectoryDescriptor;
import io.shmipc.layout.EndpointDescriptor;
import io.shmipc.layout.LogBufferDescriptor;
import io.shmipc.layout.RegionHeaderDescriptor;
import io.shmipc.layout.RegionLayout;
import io.shmipc.layout.ServiceDescriptor;
import io.shmipc.log.SubscriberGate;
import io.shmipc.posix.PosixPlatform;
import io.shmipc.wait.Futex;
import io.shmipc.wait.FutexWaitv;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/layout.md is what programs in other languages are written from: every offset in its diagrams and tables,
 * every constant it lists and its worked example must be what the code uses, and every constant of the layout
 * descriptors must be on it. A change to either side alone fails here.
 */
class LayoutDocumentTest
{
    /** Classes whose constants the document may name, by the simple name it uses. */
    private static final Map<String, Class<?>> CLASSES = classes(RegionHeaderDescriptor.class,
        DirectoryDescriptor.class, ChannelDescriptor.class, EndpointDescriptor.class, CountersDescriptor.class,
        CountersReader.class, RingBufferDescriptor.class, BroadcastBufferDescriptor.class, RecordDescriptor.class,
        RingBuffer.class, ChannelKind.class, BatchingPublisher.class, Futex.class, PosixPlatform.class,
        FutexWaitv.class, ServiceDescriptor.class, LogBufferDescriptor.class, SubscriberGate.class);

    /** Classes every public constant of which the document must give. */
    private static final List<Class<?>> DOCUMENTED = List.of(RegionHeaderDescriptor.class, DirectoryDescriptor.class,
        ChannelDescriptor.class, EndpointDescriptor.class, CountersDescriptor.class, BatchingPublisher.class,
        ServiceDescriptor.class, LogBufferDescriptor.class);

    private final LayoutDocument document = LayoutDocument.parse(LayoutDocument.locate());

    @Test
    void documentParses()
    {
        assertEquals(List.of(), document.problems());
        assertTrue(document.offsets().size() > 70, "offsets found: " + document.offsets().keySet());
        assertTrue(document.constants().size() > 50, "constants found: " + document.constants().keySet());
    }

    @Test
    void everyVersionTheDocumentStatesIsTheCodes()
    {
        final String code = RegionHeaderDescriptor.MAJOR_VERSION + "." + RegionHeaderDescriptor.MINOR_VERSION;
        assertEquals(List.of(code, code, code), document.versions(),
            "the title and the header's Version item of docs/layout.md (major.minor)");
    }

    @Test
    void everyOffsetInTheDocumentIsTheCodes()
    {
        final Map<String, Expected> expected = LayoutOffsets.expected();
        final List<String> wrong = new ArrayList<>();
        document.offsets().forEach((field, offset) ->
        {
            final Expected code = expected.get(field);
            if (code == null)
            {
                wrong.add(field + " = " + offset + ": a field the code does not define (add it to LayoutOffsets)");
            }
            else if (code.value() != offset)
            {
                wrong.add(field + " = " + offset + " but the code says " + code.value() + " (" + code.source() + ")");
            }
        });
        expected.forEach((field, code) ->
        {
            if (!document.offsets().containsKey(field))
            {
                wrong.add(field + " (" + code.source() + " = " + code.value() + ") is missing from the document");
            }
        });
        if (!wrong.isEmpty())
        {
            fail("docs/layout.md and the code disagree:\n  " + String.join("\n  ", wrong));
        }
    }

    @Test
    void everyConstantInTheDocumentIsTheCodes()
    {
        final List<String> wrong = new ArrayList<>();
        document.constants().forEach((name, written) ->
        {
            final long value;
            try
            {
                value = constant(name);
            }
            catch (final IllegalArgumentException ex)
            {
                wrong.add(name + ": " + ex.getMessage());
                return;
            }
            final Long documented = parseNumber(written);
            if (documented == null || documented != value)
            {
                wrong.add(name + " = " + written + " but the code says " + value + " (0x" + Long.toHexString(value) +
                    ")");
            }
        });
        if (!wrong.isEmpty())
        {
            fail("docs/layout.md and the code disagree:\n  " + String.join("\n  ", wrong));
        }
    }

    @Test
    void everyDescriptorConstantIsDocumented()
    {
        final Set<String> documented = new TreeSet<>(document.constants().keySet());
        LayoutOffsets.expected().values().forEach(code -> documented.add(code.source()));
        final Set<String> missing = new TreeSet<>();
        for (final Class<?> type : DOCUMENTED)
        {
            for (final Field field : type.getDeclaredFields())
            {
                final int modifiers = field.getModifiers();
                final boolean constant = Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) &&
                    Modifier.isFinal(modifiers) && (field.getType() == int.class || field.getType() == long.class);
                final String name = type.getSimpleName() + "." + field.getName();
                if (constant && !documented.contains(name))
                {
                    missing.add(name);
                }
            }
        }
        for (final ChannelKind kind : ChannelKind.values())
        {
            if (!documented.contains("ChannelKind." + kind.name()))
            {
                missing.add("ChannelKind." + kind.name());
            }
        }
        assertEquals(Set.of(), missing, "constants of the layout missing from docs/layout.md");
    }

    @Test
    void workedExampleIsThePlanOfTheCode()
    {
        final RegionLayout layout = RegionLayout.plan("worked-example", List.of(
            new ChannelSpec("orders", ChannelKind.MANY_TO_ONE, 65536, 0),
            new ChannelSpec("ticks", ChannelKind.BROADCAST, 4096, 0),
            new ChannelSpec("replies", ChannelKind.ONE_TO_ONE, 1024, 100),
            new ChannelSpec("journal", ChannelKind.PUBLISH_SUBSCRIBE, 8192, 0)), 4, 262144);
        final int entries = layout.directoryCapacity();
        final Map<String, Long> code = new LinkedHashMap<>();
        code.put("Directory Capacity", (long)entries);
        code.put("Counters Metadata Offset", layout.countersMetadataOffset());
        code.put("Counters Metadata Length", (long)CountersDescriptor.metadataLength(entries));
        code.put("Counters Values Offset", layout.countersValuesOffset());
        code.put("Counters Values Length", (long)CountersDescriptor.valuesLength(entries));
        code.put("Data Area Offset", layout.dataAreaOffset());
        code.put("Data Area Length", layout.dataAreaLength());
        for (final ChannelLayout channel : layout.channels())
        {
            code.put(channel.name() + " Channel Area Offset", channel.channelOffset());
            code.put(channel.name() + " Channel Area Length", channel.channelLength());
            code.put(channel.name() + " Endpoint Table Offset", channel.endpointTableOffset());
            code.put(channel.name() + " Buffer Offset", channel.bufferOffset());
            code.put(channel.name() + " Buffer Length", (long)channel.bufferLength());
            code.put(channel.name() + " Max Message Length", (long)channel.maxMessageLength());
        }
        code.put("Region Length", layout.regionLength());

        final Map<String, Long> written = new LinkedHashMap<>();
        document.example().forEach((item, value) -> written.put(item, parseNumber(value)));
        assertEquals(code, written, "the worked example of docs/layout.md");
    }

    private static long constant(final String qualifiedName)
    {
        final int dot = qualifiedName.lastIndexOf('.');
        final Class<?> type = dot < 0 ? null : CLASSES.get(qualifiedName.substring(0, dot));
        if (type == null)
        {
            throw new IllegalArgumentException("not a constant of " + CLASSES.keySet());
        }
        try
        {
            final Field field = type.getDeclaredField(qualifiedName.substring(dot + 1));
            if (field.isEnumConstant() && field.get(null) instanceof ChannelKind kind)
            {
                return kind.code(); // the code written in the directory
            }
            if (!Modifier.isStatic(field.getModifiers()))
            {
                throw new IllegalArgumentException("not static");
            }
            return ((Number)field.get(null)).longValue();
        }
        catch (final NoSuchFieldException | IllegalAccessException ex)
        {
            throw new IllegalArgumentException("no readable constant of that name: " + ex);
        }
    }

    private static Long parseNumber(final String text)
    {
        try
        {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            return null;
        }
    }

    private static Map<String, Class<?>> classes(final Class<?>... types)
    {
        final Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (final Class<?> type : types)
        {
            byName.put(type.getSimpleName(), type);
        }
        return byName;
    }

    /**
     * An offset the code defines: its value and where it comes from, a constant's name or a derivation.
     */
    record Expected(long value, String source)
    {
    }
}
