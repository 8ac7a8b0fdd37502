package org.spikerl.bridge;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian packing of bridge messages into caller-owned byte arrays, allocation-free:
 * float64 ({@code <f8}), int64 ({@code <i8}) and one byte per flag, as numpy reads and writes them
 * on the Python side.
 */
final class Packing {
    static final int F64 = 8;
    static final int I64 = 8;

    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Packing() {
    }

    static void putDoubles(double[] src, int srcPos, byte[] dst, int dstPos, int n) {
        for (int i = 0; i < n; i++) {
            DOUBLE.set(dst, dstPos + i * F64, src[srcPos + i]);
        }
    }

    static void getDoubles(byte[] src, int srcPos, double[] dst, int dstPos, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstPos + i] = (double) DOUBLE.get(src, srcPos + i * F64);
        }
    }

    static double getDouble(byte[] src, int pos) {
        return (double) DOUBLE.get(src, pos);
    }

    static void putLong(byte[] dst, int pos, long value) {
        LONG.set(dst, pos, value);
    }

    static long getLong(byte[] src, int pos) {
        return (long) LONG.get(src, pos);
    }

    /** Flag byte as Python writes it: 0 is false, anything else true. */
    static boolean getFlag(byte[] src, int pos) {
        return src[pos] != 0;
    }
}
