package org.spikerl.cli;

import org.spikerl.SpikerlException;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.snn.NeuronModel;
import org.spikerl.convert.Delay;
import org.spikerl.convert.DelayReduction;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.run.SnnOptions;
import picocli.CommandLine.Option;

/**
 * The conversion options shared by {@code eval --snn} and {@code convert}. Unset options take
 * the defaults of {@link ConversionConfig#DEFAULTS} and {@link SnnOptions#DEFAULTS}.
 */
final class SnnArgs {
    @Option(names = "--snn", description = "Convert the actor to a spiking network and evaluate that.")
    boolean snn;

    @Option(names = "--timesteps", paramLabel = "T", description = "Latency T: timesteps per control step (default: 8, the measured defaults: max:neuron, delay 1, alpha 0.5).")
    Integer timesteps;

    @Option(names = "--threshold", paramLabel = "METHOD",
            description = "max[:layer|:neuron], percentile:P[:layer|:neuron], ltb[:c=..,batch=..,batches=..], ltb-channel[...].")
    String threshold;

    @Option(names = "--delay", paramLabel = "auto|K", description = "Readout delay t0: auto (SPEC 5) or a fixed integer.")
    String delay;

    @Option(names = "--delay-reduction", paramLabel = "R", description = "How per-neuron thresholds enter the auto delay.")
    String delayReduction;

    @Option(names = "--alpha", paramLabel = "A", description = "Cross-step residual potential factor in [0, 1] (SPEC 6).")
    Double alpha;

    @Option(names = "--v0", paramLabel = "F", description = "Start potential as a fraction of theta (default 0.5).")
    Double v0;

    @Option(names = "--neuron", paramLabel = "KIND", description = "Hidden neuron model: if, mt:N (N thresholds theta/2^(i-1)), signed (default: if).")
    String neuron;

    @Option(names = "--calibrate", paramLabel = "none|bias", description = "Bias calibration of the spiking layers on the calibration states (default: none).")
    String calibrate;

    @Option(names = "--calibration-steps", paramLabel = "N", description = "ANN control steps recorded for calibration (default: 10000).")
    Integer calibrationSteps;

    @Option(names = "--calibration-seed", paramLabel = "S", description = "Calibration episode i is reset with seed S+i (default: 100000).")
    Long calibrationSeed;

    boolean enabled() {
        if (!snn && anyConversionOption()) {
            throw new SpikerlException("conversion options (--timesteps, --threshold, --delay, --alpha, ...) need --snn");
        }
        return snn;
    }

    private boolean anyConversionOption() {
        return timesteps != null || threshold != null || delay != null || delayReduction != null || alpha != null
                || v0 != null || neuron != null || calibrate != null || calibrationSteps != null || calibrationSeed != null;
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
            c = c.withNeuron(NeuronModel.parse(neuron));
        }
        if (calibrate != null) {
            c = c.withCalibration(BiasCalibration.parse(calibrate));
        }
        SnnOptions d = SnnOptions.DEFAULTS;
        return new SnnOptions(c, calibrationSteps != null ? calibrationSteps : d.calibrationSteps(),
                calibrationSeed != null ? calibrationSeed : d.calibrationSeed());
    }
}
