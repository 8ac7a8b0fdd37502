package org.spikerl.convert;

import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;

/**
 * First conversion stage: the ANN's activations on a set of observations (SPEC section 4; the
 * integrator feeds closed-loop states, default 10,000 control steps). Stores, flat and
 * sample-major, the normalised float32 input {@code h_0} and every hidden layer's pre-activation
 * {@code z_l} ({@code z[l][k * out_l + j]} for sample {@code k}, neuron {@code j}), plus the packed
 * weights so that LTB can re-propagate clipped activations layer by layer. 10,000 samples of a
 * 256-256 actor take about 20 MB.
 */
public final class CalibrationSet {
    private final Actor actor;
    private final int size;
    private final float[] inputs;
    private final float[][] preActivations;
    private final float[][][] packedWeights;

    private CalibrationSet(Actor actor, int size, float[] inputs, float[][] preActivations) {
        this.actor = actor;
        this.size = size;
        this.inputs = inputs;
        this.preActivations = preActivations;
        this.packedWeights = Forward.pack(actor);
    }

    /** Runs the ANN forward pass on every observation and keeps what conversion needs. */
    public static CalibrationSet observe(Actor actor, List<double[]> observations) {
        return observe(actor, observations.toArray(new double[0][]));
    }

    /** Runs the ANN forward pass on every observation and keeps what conversion needs. */
    public static CalibrationSet observe(Actor actor, double[][] observations) {
        int n = observations.length;
        if (n == 0) {
            throw new SpikerlException("calibration set: no observations given, expected at least 1");
        }
        int hidden = actor.layers().size() - 1;
        int in = actor.observationSize();
        float[] inputs = new float[n * in];
        float[][] z = new float[hidden][];
        for (int l = 0; l < hidden; l++) {
            z[l] = new float[Math.multiplyExact(n, actor.layers().get(l).out())];
        }
        Forward forward = new Forward(actor);
        for (int k = 0; k < n; k++) {
            double[] o = observations[k];
            if (o == null || o.length != in) {
                throw new SpikerlException("calibration observation " + k + " has "
                        + (o == null ? "no" : String.valueOf(o.length)) + " values, expected " + in);
            }
            for (int i = 0; i < in; i++) {
                if (!Double.isFinite(o[i])) {
                    throw new SpikerlException("calibration observation " + k + " entry " + i
                            + " is " + o[i] + ", expected a finite number");
                }
            }
            forward.run(o);
            System.arraycopy(forward.input(), 0, inputs, k * in, in);
            for (int l = 0; l < hidden; l++) {
                int out = z[l].length / n;
                System.arraycopy(forward.preActivation(l), 0, z[l], k * out, out);
            }
        }
        return new CalibrationSet(actor, n, inputs, z);
    }

    public Actor actor() {
        return actor;
    }

    /** Number of observations. */
    public int size() {
        return size;
    }

    /** Number of hidden layers, {@code L - 1}. */
    public int hiddenLayers() {
        return preActivations.length;
    }

    /** Neurons of hidden layer {@code l} (0-based). */
    public int neurons(int l) {
        return actor.layers().get(l).out();
    }

    /** Flat normalised inputs {@code h_0}, {@code [size * in]}; do not modify. */
    public float[] inputs() {
        return inputs;
    }

    /** Flat ANN pre-activations {@code z_l} of hidden layer {@code l}, {@code [size * out_l]}; do not modify. */
    public float[] preActivations(int l) {
        return preActivations[l];
    }

    /** Input-major weights of layer {@code l} ({@code wt[i * out + o] = W[o][i]}); do not modify. */
    float[][] packedWeights(int l) {
        return packedWeights[l];
    }

    /** {@code mean over the set of ReLU(z_l,j)} per neuron of hidden layer {@code l}, in double. */
    public double[] meanRelu(int l) {
        int out = neurons(l);
        float[] z = preActivations[l];
        double[] mean = new double[out];
        for (int k = 0; k < size; k++) {
            int base = k * out;
            for (int j = 0; j < out; j++) {
                float v = z[base + j];
                if (v > 0f) {
                    mean[j] += v;
                }
            }
        }
        for (int j = 0; j < out; j++) {
            mean[j] /= size;
        }
        return mean;
    }
}
