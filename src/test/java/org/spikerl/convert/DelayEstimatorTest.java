package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SPEC section 5 [Bu Eq. 18-19]. */
class DelayEstimatorTest {
    /**
     * Layer 1: theta = [2, 4, 12], v0 = theta/2, so theta - v0 = [1, 2, 6]; mean ReLU = [.5, .25, 0],
     * fastest mean input .5. Layer 2: theta 1, v0 .5, mean .25: term .5/.25 = 2 for every reduction.
     * <pre>
     * MAX:        6/.5 = 12  + 2 = 14
     * MEAN:       3/.5 = 6   + 2 = 8
     * MEDIAN:     2/.5 = 4   + 2 = 6
     * NEURON_MIN: min(1/.5, 2/.25) = 2 (neuron 2 has mean 0, skipped) + 2 = 4
     * </pre>
     */
    @Test
    void estimateWithEveryReduction() {
        float[][] theta = {{2, 4, 12}, {1}};
        float[][] v0 = {{1, 2, 6}, {0.5f}};
        double[][] mean = {{0.5, 0.25, 0}, {0.25}};
        assertEquals(14, DelayEstimator.estimate(theta, v0, mean, DelayReduction.MAX), 1e-12);
        assertEquals(8, DelayEstimator.estimate(theta, v0, mean, DelayReduction.MEAN), 1e-12);
        assertEquals(6, DelayEstimator.estimate(theta, v0, mean, DelayReduction.MEDIAN), 1e-12);
        assertEquals(4, DelayEstimator.estimate(theta, v0, mean, DelayReduction.NEURON_MIN), 1e-12);
    }

    @Test
    void layerNeverActiveGivesInfiniteEstimate() {
        double est = DelayEstimator.estimate(new float[][] {{2}}, new float[][] {{1}}, new double[][] {{0}},
                DelayReduction.MEAN);
        assertEquals(Double.POSITIVE_INFINITY, est);
        assertEquals(4, DelayEstimator.delay(8, est));
    }

    /** if T < t0_est + 4: t0 = max(T - 4, 0), else round(t0_est). */
    @Test
    void delayRuleBothBranches() {
        assertEquals(4, DelayEstimator.delay(8, 4.0), "8 >= 4 + 4: round(4)");
        assertEquals(4, DelayEstimator.delay(8, 6.0), "8 < 6 + 4: T - 4");
        assertEquals(6, DelayEstimator.delay(16, 6.0), "16 >= 10: round(6)");
        assertEquals(0, DelayEstimator.delay(3, 8.0), "3 < 12: max(3 - 4, 0)");
        assertEquals(3, DelayEstimator.delay(16, 2.5), "round half up");
        assertEquals(2, DelayEstimator.delay(16, 2.49));
        assertEquals(0, DelayEstimator.delay(1, 0.0), "T = 1 < 0 + 4: max(-3, 0)");
    }

    @Test
    void reductionNames() {
        assertEquals(DelayReduction.NEURON_MIN, DelayReduction.parse("neuron-min"));
        assertEquals("mean", DelayReduction.DEFAULT.cliName());
        assertEquals("delay reduction 'avg': expected max, mean, median or neuron-min",
                org.junit.jupiter.api.Assertions.assertThrows(org.spikerl.SpikerlException.class,
                        () -> DelayReduction.parse("avg")).getMessage());
    }
}
