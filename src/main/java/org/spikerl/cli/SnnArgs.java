package org.spikerl.cli;

import org.spikerl.SpikerlException;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.convert.Delay;
import org.spikerl.convert.DelayReduction;
import org.spikerl.convert.ThresholdMethod;
import java.util.List;
import org.spikerl.run.SnnOptions;
import org.spikerl.tune.TuneSettings;
import picocli.CommandLine.Option;

/**
 * The conversion options shared by {@code eval --snn} and {@code convert}. Unset options take
 * the defaults of {@link ConversionConfig#DEFAULTS} and {@link SnnOptions#DEFAULTS}.
 */
final class SnnArgs {
    @Option(names = "--snn", description = "Convert the actor to a spiking network and evaluate that.")
    boolean snn;

    @Option(names = "--timesteps", paramLabel = "T", description = "Latency T: timesteps per control step (default: ${bundle:default.timesteps}). The conversion for it is tuned unless conversion options are given.")
    Integer timesteps;

    @Option(names = "--threshold", paramLabel = "METHOD",
            description = "Threshold method: max[:layer|:neuron], percentile:P[:layer|:neuron], taware[:layer|:neuron], "
                    + "ltb[:c=..,batch=..,batches=..], ltb-channel[...] (default: ${bundle:default.threshold}; "
                    + "the tuner tries ${bundle:tune.thresholds}).")
    String threshold;

    @Option(names = "--delay", paramLabel = "auto|K", description = "Readout delay t0: auto (SPEC 5) or a fixed integer below T (default: ${bundle:default.delay}; "
            + "the tuner tries ${bundle:tune.delays}).")
    String delay;

    @Option(names = "--delay-reduction", paramLabel = "R", description = "How per-neuron thresholds enter the auto delay: ${bundle:allowed.delay-reduction} "
            + "(default: ${bundle:default.delay-reduction}).")
    String delayReduction;

    @Option(names = "--alpha", paramLabel = "A", description = "Cross-step residual potential factor in [0, 1] (SPEC 6; default: ${bundle:default.alpha}; "
            + "the tuner tries ${bundle:tune.alphas}).")
    Double alpha;

    @Option(names = "--v0", paramLabel = "F", description = "Start potential as a fraction of theta, in [0, 1] (default: ${bundle:default.v0}).")
    Double v0;

    @Option(names = "--neuron", paramLabel = "KIND", description = "Hidden neuron model: if, mt:N (N thresholds theta/2^(i-1)), mt:N@P (firing only every P-th timestep), signed; or one per hidden layer, e.g. if,mt:3 (default: ${bundle:default.neuron}; the tuner tries ${bundle:tune.neurons}, the uniform ones also with an mt:4 or mt:6 last layer, and mt:N@P only with one, where it fires at 4 or more timesteps).")
    String neuron;

    @Option(names = "--calibrate", paramLabel = "none|bias", description = "Bias calibration of the spiking layers on the calibration states: ${bundle:allowed.calibrate} (default: ${bundle:default.calibrate}).")
    String calibrate;

    @Option(names = "--tune", description = "Choose neuron, thresholds, delay, alpha and bias calibration for T on tuning episodes "
            + "(seeds ${bundle:default.tune-seed}+, never the evaluation seeds); conversion options given with it are kept fixed. "
            + "Default when no conversion option is given.")
    boolean tune;

    @Option(names = "--no-tune", description = "Do not tune: unset conversion options take the fixed defaults.")
    boolean noTune;

    @Option(names = "--tune-budget", paramLabel = "EPISODES", description = "Cost cap of a tuned conversion (calibration rollouts and tuning) in evaluation episodes (default: ${bundle:default.tune-budget}).")
    Integer tuneBudget;

    @Option(names = "--tune-seed", paramLabel = "S", description = "Tuning episode i is reset with seed S+i (default: ${bundle:default.tune-seed}).")
    Long tuneSeed;

    @Option(names = "--max-energy-ratio", paramLabel = "R", description = "Tuning: SNN/ANN energy cap (${bundle:energy.headline}) for the candidates (default: ${bundle:default.max-energy-ratio}).")
    Double maxEnergyRatio;

