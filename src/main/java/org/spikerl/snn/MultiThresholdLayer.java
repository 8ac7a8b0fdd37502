package org.spikerl.snn;

import java.util.Arrays;

/**
 * A layer of multi-threshold (graded) neurons, {@code N} thresholds each (SPEC section 10;
 * [HMT] Zhang et al., AAAI 2026, the H-MT neuron; [MT] Huang et al. 2024): for neuron {@code j}
 * with threshold {@code theta_j}, {@code lambda_i = theta_j / 2^(i-1)}, {@code i = 1..N}.
 *
 * <p>Each timestep, float32, in this order:
 * <pre>
 *   m_1 = v + z                                   charge
 *   x = 0
 *   for i = 1..N:                                 fire, at most one spike per threshold
 *     s_i = 1 if m_i >= lambda_i else 0           (>= as [HMT] writes it)
 *     if s_i: m_(i+1) = m_i - lambda_i, x = x + lambda_i   else m_(i+1) = m_i
 *   v = m_1 - x                                   reset by subtraction of the output
 *   sent = sent + x                               output so far in this control step
 * </pre>
 * A timestep thus emits {@code x = q * lambda_N} with {@code q} in {@code 0..2^N - 1}: the greedy
 * binary expansion of the charge. Spike event {@code j * N + (i - 1)} carries {@code lambda_i}.
 * The simpler variant of [DCGS]/[MT] (only the largest level with {@code m >= 0.75 lambda_k}) is
 * not implemented: it is a special case in what it can emit, and [HMT] is the form SPEC states first.
 *
 * <p>Start and residual: {@code v0 = v0Fraction * lambda_N} ([HMT]: {@code lambda_N / 2}). At the
 * end of a control step [CRPI], SPEC 6 with the IF neuron's {@code theta * n} read as what the
 * neuron sent and its clip as half the smallest threshold:
 * <pre>
 *   d = v - v_init;  lo = -sent;  m = max(d, lo);  r = alpha * m;
 *   r = clip(r, -lambda_N / 2, lambda_N / 2);  v_init = v0 + r          (v_init = v0 when alpha = 0)
 * </pre>
 * With a firing period {@code P > 1} ({@code mt:N@P}) a timestep {@code t} with {@code t mod P != 0}
 * (counted from 1 in each control step) is the charge alone, {@code v = v + z}, with no comparison
 * and no event; the others are the timestep above, so one firing timestep emits the greedy binary
 * expansion of the charge of the {@code P} timesteps since the last one.
 *
 * <p>For {@code N = 1} every line reduces to {@link IfLayer}'s, except that {@code >=} replaces
 * {@code >} and {@code sent} is a float sum; {@link NeuronModel} therefore requires {@code N >= 2}.
 */
public final class MultiThresholdLayer extends LayerState {
    private final int n;
    private final float[] lambda;
    private final float[] halfUnit;
    private final float[] smallest;
    private final float[] sent;
    private final long[] fireMask;

    /**
     * @param theta top thresholds {@code lambda_1 = theta_j > 0}; shared, never written
     * @param v0 episode-start potentials; shared, never written
     * @param thresholds {@code N >= 2}
     */
    public MultiThresholdLayer(float[] theta, float[] v0, int thresholds) {
        this(theta, v0, thresholds, 1);
    }

    /**
     * @param theta top thresholds {@code lambda_1 = theta_j > 0}; shared, never written
     * @param v0 episode-start potentials; shared, never written
     * @param thresholds {@code N >= 2}
     * @param period firing period {@code P >= 1}: the timesteps between firing ones only charge
     */
    public MultiThresholdLayer(float[] theta, float[] v0, int thresholds, int period) {
        super("MT", theta, v0, period);
        this.n = thresholds;
        this.lambda = new float[theta.length * thresholds];
        this.halfUnit = new float[theta.length];
        this.smallest = new float[theta.length];
        for (int j = 0; j < theta.length; j++) {
            for (int i = 0; i < thresholds; i++) {
                lambda[j * thresholds + i] = theta[j] / (float) (1 << i);
            }
            halfUnit[j] = 0.5f * lambda[j * thresholds + thresholds - 1];
            smallest[j] = lambda[j * thresholds + thresholds - 1];
            if (!(smallest[j] > 0f)) {
                throw new IllegalArgumentException("MT layer: threshold of neuron " + j + " is " + theta[j]
                        + ": its smallest level theta / 2^" + (thresholds - 1) + " underflows to 0");
            }
        }
        this.sent = new float[theta.length];
        this.fireMask = new long[(theta.length + 63) >>> 6];
    }

