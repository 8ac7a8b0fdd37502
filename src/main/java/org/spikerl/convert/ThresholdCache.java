package org.spikerl.convert;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 2 computed once per distinct result for one calibration set: a method's thresholds depend
 * on the method alone, or, for methods that read the quantiser ({@link ThresholdMethod#dependsOnQuantiser}),
 * on the method and each hidden layer's {@link Quantiser}. Sweeps and the tuner build many networks
 * from one set; they share thresholds through this. Not thread-safe.
 */
public final class ThresholdCache {
    private final CalibrationSet set;
    private final Map<Object, float[][]> cache = new HashMap<>();

    public ThresholdCache(CalibrationSet set) {
        this.set = set;
    }

    /** {@link Converter#thresholds} for {@code config}, computed at most once per distinct key; do not modify. */
    public float[][] get(ConversionConfig config) {
        ThresholdMethod m = config.method();
        Object key = m.dependsOnQuantiser() ? List.of(m, Quantiser.of(config, set.hiddenLayers())) : m;
        return cache.computeIfAbsent(key, k -> Converter.thresholds(set, config));
    }
}
