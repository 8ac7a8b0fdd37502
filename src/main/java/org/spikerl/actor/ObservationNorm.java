package org.spikerl.actor;

/**
 * Observation normalisation of Stable-Baselines3's {@code VecNormalize} (SPEC section 2):
 * {@code clip((o - mean) / sqrt(var + eps), -clip, clip)}, computed in double precision as SB3 does
 * in numpy, then handed to the float32 network.
 */
public record ObservationNorm(double[] mean, double[] var, double eps, double clip) {
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
        if (!(eps > 0) || !(clip > 0)) {
            throw new IllegalArgumentException("observation norm: eps and clip must be > 0");
        }
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
