package org.spikerl.actor;

import java.util.List;

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
}
