package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PackingTest {

    @Test
    void doublesAreLittleEndianIeee754() {
        // 1.0 = 0x3FF0000000000000, -2.5 = 0xC004000000000000: least significant byte first.
        byte[] out = new byte[16];
        Packing.putDoubles(new double[] {9.0, 1.0, -2.5}, 1, out, 0, 2);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0x04, (byte) 0xC0}, out);
    }

    @Test
    void doublesRoundTripAtOffsets() {
        double[] values = {Math.PI, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NEGATIVE_INFINITY};
        byte[] bytes = new byte[3 + values.length * 8];
        Packing.putDoubles(values, 0, bytes, 3, values.length);
        double[] back = new double[values.length + 2];
        Packing.getDoubles(bytes, 3, back, 2, values.length);
        for (int i = 0; i < values.length; i++) {
            assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back[i + 2]));
        }
        assertEquals(0.0, back[0]);
        assertEquals(Math.PI, Packing.getDouble(bytes, 3));
    }

    @Test
    void longsAreLittleEndianTwosComplement() {
        byte[] out = new byte[16];
        Packing.putLong(out, 0, 258);
        Packing.putLong(out, 8, -2);
        assertArrayEquals(new byte[] {2, 1, 0, 0, 0, 0, 0, 0, (byte) 0xFE, -1, -1, -1, -1, -1, -1, -1}, out);
        assertEquals(258, Packing.getLong(out, 0));
        assertEquals(-2, Packing.getLong(out, 8));
    }

    @Test
    void anyNonZeroFlagByteIsTrue() {
        byte[] flags = {0, 1, (byte) 0xFF};
        assertFalse(Packing.getFlag(flags, 0));
        assertTrue(Packing.getFlag(flags, 1));
        assertTrue(Packing.getFlag(flags, 2));
    }
}
