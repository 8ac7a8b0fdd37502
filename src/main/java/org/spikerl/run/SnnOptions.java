package org.spikerl.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.control.Rollouts;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.env.VectorEnv;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;

/**
 * How to convert an actor for an SNN run: the conversion itself ({@link ConversionConfig}) and
 * the calibration rollouts it learns thresholds from (SPEC section 4).
 *
 * @param conversion threshold method, T, delay, alpha, v0
 * @param calibrationSteps closed-loop control steps of the ANN recorded for calibration
 * @param calibrationSeed episode i of the calibration rollouts is reset with this seed + i; kept
 *        far from evaluation seeds so thresholds never see the evaluation episodes
 */
public record SnnOptions(ConversionConfig conversion, int calibrationSteps, long calibrationSeed) {
    public static final int DEFAULT_CALIBRATION_STEPS = 10_000;
    public static final long DEFAULT_CALIBRATION_SEED = 100_000;
    public static final SnnOptions DEFAULTS = new SnnOptions(ConversionConfig.DEFAULTS, DEFAULT_CALIBRATION_STEPS,
            DEFAULT_CALIBRATION_SEED);

    public SnnOptions {
        if (conversion == null) {
            throw new SpikerlException("SNN options: conversion config is missing");
        }
        if (calibrationSteps < 1 || calibrationSteps > 10_000_000) {
            throw new SpikerlException("--calibration-steps must be in 1..10000000, got " + calibrationSteps);
        }
        if (calibrationSeed < 0) {
            throw new SpikerlException("--calibration-seed must be >= 0, got " + calibrationSeed);
        }
    }

    public SnnOptions withConversion(ConversionConfig c) {
        return new SnnOptions(c, calibrationSteps, calibrationSeed);
    }

    /** A calibrated, converted actor and what it took. */
    public record Converted(SpikingActor network, CalibrationSet calibration, double rolloutSeconds,
                            double conversionSeconds) {
    }

    /** Records calibration rollouts of the ANN through {@code env} and converts {@code actor}. */
    public Converted convert(Actor actor, VectorEnv env) {
        long t0 = System.nanoTime();
        double[][] observations = Rollouts.observations(env, new AnnController(actor), calibrationSteps,
                calibrationSeed);
        long t1 = System.nanoTime();
        CalibrationSet set = CalibrationSet.observe(actor, observations);
        SpikingActor net = Converter.convert(actor, set, conversion);
        long t2 = System.nanoTime();
        return new Converted(net, set, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /** The controller factory for {@link Evaluation}: calibrate, convert, run the SNN. */
    public Evaluation.ControllerFactory factory() {
        return (actor, bridge, env) -> {
            Converted c = convert(actor, env);
            return new Evaluation.ControllerFactory.Built(new SnnController(c.network()), settings(c.network()),
                    timing(c));
        };
    }

    /** Summary fields describing a spiking network (SPEC names). */
    public Map<String, Object> settings(SpikingActor net) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timesteps", net.timesteps());
        m.put("threshold", conversion.method().spec());
        m.put("delay", net.delay());
        m.put("delay_setting", conversion.delay().spec());
        m.put("delay_reduction", conversion.delayReduction().cliName());
        m.put("alpha", (double) net.alpha());
        m.put("v0_fraction", (double) net.v0Fraction());
        m.put("neuron", net.neuron().spec());
        m.put("bias_calibration", conversion.calibration().cliName());
        m.put("calibration_steps", calibrationSteps);
        m.put("calibration_seed", calibrationSeed);
        return m;
    }

    static Map<String, Object> timing(Converted c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("calibration_rollout_s", c.rolloutSeconds());
        m.put("conversion_compute_s", c.conversionSeconds());
        return m;
    }
}
