package org.spikerl.env;

/** A Gymnasium {@code Box} space: per-dimension bounds (may be infinite) and a flat shape. */
public record BoxSpace(double[] low, double[] high, int[] shape) {
    public BoxSpace {
        if (low.length != high.length) {
            throw new IllegalArgumentException("box bounds differ in size: " + low.length + " vs " + high.length);
        }
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != low.length) {
            throw new IllegalArgumentException("box shape does not match its bounds");
        }
    }

    public int size() {
        return low.length;
    }
}
