package org.spikerl.convert;

import java.util.Locale;
import org.spikerl.SpikerlException;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;

/**
 * Bias calibration of the spiking layers (SPEC 10; [Cal] Li et al., ICML 2021, "A Free Lunch From
 * ANN", light mode): after thresholds are set, replay the recorded calibration states through the
 * spiking network exactly as at run time (same T, delay, alpha: the cross-step residual carries
 * from one state to the next, as it does along the closed-loop trajectory the states were recorded
 * on) and, for hidden layers {@code l = 1..L-1} in order, with the layers below already calibrated,
 * <pre>
 *   b_(l,j) -= mean over the N states of [ rate_(l,j) - ReLU(z_(l,j)) ],   rate = (sum_t x_(l,j)(t)) / T
 * </pre>
 * {@code z} is the ANN's pre-activation on the same state. Calibrating layer {@code l} runs
 * layers {@code 1..l} only ({@link SnnController#hiddenOnInput}): a layer does not depend on those
 * above it. The mean is computed in double and the correction applied to the float32 bias once
 * per layer. The calibrated biases are part of the converted controller; the ANN's are untouched.
 *
 * <p>Choices SPEC leaves open: N is the first {@link #SAMPLES} states of the set (all of them if it
 * is smaller; [Cal] calibrates on 1024 training images), which keeps a calibration at about a
 * third of a second for a 256-256 actor at T = 8, so that the tuner can afford it; the target is the ANN's unclipped {@code ReLU(z)} (SPEC's formula),
 * so a neuron whose threshold clips its top activations gets a bias that compensates the clipped
 * mass on average; the replay starts with zero residual ({@code reset()}) once, at the first state
 * (the set concatenates whole episodes, so at most a handful of episode boundaries are replayed with
 * a residual carried over). The potential variant ({@code v0} instead of {@code b}) is not implemented.
 */
public enum BiasCalibration {
    /** No calibration: the ANN's biases. */
    NONE,
    /** Light-mode bias calibration of every hidden layer, in order. */
    BIAS;

    /** Calibration states used: the first 2000 of the set. */
    public static final int SAMPLES = 2000;

    /** The CLI name: {@code none} or {@code bias}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none} or {@code bias}. */
    public static BiasCalibration parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "none" -> NONE;
            case "bias" -> BIAS;
            default -> throw new SpikerlException("calibration \"" + text + "\": expected none or bias");
        };
    }

    /** The network with its hidden biases calibrated on {@code set} (or {@code net} itself for {@link #NONE}). */
    public SpikingActor apply(SpikingActor net, CalibrationSet set) {
        if (this == NONE) {
            return net;
        }
        int hidden = net.hiddenLayers();
        float[][] biases = new float[hidden][];
        for (int l = 0; l < hidden; l++) {
            biases[l] = net.biases(l);
        }
        int in = net.actor().observationSize();
        float[] inputs = set.inputs();
        SpikingActor current = net;
        for (int l = 0; l < hidden; l++) {
            SnnController c = new SnnController(current);
            c.reset();
            int out = set.neurons(l);
            float[] z = set.preActivations(l);
            float[] emitted = new float[out];
            double[] err = new double[out];
            double t = current.timesteps();
            int samples = Math.min(set.size(), SAMPLES);
            for (int k = 0; k < samples; k++) {
                c.hiddenOnInput(inputs, k * in, l + 1);
                c.layer(l).emitted(emitted);
                int base = k * out;
                for (int j = 0; j < out; j++) {
                    float a = z[base + j];
                    err[j] += emitted[j] / t - (a > 0f ? a : 0f);
                }
            }
            for (int j = 0; j < out; j++) {
                biases[l][j] = biases[l][j] - (float) (err[j] / samples);
            }
            current = new SpikingActor(net.actor(), net.neuron(), thresholds(net), biases, net.timesteps(),
                    net.delay(), net.alpha(), net.v0Fraction());
        }
        return current;
    }

    private static float[][] thresholds(SpikingActor net) {
        float[][] t = new float[net.hiddenLayers()][];
        for (int l = 0; l < t.length; l++) {
            t[l] = net.thresholds(l);
        }
        return t;
    }
}
