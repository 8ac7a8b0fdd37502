package org.spikerl.convert;

import java.util.Locale;
import org.spikerl.SpikerlException;

/**
 * How {@link DelayEstimator} reduces per-neuron thresholds to the layer's {@code theta_l - v0_l}
 * of SPEC section 5 ([Bu Eq. 18-19] assumes one theta per layer and does not say). For per-layer
 * thresholds {@code MAX}, {@code MEAN} and {@code MEDIAN} agree. CLI names: {@code max},
 * {@code mean}, {@code median}, {@code neuron-min}.
 */
public enum DelayReduction {
    /** {@code max_j (theta_j - v0_j) / max_j mean ReLU(z_j)}: the layer as if it had the per-layer max threshold. */
    MAX,
    /**
     * {@code mean_j (theta_j - v0_j) / max_j mean ReLU(z_j)}: the typical charge a neuron needs
     * before its first spike, over the fastest mean input. The default: one outlier threshold does
     * not decide the delay as with {@code MAX}. Measured on the CRPI Hopper-v4 actor (max:neuron,
     * 10,000 calibration states, mean |a_snn - a_ann| on 3,000 other states): {@code mean},
     * {@code median} and {@code neuron-min} give t0 = 5, 4, 6 at T = 16..64, within a step of the
     * best fixed t0 (3 to 6); {@code max} gives t0 = 10 and a larger error at T = 16 (.174 against .111).
     */
    MEAN,
    /** {@code median_j (theta_j - v0_j) / max_j mean ReLU(z_j)}. */
    MEDIAN,
    /**
     * {@code min_j (theta_j - v0_j) / mean ReLU(z_j)} over neurons with a positive mean: the first
     * spike of the neuron that on average reaches its threshold soonest.
     */
    NEURON_MIN;

    public static final DelayReduction DEFAULT = MEAN;

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static DelayReduction parse(String text) {
        for (DelayReduction r : values()) {
            if (r.cliName().equals(text == null ? "" : text.trim())) {
                return r;
            }
        }
        throw new SpikerlException("delay reduction '" + text + "': expected max, mean, median or neuron-min");
    }
}
