package org.spikerl.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.SpikerlException;

/**
 * Everything that decides a conversion, with the defaults in one place ({@link #DEFAULTS}) and
 * validation at construction. One shape for the API, the CLI and config files.
 *
 * @param method threshold method (SPEC section 4); default {@code max:neuron}
 * @param timesteps latency {@code T >= 1}; default 8 (the [CRPI] setting)
 * @param delay readout delay, {@code auto} or a fixed {@code t0 < T} (SPEC section 5); default 0, see below
 * @param delayReduction how per-neuron thresholds enter the {@code auto} delay; default {@code mean}
 * @param alpha residual factor of SPEC section 6 in {@code [0, 1]}; default 0 (plain converter)
 * @param v0Fraction episode-start potential {@code v0 = v0Fraction * theta} in {@code [0, 1]}; default 0.5 [Bu]
 *
 * <p>Why the default delay is 0 and not {@code auto}: the defaults are the [CRPI] setting
 * (per-neuron max, T = 8, no delay), so they reproduce SPEC section 9's reference. At T = 8 the
 * {@code auto} rule nearly always takes its first branch ({@code t0 = T - 4 = 4}: the estimate is
 * about 5 for both CRPI actors) and averages over 4 timesteps only. Measured in closed loop
 * (max:neuron, alpha 0, 10 episodes, seeds 0..9, numpy reference of this simulation): Hopper-v4
 * 3515 +- 23 with t0 = 0, 3309 +- 588 with t0 = 4; Walker2d-v4 3875 +- 522 with t0 = 0,
 * 2060 +- 1470 with t0 = 4. {@code auto} pays off from T = 16 (Hopper-v4, t0 = 5: 3590 +- 5).
 */
public record ConversionConfig(ThresholdMethod method, int timesteps, Delay delay, DelayReduction delayReduction,
                               double alpha, double v0Fraction) {

    public static final ConversionConfig DEFAULTS = new ConversionConfig(
            ThresholdMethod.DEFAULT, 8, Delay.NONE, DelayReduction.DEFAULT, 0.0, 0.5);

    public ConversionConfig {
        if (method == null) {
            throw new SpikerlException("conversion config: method is missing");
        }
        if (delay == null) {
            throw new SpikerlException("conversion config: delay is missing, expected auto or an integer");
        }
        if (delayReduction == null) {
            throw new SpikerlException("conversion config: delay reduction is missing");
        }
        if (timesteps < 1) {
            throw new SpikerlException("conversion config: timesteps T must be >= 1, got " + timesteps);
        }
        if (delay instanceof Delay.Fixed f && f.t0() >= timesteps) {
            throw new SpikerlException("conversion config: delay t0 must be in [0, T) = [0, " + timesteps
                    + "), got " + f.t0());
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new SpikerlException("conversion config: alpha must be in [0, 1], got " + alpha);
        }
        if (!(v0Fraction >= 0 && v0Fraction <= 1)) {
            throw new SpikerlException("conversion config: v0 fraction must be in [0, 1], got " + v0Fraction);
        }
    }

    public ConversionConfig withMethod(ThresholdMethod m) {
        return new ConversionConfig(m, timesteps, delay, delayReduction, alpha, v0Fraction);
    }

    public ConversionConfig withTimesteps(int t) {
        return new ConversionConfig(method, t, delay, delayReduction, alpha, v0Fraction);
    }

    public ConversionConfig withDelay(Delay d) {
        return new ConversionConfig(method, timesteps, d, delayReduction, alpha, v0Fraction);
    }

    public ConversionConfig withDelayReduction(DelayReduction r) {
        return new ConversionConfig(method, timesteps, delay, r, alpha, v0Fraction);
    }

    public ConversionConfig withAlpha(double a) {
        return new ConversionConfig(method, timesteps, delay, delayReduction, a, v0Fraction);
    }

    public ConversionConfig withV0Fraction(double f) {
        return new ConversionConfig(method, timesteps, delay, delayReduction, alpha, f);
    }

    /** The configuration as CLI-style strings, in a fixed order, for provenance files. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", method.spec());
        m.put("timesteps", Integer.toString(timesteps));
        m.put("delay", delay.spec());
        m.put("delay_reduction", delayReduction.cliName());
        m.put("alpha", Double.toString(alpha));
        m.put("v0_fraction", Double.toString(v0Fraction));
        return m;
    }
}
