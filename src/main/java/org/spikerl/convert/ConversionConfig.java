package org.spikerl.convert;

import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;

/**
 * Everything that decides a conversion, with the defaults in one place ({@link #DEFAULTS}) and
 * validation at construction. One shape for the API, the CLI and config files.
 *
 * @param method threshold method (SPEC section 4); default {@code max:neuron}
 * @param timesteps latency {@code T >= 1}; default 8 (the [CRPI] setting)
 * @param delay readout delay, {@code auto} or a fixed {@code t0 < T} (SPEC section 5); default 1, see below
 * @param delayReduction how per-neuron thresholds enter the {@code auto} delay; default {@code mean}
 * @param alpha residual factor of SPEC section 6 in {@code [0, 1]}; default 0.5 (0 is the plain converter)
 * @param v0Fraction episode-start potential {@code v0 = v0Fraction * unit(theta)} in {@code [0, 1]}; default 0.5 [Bu]
 * @param neuron the hidden layers' neuron models (SPEC 10), one for all or one per layer; default IF everywhere
 * @param calibration bias calibration after thresholds (SPEC 10); default {@link BiasCalibration#NONE}
 *
 * <p>How the defaults were chosen ({@code max:neuron}, T = 8, fixed delay t0 = 1, alpha 0.5):
 * by closed-loop measurement on the two external CRPI TD3 actors, on seeds never used for
 * reporting. A sweep over threshold method ({@code max:neuron}, {@code percentile:99.99:neuron},
 * {@code ltb-channel}), delay (0, 1, 2, {@code auto}) and alpha (0, 0.5, 1) at T = 8, 30 episodes
 * each on seeds 2000..2029 ({@code spikerl sweep}, configs in the README), picked the setting whose
 * worse APR over Hopper-v4 and Walker2d-v4 is highest: 0.991 and 0.920. The runner-up settings
 * were 0.915 ({@code percentile:99.99:neuron}, t0 2, alpha 0.5) and 0.911. {@code ltb-channel}
 * with its default batches reached 0.99 on Hopper-v4 but 0.02 to 0.15 on Walker2d-v4 (too many
 * neurons keep a low threshold), so it does not generalise as a default. {@code auto} gives
 * {@code t0 = T - 4 = 4} at T = 8 (the estimate is about 5 for both actors) and lost return on
 * both (APR 0.90 to 0.98 and 0.52 to 0.74); it pays off from T = 16. A fixed t0 larger than or
 * equal to a chosen T is lowered to {@code T - 1} by {@link #forTimesteps}.
 */
public record ConversionConfig(ThresholdMethod method, int timesteps, Delay delay, DelayReduction delayReduction,
                               double alpha, double v0Fraction, NeuronPlan neuron, BiasCalibration calibration) {

    public static final ConversionConfig DEFAULTS = new ConversionConfig(
            ThresholdMethod.DEFAULT, 8, new Delay.Fixed(1), DelayReduction.DEFAULT, 0.5, 0.5);

    /** IF neurons without bias calibration: the converter of SPEC sections 3-6. */
    public ConversionConfig(ThresholdMethod method, int timesteps, Delay delay, DelayReduction delayReduction,
                            double alpha, double v0Fraction) {
        this(method, timesteps, delay, delayReduction, alpha, v0Fraction, NeuronPlan.IF, BiasCalibration.NONE);
    }

    public ConversionConfig {
        if (neuron == null) {
            throw new SpikerlException("conversion config: neuron model is missing, expected if, mt:N, mt:N@P or signed");
        }
        if (calibration == null) {
            throw new SpikerlException("conversion config: calibration is missing, expected none or bias");
        }
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
        neuron.layers().forEach(m -> m.checkTimesteps(timesteps));
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
        return new ConversionConfig(m, timesteps, delay, delayReduction, alpha, v0Fraction, neuron, calibration);
    }

    /**
     * The defaults at latency {@code t}: as {@link #DEFAULTS}, with a default fixed delay that
     * would not fit ({@code t0 >= t}) lowered to {@code t - 1}.
     */
    public static ConversionConfig forTimesteps(int t) {
        ConversionConfig d = DEFAULTS;
        if (d.delay() instanceof Delay.Fixed f && f.t0() >= t && t >= 1) {
            d = d.withDelay(new Delay.Fixed(t - 1));
        }
        return d.withTimesteps(t);
    }

    public ConversionConfig withTimesteps(int t) {
        return new ConversionConfig(method, t, delay, delayReduction, alpha, v0Fraction, neuron, calibration);
    }

    public ConversionConfig withDelay(Delay d) {
        return new ConversionConfig(method, timesteps, d, delayReduction, alpha, v0Fraction, neuron, calibration);
    }

    public ConversionConfig withDelayReduction(DelayReduction r) {
        return new ConversionConfig(method, timesteps, delay, r, alpha, v0Fraction, neuron, calibration);
    }

    public ConversionConfig withAlpha(double a) {
        return new ConversionConfig(method, timesteps, delay, delayReduction, a, v0Fraction, neuron, calibration);
    }

    public ConversionConfig withV0Fraction(double f) {
        return new ConversionConfig(method, timesteps, delay, delayReduction, alpha, f, neuron, calibration);
    }

    public ConversionConfig withNeuron(NeuronModel n) {
        return withNeuron(NeuronPlan.uniform(n));
    }

    public ConversionConfig withNeuron(NeuronPlan n) {
        return new ConversionConfig(method, timesteps, delay, delayReduction, alpha, v0Fraction, n, calibration);
    }

    public ConversionConfig withCalibration(BiasCalibration c) {
        return new ConversionConfig(method, timesteps, delay, delayReduction, alpha, v0Fraction, neuron, c);
    }

    /**
     * The inverse of {@link #describe()}: a config from its CLI-style strings; absent keys take
     * the defaults. A fixed delay that does not fit the given T is refused, as at construction.
     */
    public static ConversionConfig fromDescription(Map<String, String> m) {
        ConversionConfig d = DEFAULTS;
        int t = m.containsKey("timesteps") ? parseInt("timesteps", m.get("timesteps")) : d.timesteps;
        return new ConversionConfig(
                m.containsKey("method") ? ThresholdMethod.parse(m.get("method")) : d.method, t,
                m.containsKey("delay") ? Delay.parse(m.get("delay")) : forTimesteps(t).delay,
                m.containsKey("delay_reduction") ? DelayReduction.parse(m.get("delay_reduction")) : d.delayReduction,
                m.containsKey("alpha") ? parseDouble("alpha", m.get("alpha")) : d.alpha,
                m.containsKey("v0_fraction") ? parseDouble("v0_fraction", m.get("v0_fraction")) : d.v0Fraction,
                m.containsKey("neuron") ? NeuronPlan.parse(m.get("neuron")) : d.neuron,
                m.containsKey("calibration") ? BiasCalibration.parse(m.get("calibration")) : d.calibration);
    }

    private static int parseInt(String field, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new SpikerlException("conversion config: " + field + " = '" + v + "' is not an integer");
        }
    }

    private static double parseDouble(String field, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new SpikerlException("conversion config: " + field + " = '" + v + "' is not a number");
        }
    }

    /** The neuron plan, with {@code +bias} when the biases are calibrated: {@code mt:2,mt:4+bias}. */
    public String neuronLabel() {
        return neuron.spec() + (calibration == BiasCalibration.NONE ? "" : "+" + calibration.cliName());
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
        m.put("neuron", neuron.spec());
        m.put("calibration", calibration.cliName());
        return m;
    }
}
