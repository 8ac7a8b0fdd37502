package org.spikerl.snn.io;

import java.util.ArrayList;
import java.util.List;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.ObservationNorm;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.actor.io.Fixtures;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.convert.Delay;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.SpikingActor;

/** Converted networks for the controller-file tests, each exercising other header fields. */
final class ControllerNets {
    private ControllerNets() {
    }

    /** 5-16-16-2, tanh head, no norm, per-neuron max thresholds, T = 8, auto delay, alpha 0.7. */
    static SpikingActor small() {
        Actor actor = SyntheticActors.random(31, 5, 16, 16, 2);
        double[][] obs = SyntheticActors.observations(32, 300, 5);
        return Converter.convert(actor, CalibrationSet.observe(actor, obs), ConversionConfig.DEFAULTS.withAlpha(0.7));
    }

    /**
     * 4-12-10-8-3 (three spiking layers), observation norm, clip head with one unbounded side,
     * per-layer percentile thresholds, T = 5, fixed delay 2, alpha 1, v0 = 0.3 theta.
     */
    static SpikingActor normClip() {
        Actor base = SyntheticActors.random(41, 4, 12, 10, 8, 3);
        ObservationNorm norm = new ObservationNorm(new double[] {0.5, -1.25, 3.0, 0.1}, new double[] {2.0, 0.25, 9.0, 1e-3},
                1e-8, 5.0);
        ActionHead head = new ActionHead.Clip(new double[] {-0.4, -2, Double.NEGATIVE_INFINITY}, new double[] {0.4, 2, 1.5});
        Actor actor = new Actor(base.layers(), norm, head, "synthetic norm+clip");
        double[][] obs = SyntheticActors.observations(42, 300, 4);
        ConversionConfig config = ConversionConfig.DEFAULTS.withMethod(ThresholdMethod.parse("percentile:99:layer"))
                .withTimesteps(5).withDelay(new Delay.Fixed(2)).withAlpha(1.0).withV0Fraction(0.3);
        return Converter.convert(actor, CalibrationSet.observe(actor, obs), config);
    }

    /**
     * The small network's actor (5-16-16-2, tanh head) with neuron model {@code neuron} and bias
     * calibration, so that its hidden SNN biases differ from the ANN's; T = 8, alpha 0.7.
     */
    static SpikingActor calibratedSmall(NeuronModel neuron) {
        Actor actor = SyntheticActors.random(31, 5, 16, 16, 2);
        double[][] obs = SyntheticActors.observations(32, 300, 5);
        return Converter.convert(actor, CalibrationSet.observe(actor, obs), ConversionConfig.DEFAULTS.withAlpha(0.7)
                .withNeuron(neuron).withCalibration(BiasCalibration.BIAS));
    }

    /** {@link #calibratedSmall} with {@code mt:3@2} and readout delay 2 (a whole firing period). */
    static SpikingActor calibratedSmallPeriodic() {
        Actor actor = SyntheticActors.random(31, 5, 16, 16, 2);
        double[][] obs = SyntheticActors.observations(32, 300, 5);
        return Converter.convert(actor, CalibrationSet.observe(actor, obs), ConversionConfig.DEFAULTS.withAlpha(0.7)
                .withNeuron(NeuronModel.parse("mt:3@2")).withDelay(new Delay.Fixed(2)).withCalibration(BiasCalibration.BIAS));
    }

    /**
     * The norm+clip network's actor (4-12-10-8-3, three spiking layers) with neuron model
     * {@code neuron} and bias calibration; T = 5, fixed delay 2, alpha 1, v0 fraction 0.3.
     */
    static SpikingActor calibratedNormClip(NeuronModel neuron) {
        SpikingActor base = normClip();
        Actor actor = base.actor();
        double[][] obs = SyntheticActors.observations(42, 300, 4);
        ConversionConfig config = ConversionConfig.DEFAULTS.withMethod(ThresholdMethod.parse("percentile:99:layer"))
                .withTimesteps(5).withDelay(new Delay.Fixed(2)).withAlpha(1.0).withV0Fraction(0.3)
                .withNeuron(neuron).withCalibration(BiasCalibration.BIAS);
        return Converter.convert(actor, CalibrationSet.observe(actor, obs), config);
    }

    /**
     * The CRPI TD3 Hopper-v4 actor (11-256-256-3, read from ../shared), per-neuron max thresholds
     * calibrated on synthetic observations (standard normal, 2,000 of them), T = 8, alpha 0.5.
     */
    static SpikingActor hopper() {
        Actor actor = hopperActor();
        double[][] obs = SyntheticActors.observations(51, 2000, 11);
        return Converter.convert(actor, CalibrationSet.observe(actor, obs), ConversionConfig.DEFAULTS.withAlpha(0.5));
    }

    static Actor hopperActor() {
        return ActorLoader.load(Fixtures.crpiActor("TD3_Hopper-v4_actor"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1, -1}, new double[] {1, 1, 1}));
    }

    /** Observations for closed-loop-like sequences: standard normal, a few scaled up to drive saturation. */
    static List<double[]> sequence(long seed, int n, int size) {
        List<double[]> seq = new ArrayList<>(List.of(SyntheticActors.observations(seed, n, size)));
        for (int k = 0; k < n; k += 7) {
            for (int i = 0; i < size; i++) {
                seq.get(k)[i] *= 4;
            }
        }
        return seq;
    }
}
