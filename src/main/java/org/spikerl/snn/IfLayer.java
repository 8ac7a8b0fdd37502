package org.spikerl.snn;

import java.util.Arrays;

/**
 * One layer of integrate-and-fire neurons: parameters (thresholds {@code theta_j > 0}, episode-start
 * potentials {@code v0_j}, reset mode) plus flat state (membrane {@code v}, the potential this
 * control step started from {@code v_init}, spikes per neuron in this control step). Every method
 * mutates the state in place and allocates nothing.
 *
 * <p>Life cycle per control step: {@link #beginControlStep()}, {@link #step} once per timestep
 * {@code t = 1..T}, {@link #endControlStep(float)}. {@link #resetEpisode()} at episode start.
 *
 * <p>All arithmetic is float32 in the order written in each method's Javadoc (Java never fuses
 * into FMA), so {@code envs/snn_reference.py} reproduces spike counts bit for bit.
 */
public final class IfLayer implements NeuronLayer {
    private final float[] theta;
    private final float[] v0;
    private final ResetMode resetMode;
    private final float[] v;
    private final float[] vInit;
    private final int[] spikes;
    private int spikesThisStep;

    /**
     * @param theta thresholds, all {@code > 0}; shared, never written
     * @param v0 episode-start potentials; shared, never written
     */
    public IfLayer(float[] theta, float[] v0, ResetMode resetMode) {
        if (theta.length != v0.length) {
            throw new IllegalArgumentException("IF layer: " + theta.length + " thresholds but " + v0.length
                    + " initial potentials");
        }
        this.theta = theta;
        this.v0 = v0;
        this.resetMode = resetMode;
        this.v = new float[theta.length];
        this.vInit = v0.clone();
        this.spikes = new int[theta.length];
    }

    @Override
    public int size() {
        return theta.length;
    }

    /** One spike level: {@code x = theta}; events are neuron indices. */
    @Override
    public int levels() {
        return 1;
    }

    /**
     * Episode start: the residual is zero, so the next control step starts at {@code v_init = v0}
     * (SPEC section 6). The [CRPI] reference code instead carries the last residual of the previous
     * episode into the first step of the next one; SPEC's rule is followed here.
     */
    @Override
    public void resetEpisode() {
        System.arraycopy(v0, 0, vInit, 0, v0.length);
    }

    /** Control-step start: {@code v_j = v_init_j} (SPEC section 3 step 1), spike counters zeroed. */
    @Override
    public void beginControlStep() {
        System.arraycopy(vInit, 0, v, 0, v.length);
        Arrays.fill(spikes, 0);
        spikesThisStep = 0;
    }

    /**
     * One timestep, charge -> fire -> reset [Bu Eq. 2-4], SPEC section 3 step 3:
     * <pre>
     *   v_j += z_j                        charge
     *   s_j  = 1 if v_j > theta_j else 0  fire (strict: v_j == theta_j does not fire)
     *   x_j  = s_j * theta_j              output (the caller adds theta-scaled weight rows)
     *   v_j -= s_j * theta_j              reset by subtraction
     * </pre>
     * Spiking neurons' indices are written to {@code spikedOut} in ascending order, which is the
     * order the next layer accumulates them in.
     *
     * @param z input current of this timestep, one per neuron
     * @param spikedOut receives the indices of the neurons that fired; at least {@link #size()} long
     * @return number of neurons that fired
     */
    @Override
    public int step(float[] z, int[] spikedOut) {
        // Two passes: the charge vectorises; the fire/reset scan is the only branch.
        for (int j = 0; j < v.length; j++) {
            v[j] += z[j];
        }
        int fired = 0;
        switch (resetMode) {
            case SUBTRACT -> {
                for (int j = 0; j < v.length; j++) {
                    if (v[j] > theta[j]) {
                        v[j] -= theta[j];
                        spikes[j]++;
                        spikedOut[fired++] = j;
                    }
                }
            }
        }
        spikesThisStep += fired;
        return fired;
    }

    /**
     * Control-step end: cross-step residual potential [CRPI], SPEC section 6, per neuron with
     * {@code n} spikes in this control step:
     * <pre>
     *   r      = clip(alpha * max(v_end - v_init, -theta * n), -theta/2, theta/2)
     *   v_init = v0 + r        (the next control step's start; SPEC writes theta/2 + r, v0 = theta/2 by default)
     * </pre>
     * float32, in this order: {@code d = v - v_init}, {@code lo = -theta * n}, {@code m = max(d, lo)},
     * {@code r = alpha * m}, {@code r = clip(r, -0.5 * theta, 0.5 * theta)}, {@code v_init = v0 + r}.
     * The clip bounds stay {@code +-theta/2} whatever {@code v0} is, as SPEC states them.
     * {@code alpha = 0} gives {@code r = 0}: the plain converter.
     *
     * @return spikes of the whole layer in this control step
     */
    @Override
    public int endControlStep(float alpha) {
        if (alpha == 0f) {
            // r = 0 * m = +-0 and v0 + (+-0) = v0 exactly: skip the arithmetic.
            System.arraycopy(v0, 0, vInit, 0, v0.length);
            return spikesThisStep;
        }
        // Ternaries, not Math.max/min: same values here (no NaN; a signed zero only ever meets
        // v0 + r), and three times faster on JDK 17.
        for (int j = 0; j < v.length; j++) {
            float th = theta[j];
            float d = v[j] - vInit[j];
            float lo = -th * spikes[j];
            float m = d > lo ? d : lo;
            float r = alpha * m;
            float half = 0.5f * th;
            r = r < -half ? -half : (r > half ? half : r);
            vInit[j] = v0[j] + r;
        }
        return spikesThisStep;
    }

    /** Membrane potentials {@code v}; a live view for tests and diagnostics, do not modify. */
    @Override
    public float[] membrane() {
        return v;
    }

    /** Potentials the current (or, after {@link #endControlStep}, the next) control step starts from; live view. */
    @Override
    public float[] initialPotential() {
        return vInit;
    }

    /** Spikes per neuron in the current control step; live view, do not modify. */
    @Override
    public int[] spikeCounts() {
        return spikes;
    }

    /** {@code out_j = theta_j * n_j}. */
    @Override
    public void emitted(float[] out) {
        for (int j = 0; j < theta.length; j++) {
            out[j] = theta[j] * spikes[j];
        }
    }

    /** Spikes of the whole layer in the current control step. */
    public int spikesThisStep() {
        return spikesThisStep;
    }

    public ResetMode resetMode() {
        return resetMode;
    }
}
