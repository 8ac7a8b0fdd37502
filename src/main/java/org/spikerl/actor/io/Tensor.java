package org.spikerl.actor.io;

import java.util.Arrays;

/**
 * A named tensor read from an actor file, converted to float32 when its type is floating-point.
 *
 * @param name key in the file, e.g. {@code l1.weight}
 * @param dtype stored element type in PyTorch's spelling ({@code float32}, {@code float64}, {@code int64}, ...)
 * @param shape dimensions, outermost first
 * @param data row-major values as float32, or {@code null} when {@code dtype} is not floating-point
 */
public record Tensor(String name, String dtype, int[] shape, float[] data) {

    public int rank() {
        return shape.length;
    }

    public boolean isFloat() {
        return data != null;
    }

    /** {@code name [d0, d1] dtype}, for messages listing what a file holds. */
    public String describe() {
        return name + " " + Arrays.toString(shape) + (dtype.equals("float32") ? "" : " " + dtype);
    }

    /** Number of elements of {@code shape}, or -1 on overflow of int or a negative dimension. */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return n;
    }

    static int[] toInts(long[] shape) {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) shape[i];
        }
        return s;
    }
}
