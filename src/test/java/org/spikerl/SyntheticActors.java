package org.spikerl;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;

/** Random actors and observations with fixed seeds, for tests that must not depend on actor files. */
public final class SyntheticActors {
    private SyntheticActors() {
    }

    /**
     * An actor with layer sizes {@code sizes[0] -> sizes[1] -> ... -> sizes[n-1]}, weights and biases
     * uniform in {@code +-1/sqrt(in)} (PyTorch's nn.Linear initialisation), tanh head with scale 1.
     */
    public static Actor random(long seed, int... sizes) {
        Random rng = new Random(seed);
        List<DenseLayer> layers = new ArrayList<>();
        for (int l = 1; l < sizes.length; l++) {
            int in = sizes[l - 1];
            int out = sizes[l];
            float bound = (float) (1.0 / Math.sqrt(in));
            float[] w = new float[in * out];
            float[] b = new float[out];
            for (int i = 0; i < w.length; i++) {
                w[i] = (rng.nextFloat() * 2 - 1) * bound;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (rng.nextFloat() * 2 - 1) * bound;
            }
            layers.add(new DenseLayer(in, out, w, b));
        }
        int act = sizes[sizes.length - 1];
        double[] low = new double[act];
        double[] high = new double[act];
        java.util.Arrays.fill(low, -1);
        java.util.Arrays.fill(high, 1);
        return new Actor(layers, null, ActionHead.Tanh.fromBounds(low, high), "synthetic seed " + seed);
    }

    /** {@code n} observations with standard normal entries. */
    public static double[][] observations(long seed, int n, int size) {
        Random rng = new Random(seed);
        double[][] obs = new double[n][size];
        for (double[] o : obs) {
            for (int i = 0; i < size; i++) {
                o[i] = rng.nextGaussian();
            }
        }
        return obs;
    }

    /** A dense layer from row-major {@code [out][in]} values. */
    public static DenseLayer layer(float[][] w, float[] b) {
        int out = w.length;
        int in = w[0].length;
        float[] flat = new float[out * in];
        for (int o = 0; o < out; o++) {
            System.arraycopy(w[o], 0, flat, o * in, in);
        }
        return new DenseLayer(in, out, flat, b);
    }

    /** An identity-like clip head wide enough that {@code action = y} for the small values tests use. */
    public static ActionHead wideClip(int n) {
        double[] low = new double[n];
        double[] high = new double[n];
        java.util.Arrays.fill(low, -1e6);
        java.util.Arrays.fill(high, 1e6);
        return new ActionHead.Clip(low, high);
    }
}
