package org.spikerl.actor;

import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.env.EnvSpec;

/**
 * A deterministic actor network as SPEC section 2 defines it: optional observation normalisation,
 * dense layers with ReLU after every layer but the last, and an action head.
 *
 * @param layers dense layers 1..L in order; layer L is the output layer
 * @param norm observation normalisation, or {@code null} for identity
 * @param head action head applied to the output layer
 * @param source where the actor came from (file path and format), for provenance
 */
public record Actor(List<DenseLayer> layers, ObservationNorm norm, ActionHead head, String source) {
    public Actor {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("actor has no layers");
        }
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).in() != layers.get(l - 1).out()) {
                throw new IllegalArgumentException("layer " + (l + 1) + " takes " + layers.get(l).in()
                        + " inputs but layer " + l + " gives " + layers.get(l - 1).out());
            }
        }
        if (norm != null && norm.size() != layers.get(0).in()) {
            throw new IllegalArgumentException("observation norm has " + norm.size()
                    + " entries but the first layer takes " + layers.get(0).in());
        }
        if (head.size() != layers.get(layers.size() - 1).out()) {
            throw new IllegalArgumentException("action head has " + head.size()
                    + " entries but the output layer gives " + layers.get(layers.size() - 1).out());
        }
    }

    public int observationSize() {
        return layers.get(0).in();
    }

    public int actionSize() {
        return layers.get(layers.size() - 1).out();
    }

    /** MACs of one ANN forward pass: sum over layers of in * out (SPEC section 7). */
    public long macs() {
        long m = 0;
        for (DenseLayer d : layers) {
            m += d.macs();
        }
        return m;
    }

    /** Number of hidden (ReLU / IF) neurons: outputs of layers 1..L-1. */
    public int hiddenNeurons() {
        int n = 0;
        for (int l = 0; l < layers.size() - 1; l++) {
            n += layers.get(l).out();
        }
        return n;
    }

    /**
     * Checks that this actor can drive {@code env} ({@link EnvFit}, the one check the importers
     * use too): observation and action sizes match, and the head's action range equals the env's
     * finite action bounds (a tanh head spans {@code [bias - scale, bias + scale]}, a clip head
     * {@code [low, high]}).
     *
     * @throws SpikerlException starting with the actor's source, naming the env and both sizes or ranges
     */
    public void checkFits(EnvSpec env) {
        EnvFit.checkSizes(source, observationSize(), actionSize(), env);
        double[] low = new double[actionSize()];
        double[] high = new double[actionSize()];
        if (head instanceof ActionHead.Tanh t) {
            for (int i = 0; i < low.length; i++) {
                low[i] = t.bias()[i] - t.scale()[i];
                high[i] = t.bias()[i] + t.scale()[i];
            }
        } else if (head instanceof ActionHead.Clip c) {
            System.arraycopy(c.low(), 0, low, 0, low.length);
            System.arraycopy(c.high(), 0, high, 0, high.length);
        }
        EnvFit.checkRange(source, low, high, env);
    }
}
