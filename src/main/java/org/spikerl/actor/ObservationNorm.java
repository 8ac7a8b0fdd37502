package org.spikerl.actor;

/**
 * Observation normalisation of Stable-Baselines3's {@code VecNormalize} (SPEC section 2):
 * {@code clip((o - mean) / sqrt(var + eps), -clip, clip)}, computed in double precision as SB3 does
 * in numpy, then handed to the float32 network.
 *
 * @param origin where the statistics were read from, for provenance; {@code null} when not from a
 *        file of their own (built in code, or carried inside a converted controller)
 */
public record ObservationNorm(double[] mean, double[] var, double eps, double clip, Origin origin) {

    /**
     * Where statistics came from.
     *
     * @param kind how they were read ({@code vecnormalize-pickle}, {@code json}, {@code sidecar})
     * @param file the file, absolute
     * @param sha256 SHA-256 of that file
     * @param how how the file was found ({@code --normalization}, {@code beside the zip (RL Zoo layout)}, ...)
     */
    public record Origin(String kind, String file, String sha256, String how) {
    }

    /** Statistics without a file of their own. */
    public ObservationNorm(double[] mean, double[] var, double eps, double clip) {
        this(mean, var, eps, clip, null);
    }

    /** SB3 VecNormalize defaults: eps = 1e-8, clip_obs = 10. */
    public static final double DEFAULT_EPS = 1e-8;
    public static final double DEFAULT_CLIP = 10.0;

    public ObservationNorm {
        if (mean.length != var.length) {
            throw new IllegalArgumentException("observation norm: mean has " + mean.length
                    + " entries but var has " + var.length);
        }
        for (double v : var) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("observation norm: var must be finite and >= 0, got " + v);
            }
        }
        for (double m : mean) {
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("observation norm: mean must be finite, got " + m);
            }
        }
        if (!(eps > 0) || !(clip > 0)) {
            throw new IllegalArgumentException("observation norm: eps and clip must be > 0");
        }
    }

    /** The same statistics, recorded as read from {@code from}. */
    public ObservationNorm withOrigin(Origin from) {
        return new ObservationNorm(mean, var, eps, clip, from);
    }

    public int size() {
        return mean.length;
    }

    /** Writes the normalised observation into {@code out}; allocates nothing. */
    public void apply(double[] obs, float[] out) {
        for (int i = 0; i < mean.length; i++) {
            double x = (obs[i] - mean[i]) / Math.sqrt(var[i] + eps);
            out[i] = (float) Math.max(-clip, Math.min(clip, x));
        }
    }
}
