package org.spikerl.sweep;

import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.control.Controller;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.env.VectorEnv;
import org.spikerl.results.RunSummary;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;
import org.spikerl.sweep.Sweep.Row;

/**
 * What every engine does to evaluate one sweep row, in one place so that a row converts and runs
 * the same wherever it runs: the ANN's row, and a grid row built from the calibration set and its
 * method's thresholds (both computed once per actor, {@code SweepConfig.calibration()} and
 * {@link org.spikerl.convert.ThresholdCache}), each run from resets with the sweep's seeds.
 */
public final class SweepCells {
    private SweepCells() {
    }

    /** Row 0: the ANN on {@code episodes} episodes from {@code seed}. */
    public static Row ann(Actor actor, VectorEnv env, int episodes, long seed, EpisodeRunner.Listener listener) {
        return new Row(null, 0, evaluate(env, new AnnController(actor), actor, episodes, seed, listener), null);
    }

    /**
     * A grid row of conversion {@code c}: the spiking network built from {@code set} with
     * {@code thresholds} (those of {@code c}'s method for {@code set}), run on the same episodes.
     */
    public static Row cell(ConversionConfig c, CalibrationSet set, float[][] thresholds, VectorEnv env, int episodes,
                           long seed, EpisodeRunner.Listener listener) {
        SpikingActor net = Converter.build(set, thresholds, c);
        return new Row(c, net.delay(), evaluate(env, new SnnController(net), set.actor(), episodes, seed, listener),
                null);
    }

    /**
     * A grid row of a tuned sweep: the tuner chooses the {@code tuned} axes of {@code c} on tuning
     * episodes ({@link Sweep#tuneSettings}, from the calibration {@code set} and its raw
     * {@code observations}), then the chosen network runs the sweep's episodes; the row records the
     * choice and the search.
     */
    public static Row tuned(ConversionConfig c, java.util.Set<SweepConfig.TunedAxis> tuned, int tuneBudget,
                            CalibrationSet set, double[][] observations, VectorEnv env, int episodes, long seed,
                            java.io.PrintWriter log, EpisodeRunner.Listener listener) {
        org.spikerl.tune.Tuner.Result r = org.spikerl.tune.Tuner.tune(set, observations, c,
                Sweep.tuneSettings(tuned, tuneBudget, c), env, log);
        SpikingActor net = r.network();
        return new Row(r.chosen(), net.delay(), evaluate(env, new SnnController(net), set.actor(), episodes, seed,
                listener), r.toMap());
    }

    static RunSummary evaluate(VectorEnv env, Controller controller, Actor actor, int episodes, long seed,
                               EpisodeRunner.Listener listener) {
        EpisodeRunner.Result r = EpisodeRunner.run(env, controller, episodes, seed, listener);
        return RunSummary.of(controller.kind(), r, actor.macs(), SweepOutput.BOOTSTRAP);
    }
}
