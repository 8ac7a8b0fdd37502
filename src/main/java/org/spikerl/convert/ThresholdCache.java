package org.spikerl.convert;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 2 computed once per distinct result for one calibration set: a method's thresholds depend
 * on the method alone, or, for methods that read the quantiser ({@link ThresholdMethod#dependsOnQuantiser}),
 * on the method and each hidden layer's {@link Quantiser}, computed per layer
 * ({@link ThresholdMethod#calibrateLayer}). Sweeps and the tuner build many networks
 * from one set; they share thresholds through this. Not thread-safe.
 */
public final class ThresholdCache {
    private final CalibrationSet set;
    private final Map<Object, float[][]> cache = new HashMap<>();
    private final Map<Object, float[]> layers = new HashMap<>();

    public ThresholdCache(CalibrationSet set) {
        this.set = set;
    }

    /** {@link Converter#thresholds} for {@code config}, computed at most once per distinct key; do not modify. */
    public float[][] get(ConversionConfig config) {
        ThresholdMethod m = config.method();
        if (!m.dependsOnQuantiser()) {
            return cache.computeIfAbsent(m, k -> Converter.thresholds(set, config));
        }
        // Per layer: plans that share a layer's neuron model (and T, start potential) share its search.
        List<Quantiser> q = Quantiser.of(config, set.hiddenLayers());
        return cache.computeIfAbsent(List.of(m, q), k -> {
            float[][] theta = new float[q.size()][];
            for (int l = 0; l < theta.length; l++) {
                int layer = l;
                theta[l] = layers.computeIfAbsent(List.of(m, l, q.get(l)), kk -> m.calibrateLayer(set, layer, q.get(layer)));
            }
            return theta;
        });
    }
}