    @Override
    public int levels() {
        return n;
    }

    @Override
    void clearStepState() {
        Arrays.fill(sent, 0f);
    }

    /**
     * One timestep as in the class Javadoc, in two passes with the same values: the charge
     * {@code m_1 = v + z} of every neuron, stored in {@code v}, with a bit per neuron set when
     * {@code m_1 >= lambda_N} (the sign bit of {@code m_1 - lambda_N} is clear: with
     * {@code lambda_N > 0}, which the constructor checks, a float difference is {@code +0} when its
     * operands are equal and negative, never {@code -0}, when {@code m_1} is smaller); then
     * the level loop for the neurons whose bit is set, in ascending order, so events keep the
     * order {@code j * N + (i - 1)}. A neuron below {@code lambda_N} emits nothing and keeps
     * {@code v = m_1 - 0 = m_1}, {@code sent + 0 = sent}. A NaN charge may take either pass and
     * ends the same way: no event, {@code v} NaN. The charge pass has no data-dependent branch,
     * which is what a firing rate of a few percent per level makes expensive.
     */
    @Override
    public int step(float[] z, int[] eventsOut) {
        if (!firingTimestep()) {
            return chargeOnly(z);
        }
        int size = v.length;
        for (int w = 0; w < fireMask.length; w++) {
            int lo = w << 6;
            int hi = Math.min(size, lo + 64);
            long bits = 0L;
            for (int j = lo; j < hi; j++) {
                float m1 = v[j] + z[j];
                v[j] = m1;
                long fires = (~Float.floatToRawIntBits(m1 - smallest[j]) >>> 31) & 1L;
                bits |= fires << (j - lo);
            }
            fireMask[w] = bits;
        }
        int fired = 0;
        for (int w = 0; w < fireMask.length; w++) {
            long bits = fireMask[w];
            while (bits != 0) {
                int j = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                fired = fire(j, eventsOut, fired);
            }
        }
        spikesThisStep += fired;
        return fired;
    }

    /**
     * The level loop of neuron {@code j} after its charge; returns {@code fired} plus its events.
     * Without branches (the levels a neuron fires are close to random bits): with
     * {@code s = (m >= lambda_i)} in {@code {0, 1}} and {@code d = s * lambda_i}, {@code m - d} and
     * {@code x + d} are {@code m - lambda_i} and {@code x + lambda_i} when the level fires and
     * {@code m - 0 = m}, {@code x + 0 = x} exactly when it does not ({@code x} starts at {@code +0}).
     */
    private int fire(int j, int[] eventsOut, int fired) {
        float m1 = v[j];
        int base = j * n;
        float m = m1;
        float x = 0f;
        int count = 0;
        for (int i = 0; i < n; i++) {
            float lam = lambda[base + i];
            int s = m >= lam ? 1 : 0;
            float d = s * lam;
            m = m - d;
            x = x + d;
            eventsOut[fired] = base + i;
            fired += s;
            count += s;
        }
        spikes[j] += count;
        v[j] = m1 - x;
        sent[j] = sent[j] + x;
        return fired;
    }

    /** {@link #step}'s mask test on the membrane: the sign bit of {@code v - lambda_N} is clear. */
    @Override
    boolean atFireThreshold(int j) {
        return reachesSmallest(j);
    }

    private boolean reachesSmallest(int j) {
        return Float.floatToRawIntBits(v[j] - smallest[j]) >= 0;
    }

    /** The level loop for each listed neuron that passes {@link #step}'s mask test, as {@link #step} runs it. */
    @Override
    int fireListed(int[] listed, int count, int[] eventsOut) {
        int fired = 0;
        for (int i = 0; i < count; i++) {
            int j = listed[i];
            if (reachesSmallest(j)) {
                fired = fire(j, eventsOut, fired);
            }
        }
        return fired;
    }

    @Override
    void residual(float alpha) {
        nextStarts(sent, halfUnit, alpha);
    }

    @Override
    public void emitted(float[] out) {
        System.arraycopy(sent, 0, out, 0, sent.length);
    }

    /** Output sent by each neuron in the current control step ({@code sum of x}); live view. */
    public float[] sent() {
        return sent;
    }
}