    @Option(names = "--calibration-steps", paramLabel = "N", description = "ANN control steps recorded for calibration (default: ${bundle:default.calibration-steps}).")
    Integer calibrationSteps;

    @Option(names = "--calibration-seed", paramLabel = "S", description = "Calibration episode i is reset with seed S+i (default: ${bundle:default.calibration-seed}).")
    Long calibrationSeed;

    boolean enabled() {
        if (!snn && (anyConversionOption() || timesteps != null || calibrationSteps != null || calibrationSeed != null
                || tune || noTune || tuneOption())) {
            throw new SpikerlException("conversion options (--timesteps, --threshold, --delay, --alpha, --tune, ...) need --snn");
        }
        return snn;
    }

    /** True if any option that fixes or tunes the conversion was given. */
    boolean givesConversionOptions() {
        return anyConversionOption() || timesteps != null || tune || tuneOption();
    }

    /** Options that fix part of the conversion (the tuner's axes, v0, delay reduction). */
    private boolean anyConversionOption() {
        return threshold != null || delay != null || delayReduction != null || alpha != null || v0 != null
                || neuron != null || calibrate != null;
    }

    private boolean tuneOption() {
        return tuneBudget != null || tuneSeed != null || maxEnergyRatio != null;
    }

    /** Tuning: asked for with --tune, or by default when no conversion option fixes the conversion. */
    boolean tuning() {
        if (tune && noTune) {
            throw new SpikerlException("--tune and --no-tune exclude each other");
        }
        if (noTune && tuneOption()) {
            throw new SpikerlException("--tune-budget, --tune-seed and --max-energy-ratio need tuning; drop --no-tune");
        }
        if (!tune && anyConversionOption() && tuneOption()) {
            throw new SpikerlException("--tune-budget, --tune-seed and --max-energy-ratio need --tune when conversion options are given");
        }
        return tune || (!noTune && !anyConversionOption());
    }

    private TuneSettings tuneSettings() {
        TuneSettings t = TuneSettings.DEFAULTS;
        if (tuneBudget != null) {
            t = t.withBudget(tuneBudget);
        }
        if (tuneSeed != null) {
            t = t.withSeed(tuneSeed);
        }
        if (maxEnergyRatio != null) {
            t = t.withMaxEnergyRatio(maxEnergyRatio);
        }
        // A conversion option given with --tune fixes that axis of the search.
        return new TuneSettings(t.budgetEpisodes(), t.seed(), t.maxEnergyRatio(),
                neuron != null ? List.of(NeuronPlan.parse(neuron)) : t.neurons(),
                threshold != null ? List.of(ThresholdMethod.parse(threshold)) : t.thresholds(),
                delay != null ? List.of(Delay.parse(delay)) : t.delays(),
                alpha != null ? List.of(alpha) : t.alphas(), t.finalists(),
                calibrate != null ? List.of(BiasCalibration.parse(calibrate)) : t.calibrations(),
                neuron != null ? List.of() : t.lastLayer());
    }

    SnnOptions options() {
        ConversionConfig c = timesteps != null ? ConversionConfig.forTimesteps(timesteps) : ConversionConfig.DEFAULTS;
        if (threshold != null) {
            c = c.withMethod(ThresholdMethod.parse(threshold));
        }
        if (delay != null) {
            c = c.withDelay(Delay.parse(delay));
        }
        if (delayReduction != null) {
            c = c.withDelayReduction(DelayReduction.parse(delayReduction));
        }
        if (alpha != null) {
            c = c.withAlpha(alpha);
        }
        if (v0 != null) {
            c = c.withV0Fraction(v0);
        }
        if (neuron != null) {
            c = c.withNeuron(NeuronPlan.parse(neuron));
        }
        if (calibrate != null) {
            c = c.withCalibration(BiasCalibration.parse(calibrate));
        }
        SnnOptions d = SnnOptions.DEFAULTS;
        return new SnnOptions(c, calibrationSteps != null ? calibrationSteps : d.calibrationSteps(),
                calibrationSeed != null ? calibrationSeed : d.calibrationSeed(), tuning() ? tuneSettings() : null);
    }
}
