package org.spikerl.snn;

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
public final class IfLayer extends LayerState {
    private final float[] theta;
    private final ResetMode resetMode;
    /** {@code theta_j * n_j}, what each neuron sent, for the residual; computed in a pass of its own ({@link LayerState#nextStarts}). */
    private final float[] sentScratch;
    /** The residual's clip bounds {@code theta / 2}. */
    private final float[] halfTheta;

    /**
     * @param theta thresholds, all {@code > 0}; shared, never written
     * @param v0 episode-start potentials; shared, never written
     */
    public IfLayer(float[] theta, float[] v0, ResetMode resetMode) {
        super("IF", theta, v0);
        this.theta = theta;
        this.resetMode = resetMode;
        this.sentScratch = new float[theta.length];
        this.halfTheta = new float[theta.length];
        for (int j = 0; j < theta.length; j++) {
            halfTheta[j] = 0.5f * theta[j];
        }
    }

    /** One spike level: {@code x = theta}; events are neuron indices. */
    @Override
    public int levels() {
        return 1;
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

    @Override
    boolean atFireThreshold(int j) {
        return v[j] > theta[j];
    }

    /**
     * The fire/reset of {@link #step} without branches: a listed neuron fires in about a third of
     * timesteps, too often for a predicted branch. {@code v - s * theta} with {@code s} in
     * {@code {0, 1}} is {@code v - theta} or {@code v - 0 = v}, exactly.
     */
    @Override
    int fireListed(int[] listed, int count, int[] spikedOut) {
        int fired = 0;
        switch (resetMode) {
            case SUBTRACT -> fired = fireListedSubtract(listed, count, spikedOut);
        }
        return fired;
    }

    private int fireListedSubtract(int[] listed, int count, int[] spikedOut) {
        int fired = 0;
        for (int i = 0; i < count; i++) {
            int j = listed[i];
            float vj = v[j];
            float th = theta[j];
            int s = vj > th ? 1 : 0;
            v[j] = vj - s * th;
            spikes[j] += s;
            spikedOut[fired] = j;
            fired += s;
        }
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
     * {@code alpha = 0} gives {@code r = 0}: the plain converter ({@link LayerState#endControlStep}
     * skips the arithmetic then).
     */
    @Override
    void residual(float alpha) {
        // -(theta * n) is (-theta) * n exactly: negation commutes with a rounded product.
        for (int j = 0; j < v.length; j++) {
            sentScratch[j] = theta[j] * spikes[j];
        }
        nextStarts(sentScratch, halfTheta, alpha);
    }

    /** {@code out_j = theta_j * n_j}. */
    @Override
    public void emitted(float[] out) {
        for (int j = 0; j < theta.length; j++) {
            out[j] = theta[j] * spikes[j];
        }
    }

    public ResetMode resetMode() {
        return resetMode;
    }
}
