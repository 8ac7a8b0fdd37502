package org.spikerl.tune;

import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.Delay;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;

/**
 * What the tuner searches and what it may spend. Defaults in {@link #DEFAULTS}, in one place.
 *
 * @param budgetEpisodes the cost cap of the conversion, in evaluation episodes (default 50): the
 *        calibration rollouts count their steps over the task's time limit; closed-loop tuning
 *        episodes count one each; offline replays count {@link #REPLAYS_PER_EPISODE} control steps
 *        per episode; the tuner never spends more ({@link Tuner} says how it shares the budget
 *        between its steps)
 * @param seed tuning episode {@code i} is reset with {@code seed + i}; default 1000 (SPEC's
 *        tuning seeds, never the evaluation seeds 0..29)
 * @param maxEnergyRatio candidates whose SNN/ANN energy per action ({@code horowitz45}) on the
 *        replayed states exceeds this are not tried in closed loop while enough others are left
 *        (default 0.25, the target; when even the cheapest candidate exceeds it, 1.2 times
 *        the cheapest's energy applies instead, see {@link Tuner#effectiveCap}; 1 or more disables
 *        the cap in practice)
 * @param neurons neuron plans tried
 * @param lastLayer for every uniform plan of {@code neurons}, also tried: the same plan with this
 *        model in the last hidden layer (whose spikes feed only the action outputs, so graded
 *        spikes there cost almost no energy); empty for none
 * @param thresholds threshold methods tried
 * @param delays readout delays tried ({@code t0 >= T} skipped)
 * @param alphas residual factors tried
 * @param finalists candidates of the first closed-loop round (default 12, halved each round)
 * @param calibrations bias calibrations tried ({@code none}, {@code bias}; with both, bias
 *        calibration is tried on the best candidates without it, see {@link Tuner})
 */
public record TuneSettings(int budgetEpisodes, long seed, double maxEnergyRatio, List<NeuronPlan> neurons,
                           List<ThresholdMethod> thresholds, List<Delay> delays, List<Double> alphas,
                           int finalists, List<BiasCalibration> calibrations, List<NeuronModel> lastLayer) {

    /**
     * Replayed control steps that cost about one evaluation episode of wall time: an episode is up
     * to 1000 control steps, each an {@code env.step} through the bridge (about 110 µs on Hopper-v4,
     * 2-core machine, 2026-12-01) plus one {@code act()} (about 15 µs for an SNN at T = 8), while a
     * replayed step is the {@code act()} alone; 1000 * 125 / 15 is about 8000.
     */
    public static final int REPLAYS_PER_EPISODE = 8000;

    /** Calibration states replayed to rank a candidate offline (after the ones bias calibration uses). */
    public static final int PROXY_STATES = 500;

    public static final TuneSettings DEFAULTS = new TuneSettings(50, 1000, 0.25,
            List.of(NeuronPlan.IF, NeuronPlan.uniform(NeuronModel.multiThreshold(2)),
                    NeuronPlan.uniform(NeuronModel.multiThreshold(3)), NeuronPlan.uniform(NeuronModel.SIGNED),
                    NeuronPlan.uniform(NeuronModel.multiThreshold(3, 2)),
                    NeuronPlan.uniform(NeuronModel.multiThreshold(2, 2))),
            List.of(ThresholdMethod.parse("max:neuron"), ThresholdMethod.parse("taware:neuron")),
            List.of(new Delay.Fixed(0), new Delay.Fixed(1), new Delay.Fixed(2)),
            List.of(0.0, 0.5, 1.0), 12, List.of(BiasCalibration.NONE, BiasCalibration.BIAS),
            List.of(NeuronModel.multiThreshold(4), NeuronModel.multiThreshold(6)));

    public TuneSettings {
        if (budgetEpisodes < 1 || budgetEpisodes > 100_000) {
            throw new SpikerlException("--tune-budget must be in 1..100000 episodes, got " + budgetEpisodes);
        }
        if (seed < 0) {
            throw new SpikerlException("--tune-seed must be >= 0, got " + seed);
        }
        if (!(maxEnergyRatio > 0) || Double.isInfinite(maxEnergyRatio)) {
            throw new SpikerlException("--max-energy-ratio must be a finite number > 0, got " + maxEnergyRatio);
        }
        if (finalists < 1) {
            throw new SpikerlException("tuner: finalists must be >= 1, got " + finalists);
        }
        if (neurons.isEmpty() || thresholds.isEmpty() || delays.isEmpty() || alphas.isEmpty() || calibrations.isEmpty()) {
            throw new SpikerlException("tuner: every search axis needs at least one value");
        }
        neurons = List.copyOf(neurons);
        thresholds = List.copyOf(thresholds);
        delays = List.copyOf(delays);
        alphas = List.copyOf(alphas);
        calibrations = List.copyOf(calibrations);
        lastLayer = List.copyOf(lastLayer);
    }

    /**
     * Refuses evaluation episodes {@code [seed, seed + episodes)} that could be tuning episodes of
     * these settings ({@code [this.seed, this.seed + budgetEpisodes)} bounds every seed the tuner
     * can reset with): a number measured on the episodes a setting was chosen on is not an evaluation.
     *
     * @param what how the caller names the evaluation seeds, e.g. {@code --seed}
     */
    public void checkDisjoint(long seed, int episodes, String what) {
        long lo = this.seed;
        long hi = this.seed + budgetEpisodes;
        if (seed < hi && seed + episodes > lo) {
            throw new SpikerlException(what + " " + seed + " with " + episodes + " episodes overlaps the tuning episodes "
                    + "(seeds " + lo + ".." + (hi - 1) + "); evaluate on other seeds, or move them with --tune-seed");
        }
    }

    public TuneSettings withBudget(int episodes) {
        return new TuneSettings(episodes, seed, maxEnergyRatio, neurons, thresholds, delays, alphas, finalists, calibrations, lastLayer);
    }

    public TuneSettings withSeed(long s) {
        return new TuneSettings(budgetEpisodes, s, maxEnergyRatio, neurons, thresholds, delays, alphas, finalists, calibrations, lastLayer);
    }

    public TuneSettings withMaxEnergyRatio(double r) {
        return new TuneSettings(budgetEpisodes, seed, r, neurons, thresholds, delays, alphas, finalists, calibrations, lastLayer);
    }
}
