package org.spikerl.run;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.spikerl.tune.TuneSettings;
import org.spikerl.tune.Tuner;

import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.control.Rollouts;
import org.spikerl.progress.Progress;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.convert.Delay;
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
 * @param tune if not null, the conversion is chosen by {@link Tuner} on tuning episodes, searching
 *        these settings; {@code conversion} then gives only T, v0 and the delay reduction
 */
public record SnnOptions(ConversionConfig conversion, int calibrationSteps, long calibrationSeed, TuneSettings tune) {
    public static final int DEFAULT_CALIBRATION_STEPS = 10_000;
    public static final long DEFAULT_CALIBRATION_SEED = 100_000;
    public static final SnnOptions DEFAULTS = new SnnOptions(ConversionConfig.DEFAULTS, DEFAULT_CALIBRATION_STEPS,
            DEFAULT_CALIBRATION_SEED);

    /** Without tuning: {@code conversion} as given. */
    public SnnOptions(ConversionConfig conversion, int calibrationSteps, long calibrationSeed) {
        this(conversion, calibrationSteps, calibrationSeed, null);
    }

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
        return new SnnOptions(c, calibrationSteps, calibrationSeed, tune);
    }

    /**
     * A calibrated, converted actor and what it took.
     *
     * @param config the conversion that built {@code network}: the given one, or the tuner's choice
     * @param observations the raw calibration observations, in recorded order
     * @param tuning the tuner's search and choice, or {@code null} without tuning
     */
    public record Converted(SpikingActor network, CalibrationSet calibration, double[][] observations,
                            ConversionConfig config, Tuner.Result tuning, double rolloutSeconds,
                            double conversionSeconds) {
    }

    /** Records calibration rollouts of the ANN through {@code env} and converts {@code actor} (tuning first if asked). */
    public Converted convert(Actor actor, VectorEnv env) {
        return convert(actor, env, new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    /** The calibration rollouts and the ANN's activations on them, without converting. */
    public record Recorded(double[][] observations, CalibrationSet set, double rolloutSeconds) {
    }

    /** Records {@code calibrationSteps} closed-loop ANN control steps from {@code calibrationSeed} (SPEC 4). */
    public Recorded record(Actor actor, VectorEnv env) {
        long t0 = System.nanoTime();
        double[][] observations;
        try (Progress bar = Progress.bar("calibration steps", calibrationSteps)) {
            observations = Rollouts.observations(bar.counting(env), new AnnController(actor), calibrationSteps,
                    calibrationSeed);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Recorded(observations, CalibrationSet.observe(actor, observations), seconds);
    }

    /** As {@link #convert(Actor, VectorEnv)}, with the tuner's progress lines going to {@code log}. */
    public Converted convert(Actor actor, VectorEnv env, PrintWriter log) {
        // A per-layer plan of the wrong length fails now, not after the calibration rollouts.
        conversion.neuron().check(actor.layers().size() - 1);
        if (tune != null) {
            tune.neurons().forEach(p -> p.check(actor.layers().size() - 1));
            Tuner.candidates(conversion, tune, actor.layers().size() - 1); // a search with no candidate: now
        } else if (conversion.delay() instanceof Delay.Fixed f && f.t0() % conversion.neuron().period() != 0) {
            throw new SpikerlException(SpikingActor.delayNotWholePeriods(f.t0(), conversion.neuron()));
        }
        Recorded rec = record(actor, env);
        long t1 = System.nanoTime();
        if (tune != null) {
            Tuner.Result r = Tuner.tune(rec.set(), rec.observations(), conversion, tune, env, log);
            return new Converted(r.network(), rec.set(), rec.observations(), r.chosen(), r, rec.rolloutSeconds(),
                    (System.nanoTime() - t1) / 1e9);
        }
        SpikingActor net = Converter.convert(actor, rec.set(), conversion);
        return new Converted(net, rec.set(), rec.observations(), conversion, null, rec.rolloutSeconds(),
                (System.nanoTime() - t1) / 1e9);
    }

    /** The controller factory for {@link Evaluation}: calibrate, convert (tune), run the SNN. */
    public Evaluation.ControllerFactory factory() {
        return (actor, backend, env) -> {
            Converted c = convert(actor, env);
            return new Evaluation.ControllerFactory.Built(new SnnController(c.network()), settings(c), timing(c));
        };
    }

    /** Summary fields describing a converted network (SPEC names), with the tuner's search if it ran. */
    public Map<String, Object> settings(Converted c) {
        Map<String, Object> m = settings(c.network(), c.config());
        if (c.tuning() != null) {
            m.put("tuning", c.tuning().toMap());
        }
        return m;
    }

    /** Summary fields describing a spiking network built with {@code config} (SPEC names). */
    public Map<String, Object> settings(SpikingActor net, ConversionConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timesteps", net.timesteps());
        m.put("threshold", config.method().spec());
        m.put("delay", net.delay());
        m.put("delay_setting", config.delay().spec());
        m.put("delay_reduction", config.delayReduction().cliName());
        m.put("alpha", (double) net.alpha());
        m.put("v0_fraction", (double) net.v0Fraction());
        m.put("neuron", net.neuron().spec());
        m.put("bias_calibration", config.calibration().cliName());
        m.put("tuned", tune != null);
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
