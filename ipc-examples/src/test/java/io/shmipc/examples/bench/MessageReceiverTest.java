package io.shmipc.examples.bench;

import io.shmipc.toolkit.SequencedMessage;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageReceiverTest
{
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[SequencedMessage.HEADER_LENGTH]);

    @Test
    void countsEveryProducerUntilAllEnd()
    {
        final MessageReceiver receiver = new MessageReceiver(2);
        deliver(receiver, 0, 0, SequencedMessage.PHASE_WARMUP, 0);
        deliver(receiver, 1, 0, SequencedMessage.PHASE_WARMUP, 0);
        deliver(receiver, 0, 1, SequencedMessage.PHASE_MEASURE, 0);
        deliver(receiver, 0, 2, SequencedMessage.PHASE_MEASURE, System.nanoTime());
        end(receiver, 0, 3, 3);
        assertFalse(receiver.isDone());
        end(receiver, 1, 1, 1);
        assertTrue(receiver.isDone());

        final Map<String, String> result = receiver.result();
        assertEquals("4", result.get(Keys.SENT));
        assertEquals("4", result.get(Keys.RECEIVED));
        assertEquals("0", result.get(Keys.LOST));
        assertEquals("0", result.get(Keys.DISORDERED));
        assertEquals("2", result.get(Keys.MEASURED_RECEIVED));
        assertEquals(1, HistogramCodec.decode(result.get(Keys.HISTOGRAM)).getTotalCount());
    }

    @Test
    void countsGapsAsLostAndStepsBackAsDisordered()
    {
        final MessageReceiver receiver = new MessageReceiver(1);
        deliver(receiver, 0, 0, SequencedMessage.PHASE_MEASURE, 0);
        deliver(receiver, 0, 3, SequencedMessage.PHASE_MEASURE, 0);
        deliver(receiver, 0, 2, SequencedMessage.PHASE_MEASURE, 0);
        end(receiver, 0, 6, 6);

        final Map<String, String> result = receiver.result();
        assertEquals("2", result.get(Keys.RECEIVED));
        assertEquals("4", result.get(Keys.LOST), "1, 2 then 4, 5");
        assertEquals("1", result.get(Keys.DISORDERED));
    }

    @Test
    void anEndCopySeenLateCountsTheCopiesSkipped()
    {
        final MessageReceiver receiver = new MessageReceiver(1);
        deliver(receiver, 0, 0, SequencedMessage.PHASE_MEASURE, 0);
        end(receiver, 0, 1 + 3, 1);
        end(receiver, 0, 1 + 4, 1);

        final Map<String, String> result = receiver.result();
        assertEquals("1", result.get(Keys.SENT));
        assertEquals("0", result.get(Keys.LOST));
        assertEquals("3", result.get(Keys.SKIPPED_ENDS));
    }

    @Test
    void acknowledgesEveryBurst()
    {
        final List<Long> acknowledged = new ArrayList<>();
        final MessageReceiver receiver = new MessageReceiver(1, 4, acknowledged::add);
        for (int sequence = 0; sequence < 10; sequence++)
        {
            deliver(receiver, 0, sequence, SequencedMessage.PHASE_MEASURE, 0);
        }
        assertEquals(List.of(4L, 8L), acknowledged);
    }

    @Test
    void trackerWaitsForTheSlowestReceiver()
    {
        final FlowControl.Tracker tracker = new FlowControl.Tracker(2);
        final UnsafeBuffer ack = new UnsafeBuffer(new byte[FlowControl.ACK_LENGTH]);
        FlowControl.writeAck(ack, 8, 0);
        tracker.onAck(ack, 0);
        assertEquals(0, tracker.minimum());
        FlowControl.writeAck(ack, 4, 1);
        tracker.onAck(ack, 0);
        assertEquals(4, tracker.minimum());
    }

    private void deliver(final MessageReceiver receiver, final int producer, final long sequence, final int phase,
        final long sendTime)
    {
        SequencedMessage.write(message, 0, sequence, producer, phase, sendTime);
        receiver.onMessage(message, 0);
    }

    private void end(final MessageReceiver receiver, final int producer, final long sequence, final long sent)
    {
        SequencedMessage.write(message, 0, sequence, producer, SequencedMessage.PHASE_END, sent);
        receiver.onMessage(message, 0);
    }
}
