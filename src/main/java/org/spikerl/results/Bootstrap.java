package org.spikerl.results;

import java.util.Arrays;
import java.util.function.ToDoubleBiFunction;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;
import org.spikerl.SpikerlException;

/**
 * Percentile bootstrap confidence intervals (Efron and Tibshirani, <i>An Introduction to the
 * Bootstrap</i>, 1993, ch. 13): draw {@code resamples} samples of the n episodes with replacement,
 * compute the statistic on each, and take the {@code (1 - level) / 2} and {@code (1 + level) / 2}
 * quantiles of those values (linear interpolation between order statistics, Hyndman and Fan's
 * definition 7, which is numpy's default). Seeded: the same inputs give the same interval.
 *
 * <p>Two statistics: the mean of one sample, and the ratio of two paired samples' means, where
 * pair i is episode i of both controllers on the same seed, so one resample draws the same
 * episode indices for both (the pairing cancels what the seed alone decides, e.g. a hard start).
 *
 * @param resamples bootstrap resamples
 * @param seed seed of the resampling generator (Commons Math's WELL19937c)
 * @param level coverage, e.g. 0.95
 */
public record Bootstrap(int resamples, long seed, double level) {
    public static final int DEFAULT_RESAMPLES = 10_000;
    public static final long DEFAULT_SEED = 0;
    public static final double DEFAULT_LEVEL = 0.95;
    /** 10,000 resamples, seed 0, 95%: what every output of the project reports. */
    public static final Bootstrap DEFAULTS = new Bootstrap(DEFAULT_RESAMPLES, DEFAULT_SEED, DEFAULT_LEVEL);

    public Bootstrap {
        if (resamples < 100) {
            throw new SpikerlException("bootstrap resamples must be >= 100, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new SpikerlException("bootstrap level must be in (0, 1), got " + level);
        }
    }

    /** How the outputs name the method. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "percentile bootstrap, %d resamples, seed %d, %.0f%%",
                resamples, seed, level * 100);
    }

    /** Interval of the mean of {@code x}; null with fewer than 2 values (no spread to resample). */
    public Interval mean(double[] x) {
        if (x.length < 2) {
            return null;
        }
        return resample(x.length, (idx, n) -> {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += x[idx[i]];
            }
            return s / n;
        });
    }

    /**
     * Interval of {@code mean(num) / mean(den)} with pairs resampled together; null with fewer than
     * 2 pairs. Resamples whose denominator mean is 0 give no ratio and are left out.
     */
    public Interval ratioOfMeans(double[] num, double[] den) {
        if (num.length != den.length) {
            throw new IllegalArgumentException("paired samples of different sizes: " + num.length + ", " + den.length);
        }
        if (num.length < 2) {
            return null;
        }
        return resample(num.length, (idx, n) -> {
            double a = 0;
            double b = 0;
            for (int i = 0; i < n; i++) {
                a += num[idx[i]];
                b += den[idx[i]];
            }
            return b == 0 ? Double.NaN : a / b;
        });
    }

    private Interval resample(int n, ToDoubleBiFunction<int[], Integer> statistic) {
        RandomGenerator rng = new Well19937c(seed);
        double[] values = new double[resamples];
        int kept = 0;
        int[] idx = new int[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                idx[i] = rng.nextInt(n);
            }
            double v = statistic.applyAsDouble(idx, n);
            if (!Double.isNaN(v)) {
                values[kept++] = v;
            }
        }
        if (kept == 0) {
            return null;
        }
        double[] v = Arrays.copyOf(values, kept);
        Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
        p.setData(v);
        double tail = (1 - level) / 2 * 100;
        return new Interval(p.evaluate(tail), p.evaluate(100 - tail));
    }

    /**
     * Interquartile mean: the mean of the middle half of the sorted values, a quarter
     * ({@code floor(n / 4)} values) cut from each end, as {@code scipy.stats.trim_mean(x, 0.25)}
     * computes it; robust to one fall in ten episodes, and recommended for RL results by Agarwal et
     * al., "Deep Reinforcement Learning at the Edge of the Statistical Precipice", NeurIPS 2021.
     * NaN for no values.
     */
    public static double iqm(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double[] s = x.clone();
        Arrays.sort(s);
        int cut = x.length / 4;
        double sum = 0;
        for (int i = cut; i < s.length - cut; i++) {
            sum += s[i];
        }
        return sum / (s.length - 2 * cut);
    }
}
