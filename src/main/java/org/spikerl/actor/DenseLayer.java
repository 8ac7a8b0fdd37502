package org.spikerl.actor;

import java.util.Objects;

/**
 * One dense layer {@code z = W x + b} of an actor, with PyTorch's layout: {@code weight} is
 * row-major {@code [out][in]} (as {@code nn.Linear.weight}), {@code bias} has {@code out} entries.
 * Immutable by convention: the arrays are never written after construction.
 */
public record DenseLayer(int in, int out, float[] weight, float[] bias) {
    public DenseLayer {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("layer dimensions must be positive, got " + out + "x" + in);
        }
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(bias, "bias");
        if (weight.length != (long) in * out) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, expected " + out + "x" + in);
        }
        if (bias.length != out) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, expected " + out);
        }
    }

    /** {@code W[o][i]}. */
    public float w(int o, int i) {
        return weight[o * in + i];
    }

    /** Multiply-accumulates of one dense evaluation: {@code in * out} (SPEC section 7). */
    public long macs() {
        return (long) in * out;
    }
}
