package org.spikerl.convert;

import org.spikerl.SpikerlException;

/** Helpers shared by the threshold methods. */
final class Thresholds {
    private Thresholds() {
    }

    /**
     * The zero-threshold rule of {@link ThresholdMethod}: a neuron with {@code theta <= 0} (never
     * active on the calibration set) takes its layer's largest threshold; a layer whose largest
     * threshold is not positive is an error. Modifies and returns {@code theta}.
     */
    static float[][] positive(float[][] theta, String method) {
        for (int l = 0; l < theta.length; l++) {
            positive(theta[l], l, method);
        }
        return theta;
    }

    /** The same rule for hidden layer {@code l} (0-based) alone; modifies and returns {@code t}. */
    static float[] positive(float[] t, int l, String method) {
        float layerMax = 0f;
        for (float v : t) {
            if (Float.isNaN(v) || Float.isInfinite(v)) {
                throw new SpikerlException("threshold method " + method + ": hidden layer " + (l + 1)
                        + " got a non-finite threshold " + v + "; the calibration activations are not finite");
            }
            layerMax = Math.max(layerMax, v);
        }
        if (!(layerMax > 0f)) {
            throw new SpikerlException("threshold method " + method + ": hidden layer " + (l + 1)
                    + " has no positive activation on the calibration set, expected at least one");
        }
        for (int j = 0; j < t.length; j++) {
            if (!(t[j] > 0f)) {
                t[j] = layerMax;
            }
        }
        return t;
    }

    /** A number for a spec string: integers without ".0". */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
