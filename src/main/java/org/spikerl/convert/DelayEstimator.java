package org.spikerl.convert;

import java.util.Arrays;

/**
 * Third conversion stage: the readout delay {@code t0} of SPEC section 5 [Bu Eq. 18-19].
 * The denominators are the ANN's mean activations {@code mean_D ReLU(z_l,j)} over the calibration
 * set (unclipped pre-activations of the ANN forward pass).
 */
public final class DelayEstimator {
    private DelayEstimator() {
    }

    /**
     * {@code t0_est = sum over hidden layers l of (theta_l - v0_l) / max_j mean_D ReLU(z_l,j)}, with
     * per-neuron thresholds reduced as {@code reduction} says (see {@link DelayReduction}). A layer
     * whose neurons are never active on average gives {@code +infinity} (the delay rule then falls
     * back to {@code T - 4}).
     *
     * @param theta thresholds per hidden layer and neuron
     * @param v0 episode-start potentials per hidden layer and neuron
     * @param meanRelu {@code mean_D ReLU(z_l,j)} per hidden layer and neuron
     */
    public static double estimate(float[][] theta, float[][] v0, double[][] meanRelu, DelayReduction reduction) {
        double sum = 0;
        for (int l = 0; l < theta.length; l++) {
            int n = theta[l].length;
            double[] charge = new double[n];
            for (int j = 0; j < n; j++) {
                charge[j] = (double) theta[l][j] - v0[l][j];
            }
            double fastest = 0;
            for (double m : meanRelu[l]) {
                fastest = Math.max(fastest, m);
            }
            double term;
            switch (reduction) {
                case MAX -> term = Arrays.stream(charge).max().orElseThrow() / fastest;
                case MEAN -> term = Arrays.stream(charge).average().orElseThrow() / fastest;
                case MEDIAN -> term = median(charge) / fastest;
                case NEURON_MIN -> {
                    term = Double.POSITIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        if (meanRelu[l][j] > 0) {
                            term = Math.min(term, charge[j] / meanRelu[l][j]);
                        }
                    }
                }
                default -> throw new AssertionError(reduction);
            }
            if (!(fastest > 0)) {
                term = Double.POSITIVE_INFINITY;
            }
            sum += term;
        }
        return sum;
    }

    /**
     * The delay rule of SPEC section 5: if {@code T < t0_est + 4} then {@code t0 = max(T - 4, 0)},
     * else {@code t0 = round(t0_est)} (half up). A non-finite estimate takes the first branch.
     * The result is always in {@code [0, T)}.
     */
    public static int delay(int timesteps, double t0Estimate) {
        if (!(timesteps >= t0Estimate + 4)) {
            return Math.max(timesteps - 4, 0);
        }
        return (int) Math.max(0, Math.round(t0Estimate));
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
