package org.spikerl.convert;

import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.snn.SpikingActor;

/**
 * Last conversion stage: (actor, calibration set, config) -> {@link SpikingActor}.
 * <ol>
 *   <li>thresholds: {@code config.method().calibrate(set)} (SPEC section 4);</li>
 *   <li>delay: fixed, or {@link DelayEstimator} on the set's mean activations (SPEC section 5);</li>
 *   <li>the spiking network with its neuron model, {@code T}, {@code t0}, {@code alpha}, {@code v0}
 *       (SPEC sections 3, 6, 10), then bias calibration if asked for (SPEC 10).</li>
 * </ol>
 * Sweeps reuse stage 1: calibrate once, then {@link #build} per T, or {@link SpikingActor#withAlpha}
 * per alpha.
 */
public final class Converter {
    private Converter() {
    }

    /** Calibrates thresholds with {@code config.method()} and builds the spiking actor. */
    public static SpikingActor convert(Actor actor, CalibrationSet set, ConversionConfig config) {
        if (set.actor() != actor && !set.actor().equals(actor)) {
            throw new SpikerlException("conversion: the calibration set was observed with another actor ("
                    + set.actor().source() + ") than the one converted (" + actor.source() + ")");
        }
        return build(set, thresholds(set, config), config);
    }

    /** Stage 2 alone: the thresholds of {@code config.method()} for this conversion's quantiser. */
    public static float[][] thresholds(CalibrationSet set, ConversionConfig config) {
        return config.method().calibrate(set, Quantiser.of(config, set.hiddenLayers()));
    }

    /**
     * Builds the spiking actor of {@code set.actor()} from given thresholds (per hidden layer and
     * neuron), with the config's neuron model, then calibrates its biases if the config asks for it.
     */
    public static SpikingActor build(CalibrationSet set, float[][] thresholds, ConversionConfig config) {
        int t0 = delay(set, thresholds, config);
        SpikingActor net = new SpikingActor(set.actor(), config.neuron(), thresholds, null, config.timesteps(), t0,
                config.alpha(), config.v0Fraction());
        return config.calibration().apply(net, set);
    }

    /**
     * {@code t0} for these thresholds: the fixed one, or SPEC section 5's rule on {@link #delayEstimate},
     * rounded down to a multiple of the plan's firing period ({@link org.spikerl.snn.NeuronPlan#period}).
     */
    public static int delay(CalibrationSet set, float[][] thresholds, ConversionConfig config) {
        if (config.delay() instanceof Delay.Fixed f) {
            return f.t0();
        }
        int t0 = DelayEstimator.delay(config.timesteps(), delayEstimate(set, thresholds, config));
        return t0 - t0 % config.neuron().period(); // whole firing periods in the readout window
    }

    /** {@code t0_est} of SPEC section 5 for these thresholds, {@code v0 = v0Fraction * theta} and the set's mean activations. */
    public static double delayEstimate(CalibrationSet set, float[][] thresholds, ConversionConfig config) {
        int hidden = set.hiddenLayers();
        float[][] v0 = new float[hidden][];
        double[][] mean = new double[hidden][];
        float f = (float) config.v0Fraction();
        for (int l = 0; l < hidden; l++) {
            v0[l] = new float[thresholds[l].length];
            for (int j = 0; j < v0[l].length; j++) {
                v0[l][j] = config.neuron().layer(l, hidden).startPotential(thresholds[l][j], f);
            }
            mean[l] = set.meanRelu(l);
        }
        return DelayEstimator.estimate(thresholds, v0, mean, config.delayReduction());
    }
}
