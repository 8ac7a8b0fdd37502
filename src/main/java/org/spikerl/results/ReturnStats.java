package org.spikerl.results;

import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * The returns of one run's episodes, summarised. {@code std} is the population standard deviation
 * (ddof = 0), as Stable-Baselines3's {@code evaluate_policy} reports it.
 *
 * @param returns per-episode returns, in episode order
 * @param mean mean return (NaN for no episodes)
 * @param std population standard deviation of the returns (NaN for no episodes)
 * @param meanCi95 bootstrap interval of the mean; null with fewer than 2 episodes
 * @param iqm interquartile mean ({@link Bootstrap#iqm})
 */
public record ReturnStats(double[] returns, double mean, double std, Interval meanCi95, double iqm) {

    public static ReturnStats of(double[] returns, Bootstrap bootstrap) {
        if (returns.length == 0) {
            return new ReturnStats(returns, Double.NaN, Double.NaN, null, Double.NaN);
        }
        return new ReturnStats(returns.clone(), new Mean().evaluate(returns),
                new StandardDeviation(false).evaluate(returns), bootstrap.mean(returns), Bootstrap.iqm(returns));
    }

    public int count() {
        return returns.length;
    }
}
