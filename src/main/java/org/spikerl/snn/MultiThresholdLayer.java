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
    /**
     * {@code sums[(j << N) + q]}: the float32 {@code x} of the level loop of neuron {@code j} when
     * the levels it fires are the bits of {@code q} (level {@code i} is bit {@code N - i}, level 1
     * the highest): the fired {@code lambda_i} added in level order from {@code +0}, as the loop
     * adds them (adding the {@code +0} of a level that does not fire changes nothing).
     */
    private final float[] sums;
    /** {@code 2^N - 1}: every level fires. */
    private final int topQ;
    /**
     * Every neuron has {@code lambda_i = 2 lambda_(i+1)} exactly, which {@link #fireDigits} needs;
     * false only when a subnormal threshold made a level round, and then {@link #levelLoop} runs.
     */
    private final boolean digits;

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
        this.topQ = (1 << thresholds) - 1;
        this.sums = new float[theta.length << thresholds];
        boolean exact = true;
        for (int j = 0; j < theta.length; j++) {
            for (int i = 0; i < thresholds; i++) {
                exact &= (double) lambda[j * thresholds + i] == Math.scalb((double) smallest[j], thresholds - 1 - i);
            }
            for (int q = 0; q <= topQ; q++) {
                float x = 0f;
                for (int i = 0; i < thresholds; i++) {
                    if (((q >>> (thresholds - 1 - i)) & 1) != 0) {
                        x = x + lambda[j * thresholds + i];
                    }
                }
                sums[(j << thresholds) + q] = x;
            }
        }
        this.digits = exact;
        this.sent = new float[theta.length];
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
     * {@code m_1 = v + z} of every neuron (a loop that vectorises), then {@link #fire} for the
     * neurons with {@code m_1 >= lambda_N}, in ascending order, so events keep the order
     * {@code j * N + (i - 1)}. A neuron below {@code lambda_N} fires no level and keeps
     * {@code v = m_1 - 0 = m_1}, {@code sent + 0 = sent}, which is what skipping it leaves; so does
     * a NaN charge, which fails every comparison. The test is a branch: at a few percent of
     * neurons per timestep it is well predicted, and a branch-free charge pass that collected a
     * bit mask cost three times as much per timestep as the whole IF step ({@code bench latency}:
     * 12.6 us for {@code mt:2@2,mt:4} on the CRPI Hopper actor at T = 8 before this change).
     */
    @Override
    public int step(float[] z, int[] eventsOut) {
        if (!firingTimestep()) {
            return chargeOnly(z);
        }
        for (int j = 0; j < v.length; j++) {
            v[j] += z[j];
        }
        int fired = 0;
        for (int j = 0; j < v.length; j++) {
            if (v[j] >= smallest[j]) {
                fired = fire(j, eventsOut, fired);
            }
        }
        spikesThisStep += fired;
        return fired;
    }

    /**
     * The level loop of the class Javadoc for neuron {@code j} with charge {@code m_1 = v[j]}, for
     * {@code m_1 >= lambda_N} or NaN; returns {@code fired} plus its events.
     */
    private int fire(int j, int[] eventsOut, int fired) {
        return digits ? fireDigits(j, eventsOut, fired) : levelLoop(j, eventsOut, fired);
    }

    /**
     * The level loop of the class Javadoc for neuron {@code j} with charge {@code m_1 = v[j]}, for
     * any charge ({@link #fireListed} calls it without a test); returns {@code fired} plus its events. Computed, with the
     * same values, from {@code q = min(trunc(m_1 / lambda_N), 2^N - 1)} (the division in double):
     * the levels that fire are the binary digits of {@code q}, level 1 the highest, and
     * {@code x = sums[j][q]}. Why this is the loop, with {@code u = lambda_N} and
     * {@code lambda_i = u * 2^(N-i)} exactly ({@link #digits}: dividing a normal float by a power of
     * two is exact, and the constructor checks it, since a subnormal level may round):
     * <ul>
     *   <li>{@code m_1 >= 2 theta}: every level fires in the loop (by induction
     *       {@code m_i >= 2 lambda_i}, since {@code m_i - lambda_i >= lambda_i = 2 lambda_(i+1)}
     *       and rounding is monotone), and {@code m_1 / u >= 2^N} gives {@code q = 2^N - 1}.</li>
     *   <li>{@code 0 <= m_1 < 2 theta}: by induction {@code m_i < 2 lambda_i}, so every
     *       {@code m_i - lambda_i} of a firing level is exact (Sterbenz: {@code lambda_i <= m_i <=
     *       2 lambda_i}), each {@code m_i} is {@code m_1} minus the exact sum of the levels fired
     *       before, and the loop fires the greedy binary digits of {@code m_1 / u}: those of
     *       {@code floor(m_1 / u)}. The double quotient truncates to that floor: if {@code m_1 / u}
     *       is not an integer, {@code m_1} lies at least one ulp of {@code u} (a float has 24
     *       significant bits) below the next multiple {@code k u}, {@code k <= 2^N}, so
     *       {@code m_1 / u <= k - ulp(u) / u <= k - 2^-24}, far from rounding up to {@code k} in 53 bits.</li>
     *   <li>{@code m_1 < lambda_N} (also negative: {@code (int)} of a negative quotient is
     *       negative, hence the clamp at 0): no level fires, {@code q = 0}, {@code x = sums[j][0] = +0}.</li>
     *   <li>{@code m_1 = +inf}: every level fires and {@code x} is finite, as {@code q = 2^N - 1}
     *       (a double-to-int conversion saturates); NaN: no level fires, {@code x = +0}, and
     *       {@code (int) NaN = 0}.</li>
     * </ul>
     * The events of the {@code N} levels are written without a loop: a loop this short cost more
     * than its body. The {@code switch} enters an eight-slot sequence at slot {@code 8 - N} and
     * falls through to the end; slot {@code p} is level {@code p - (8 - N)} (0-based), written at
     * {@code eventsOut[fired]}, and {@code fired} advances by that level's digit, bit {@code 7 - p}
     * of {@code q}, as the loop does.
     * {@code MultiThresholdLayerTest} checks it against the loop on charges at and around every
     * multiple of {@code u}.
     */
    private int fireDigits(int j, int[] eventsOut, int fired) {
        float m1 = v[j];
        int q = Math.max(0, Math.min((int) ((double) m1 / smallest[j]), topQ));
        float x = sums[(j << n) + q];
        // Slot p (0..7) is level i = p - (8 - N) (0-based), which fires when bit N - 1 - i = 7 - p of q is set.
        int e = j * n + n - 8;
        int f = fired;
        switch (n) {
            case 8:
                eventsOut[f] = e;
                f += (q >>> 7) & 1;
            case 7:
                eventsOut[f] = e + 1;
                f += (q >>> 6) & 1;
            case 6:
                eventsOut[f] = e + 2;
                f += (q >>> 5) & 1;
            case 5:
                eventsOut[f] = e + 3;
                f += (q >>> 4) & 1;
            case 4:
                eventsOut[f] = e + 4;
                f += (q >>> 3) & 1;
            case 3:
                eventsOut[f] = e + 5;
                f += (q >>> 2) & 1;
            default:
                eventsOut[f] = e + 6;
                f += (q >>> 1) & 1;
                eventsOut[f] = e + 7;
                f += q & 1;
        }
        spikes[j] += Integer.bitCount(q);
        v[j] = m1 - x;
        sent[j] = sent[j] + x;
        return f;
    }

    /** The level loop of the class Javadoc as written, for a layer whose levels are not exact halves ({@link #digits}). */
    private int levelLoop(int j, int[] eventsOut, int fired) {
        float m1 = v[j];
        int base = j * n;
        float m = m1;
        float x = 0f;
        int f = fired;
        for (int i = 0; i < n; i++) {
            float lam = lambda[base + i];
            if (m >= lam) {
                m = m - lam;
                x = x + lam;
                eventsOut[f++] = base + i;
                spikes[j]++;
            }
        }
        v[j] = m1 - x;
        sent[j] = sent[j] + x;
        return f;
    }

    /** {@link #step}'s test on the membrane: {@code v >= lambda_N}. */
    @Override
    boolean atFireThreshold(int j) {
        return reachesSmallest(j);
    }

    private boolean reachesSmallest(int j) {
        return v[j] >= smallest[j];
    }

    /**
     * {@link #fireDigits} for each listed neuron, without {@link #step}'s test: a listed neuron of the
     * analog-driven first layer reaches {@code lambda_N} in about a third of timesteps, in no order
     * a branch predictor learns. Below {@code lambda_N} (or NaN) the digits give {@code q = 0}
     * (clamped from below: {@code (int)} of a negative quotient is negative), no event,
     * {@code x = sums[j][0] = +0}, so {@code v = m_1 - 0 = m_1} and {@code sent + 0 = sent}: what
     * skipping the neuron leaves. A layer without exact digits tests first, as {@link #step} does.
     */
    @Override
    int fireListed(int[] listed, int count, int[] eventsOut) {
        int fired = 0;
        if (!digits) {
            for (int i = 0; i < count; i++) {
                int j = listed[i];
                if (reachesSmallest(j)) {
                    fired = levelLoop(j, eventsOut, fired);
                }
            }
            return fired;
        }
        for (int i = 0; i < count; i++) {
            fired = fireDigits(listed[i], eventsOut, fired);
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
