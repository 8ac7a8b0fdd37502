package org.spikerl.results;

import java.util.List;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.control.EpisodeRunner.Episode;

/**
 * One controller's run, summarised once from the episode loop's result and the actor's operation
 * counts; every writer of {@code org.spikerl.results.format} reads it.
 *
 * @param controller "ann" or "snn"
 * @param episodes finished episodes, in index order
 * @param returns their returns, summarised
 * @param energy counts and prices per control step; null when the run stopped part-way
 * @param spikeRates spike rate of each hidden layer (empty for an ANN; null when incomplete)
 * @param stepsPerSecond environment steps per second of the loop (NaN when incomplete)
 * @param actUsPerStep wall time in {@code act()} per environment step in microseconds (NaN when unknown)
 */
public record RunSummary(String controller, List<Episode> episodes, ReturnStats returns, EnergyStats energy,
                         double[] spikeRates, double stepsPerSecond, double actUsPerStep) {

    /** A finished run. */
    public static RunSummary of(String controller, EpisodeRunner.Result r, long annMacsPerStep, Bootstrap bootstrap) {
        double meanLength = r.episodes().stream().mapToInt(Episode::length).average().orElse(0);
        return new RunSummary(controller, r.episodes(), ReturnStats.of(returnsOf(r.episodes()), bootstrap),
                EnergyStats.of(r.counts(), annMacsPerStep, meanLength), r.counts().spikeRates(), r.stepsPerSecond(),
                r.environmentSteps() > 0 ? r.actSeconds() * 1e6 / r.environmentSteps() : Double.NaN);
    }

    /** A run that failed part-way: only the episodes finished before the failure. */
    public static RunSummary incomplete(String controller, List<Episode> finished, Bootstrap bootstrap) {
        return new RunSummary(controller, List.copyOf(finished), ReturnStats.of(returnsOf(finished), bootstrap),
                null, null, Double.NaN, Double.NaN);
    }

    public boolean complete() {
        return energy != null;
    }

    public double meanReturn() {
        return returns.mean();
    }

    public long[] seeds() {
        return episodes.stream().mapToLong(Episode::seed).toArray();
    }

    static double[] returnsOf(List<Episode> episodes) {
        return episodes.stream().mapToDouble(Episode::ret).toArray();
    }
}
