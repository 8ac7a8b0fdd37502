package org.spikerl.actor.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.DenseLayer;

/** Builds an actor's dense layers from named tensors, with one-line errors naming the tensor. */
final class DenseLayers {

    private DenseLayers() {
    }

    /** Builds layers 1..L from {@code prefixes}, checking presence, type, shape, chaining and finiteness. */
    static List<DenseLayer> build(String where, Map<String, Tensor> tensors, List<String> prefixes) {
        List<DenseLayer> layers = new ArrayList<>();
        String prevName = null;
        for (String p : prefixes) {
            String wName = p.isEmpty() ? "weight" : p + ".weight";
            String bName = p.isEmpty() ? "bias" : p + ".bias";
            Tensor w = tensors.get(wName);
            if (w == null) {
                throw new SpikerlException(where + ": tensor " + wName + " is missing; tensors found: " + ActorLayouts.listing(tensors));
            }
            requireFloat(where, w);
            if (w.rank() != 2) {
                throw new SpikerlException(where + ": tensor " + wName + " has shape " + java.util.Arrays.toString(w.shape())
                        + "; expected [out][in]");
            }
            int out = w.shape()[0];
            int in = w.shape()[1];
            if (out == 0 || in == 0) {
                throw new SpikerlException(where + ": tensor " + wName + " is empty");
            }
            Tensor b = tensors.get(bName);
            float[] bias;
            if (b == null) {
                bias = new float[out];
            } else {
                requireFloat(where, b);
                if (b.rank() != 1 || b.shape()[0] != out) {
                    throw new SpikerlException(where + ": tensor " + bName + " has shape " + java.util.Arrays.toString(b.shape())
                            + "; expected [" + out + "] (the rows of " + wName + ")");
                }
                requireFinite(where, b);
                bias = b.data();
            }
            requireFinite(where, w);
            if (!layers.isEmpty()) {
                int prevOut = layers.get(layers.size() - 1).out();
                if (in != prevOut) {
                    throw new SpikerlException(where + ": layers do not chain: " + wName + " takes " + in
                            + " inputs but " + prevName + " gives " + prevOut + " outputs");
                }
            }
            layers.add(new DenseLayer(in, out, w.data(), bias));
            prevName = wName;
        }
        return layers;
    }

    private static void requireFloat(String where, Tensor t) {
        if (!t.isFloat()) {
            throw new SpikerlException(where + ": tensor " + t.name() + " has dtype " + t.dtype()
                    + "; expected a floating-point type");
        }
    }

    private static void requireFinite(String where, Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                String at = t.rank() == 2 ? "[" + i / t.shape()[1] + "][" + i % t.shape()[1] + "]" : "[" + i + "]";
                throw new SpikerlException(where + ": tensor " + t.name() + " holds " + d[i] + " at " + at
                        + "; expected finite weights");
            }
        }
    }

}
