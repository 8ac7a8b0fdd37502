package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MessagePlanTest {

    @Test
    void base64LengthIsFourCharactersPerStartedTriple() {
        assertEquals(0, MessagePlan.base64Length(0));
        assertEquals(4, MessagePlan.base64Length(1));
        assertEquals(4, MessagePlan.base64Length(3));
        assertEquals(8, MessagePlan.base64Length(4));
        assertEquals(1308, MessagePlan.base64Length(980));
    }

    @Test
    void hopperFitsSixtySlotsPerMessage() {
        // Hopper: obs 11, act 3. The step reply is the largest message: 11*8 + 8 + 2 = 98 bytes a slot.
        // 60 slots: 5880 bytes -> 7840 base64 chars + 256 overhead = 8096 <= 8192.
        // 61 slots: 5978 bytes -> 7972 + 256 = 8228 > 8192.
        assertEquals(8096, MessagePlan.largestMessage(60, 11, 3));
        assertEquals(8228, MessagePlan.largestMessage(61, 11, 3));
        assertEquals(60, MessagePlan.slotsPerMessage(11, 3));
    }

    @Test
    void smallBatchIsOneMessage() {
        MessagePlan plan = MessagePlan.of(10, 11, 3);
        assertArrayEquals(new int[] {0}, plan.starts());
        assertArrayEquals(new int[] {10}, plan.counts());
    }

    @Test
    void largeBatchSplitsIntoConsecutiveRangesWithinTheLimit() {
        MessagePlan plan = MessagePlan.of(130, 11, 3);
        assertArrayEquals(new int[] {0, 60, 120}, plan.starts());
        assertArrayEquals(new int[] {60, 60, 10}, plan.counts());
        for (int count : plan.counts()) {
            assertTrue(MessagePlan.largestMessage(count, 11, 3) <= MessagePlan.MESSAGE_LIMIT);
        }
    }

    @Test
    void hugeObservationStillGetsOneSlotPerMessage() {
        // 2000 float64 values are 16000 bytes on their own: over the limit, but a slot cannot split.
        MessagePlan plan = MessagePlan.of(3, 2000, 17);
        assertArrayEquals(new int[] {0, 1, 2}, plan.starts());
        assertArrayEquals(new int[] {1, 1, 1}, plan.counts());
    }

    @Test
    void largeActionsCanBeTheLimitingMessage() {
        // obs 1, act 300: step request mask b64(c) + actions b64(2400c) outgrows the reply (18c bytes).
        // 2 slots: 4 + 6400 + 256 = 6660; 3 slots: 4 + 9600 + 256 > 8192.
        assertEquals(6660, MessagePlan.largestMessage(2, 1, 300));
        assertEquals(2, MessagePlan.slotsPerMessage(1, 300));
    }
}
