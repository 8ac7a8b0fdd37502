package org.spikerl.results;

import java.util.Arrays;

/**
 * An SNN run against the ANN it came from on the same episode seeds: the average performance ratio
 * (APR = mean SNN return / mean ANN return, SPEC section 9) with a paired bootstrap interval. The
 * energy ratio per preset is in the SNN run's {@link EnergyStats}.
 *
 * @param ann the ANN's run
 * @param snn the SNN's run
 * @param apr mean SNN return over mean ANN return
 * @param aprCi95 paired bootstrap interval of the APR; null with fewer than 2 episodes
 */
public record Comparison(RunSummary ann, RunSummary snn, double apr, Interval aprCi95) {

    /** Refuses runs on different seeds: a ratio of returns on different episodes is no APR. */
    public static Comparison of(RunSummary ann, RunSummary snn, Bootstrap bootstrap) {
        if (!Arrays.equals(ann.seeds(), snn.seeds())) {
            throw new IllegalArgumentException("APR needs the same episode seeds: ANN " + Arrays.toString(ann.seeds())
                    + ", SNN " + Arrays.toString(snn.seeds()));
        }
        double[] a = ann.returns().returns();
        double[] s = snn.returns().returns();
        return new Comparison(ann, snn, snn.meanReturn() / ann.meanReturn(), bootstrap.ratioOfMeans(s, a));
    }
}
