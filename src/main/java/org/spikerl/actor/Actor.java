package org.spikerl.actor;

import java.util.Arrays;
import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.env.BoxSpace;
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
     * Checks that this actor can drive {@code env}: observation and action sizes match, and the
     * head's action range equals the env's finite action bounds (a tanh head spans
     * {@code [bias - scale, bias + scale]}, a clip head {@code [low, high]}; relative tolerance
     * 1e-6, as SB3 stores bounds in float32).
     *
     * @throws SpikerlException naming the actor, the env and both sizes or ranges
     */
    public void checkFits(EnvSpec env) {
        int envObs = env.observationSpace().size();
        int envAct = env.actionSpace().size();
        if (observationSize() != envObs) {
            throw new SpikerlException("actor " + source + " takes " + observationSize() + " observations but "
                    + env.id() + " gives " + envObs);
        }
        if (actionSize() != envAct) {
            throw new SpikerlException("actor " + source + " outputs " + actionSize() + " actions but "
                    + env.id() + " takes " + envAct);
        }
        double[] low = new double[envAct];
        double[] high = new double[envAct];
        if (head instanceof ActionHead.Tanh t) {
            for (int i = 0; i < envAct; i++) {
                low[i] = t.bias()[i] - t.scale()[i];
                high[i] = t.bias()[i] + t.scale()[i];
            }
        } else if (head instanceof ActionHead.Clip c) {
            System.arraycopy(c.low(), 0, low, 0, envAct);
            System.arraycopy(c.high(), 0, high, 0, envAct);
        }
        BoxSpace box = env.actionSpace();
        for (int i = 0; i < envAct; i++) {
            if (!sameBound(low[i], box.low()[i]) || !sameBound(high[i], box.high()[i])) {
                throw new SpikerlException("actor " + source + " maps to actions in low " + Arrays.toString(low)
                        + " high " + Arrays.toString(high) + " but " + env.id() + " has low "
                        + Arrays.toString(box.low()) + " high " + Arrays.toString(box.high()));
            }
        }
    }

    private static boolean sameBound(double actor, double env) {
        if (Double.isInfinite(env) || actor == env) {
            return true; // an unbounded env accepts any range
        }
        return Math.abs(actor - env) <= 1e-6 * Math.max(1.0, Math.abs(env));
    }
}
