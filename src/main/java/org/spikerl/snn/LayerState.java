package org.spikerl.snn;

import java.util.Arrays;

/**
 * The state every neuron layer has, and the parts of the life cycle that are the same for every
 * kind: membrane {@code v}, the potential the control step started from {@code v_init}, the
 * episode-start potential {@code v0} (shared, never written) and spike events per neuron.
 * Subclasses add their own parameters and per-step state, the timestep ({@link #step}), the
 * cross-step residual ({@link #residual}), and for {@link #stepConstantInput} the test of which
 * neurons may fire without positive input ({@link #atFireThreshold}) and the fire/reset of a list
 * of neurons ({@link #fireListed}).
 *
 * <p>The constant-input path, for a control step whose input {@code z} is the same at every
 * timestep:
 * <pre>
 *   at the first call:  L = { j : z_j > 0  or  atFireThreshold(j) }     (ascending)
 *   every call:         v_j = v_j + z_j  for every j;  fire/reset for j in L only
 * </pre>
 * A neuron outside {@code L} has {@code z_j <= 0} (or NaN) and cannot fire now; its membrane only
 * falls from here ({@code v + z <= v} in float32 for {@code z <= 0}, rounding being monotone), so
 * it can never fire in this control step, and skipping its test changes nothing. Listing more
 * neurons than {@code L} would change nothing either (a listed neuron is tested as {@link #step}
 * tests it); the list is made without a branch from the sign bit of {@code z_j}, so a NaN input
 * with a clear sign bit is listed too, and, like every NaN membrane, never fires. A kind with a
 * firing period {@code P > 1} only charges at the timesteps between firing ones, on both paths
 * ({@link #firingTimestep}); the argument holds for the charge of any number of timesteps.
 *
 * <p>Thresholds must be finite and {@code > 0} (checked by the constructor): the kinds' listed
 * paths reset by {@code v - s * theta} with {@code s} in {@code {-1, 0, 1}}, which is {@code v}
 * for {@code s = 0} only when {@code theta} is finite.
 */
abstract class LayerState implements NeuronLayer {
    final float[] v0;
    final float[] v;
    final float[] vInit;
    final int[] spikes;
    int spikesThisStep;
    /** Firing period P of the kind (1: every timestep), and timesteps since the last firing one. */
    private final int period;
    private int sinceFiring;
    /** Neurons that can fire in this control step under a constant input ({@link #stepConstantInput}). */
    private final int[] listed;
    private int listedCount = -1;

    /**
     * @param theta the kind's thresholds (its top threshold per neuron), checked to be finite and
     *     {@code > 0}; only read here
     * @param v0 episode-start potentials, one per neuron; shared, never written
     */
    LayerState(String kind, float[] theta, float[] v0) {
        this(kind, theta, v0, 1);
    }

    /** @param period the firing period {@code P >= 1}: the layer fires at timesteps {@code P, 2P, ...} of a control step */
    LayerState(String kind, float[] theta, float[] v0, int period) {
        if (period < 1) {
            throw new IllegalArgumentException(kind + " layer: firing period " + period + ", expected >= 1");
        }
        this.period = period;
        int size = theta.length;
        if (size != v0.length) {
            throw new IllegalArgumentException(kind + " layer: " + size + " thresholds but " + v0.length
                    + " initial potentials");
        }
        this.v0 = v0;
        this.v = new float[size];
        this.vInit = v0.clone();
        this.spikes = new int[size];
        this.listed = new int[size];
        for (int j = 0; j < size; j++) {
            if (!(theta[j] > 0f) || Float.isInfinite(theta[j])) {
                throw new IllegalArgumentException(kind + " layer: threshold of neuron " + j + " is " + theta[j]
                        + ", expected a finite value > 0");
            }
        }
    }

    @Override
    public final int size() {
        return v.length;
    }

    /**
     * Episode start: the residual is zero, so the next control step starts at {@code v_init = v0}
     * (SPEC section 6). The [CRPI] reference code instead carries the last residual of the previous
     * episode into the first step of the next one; SPEC's rule is followed here.
     */
    @Override
    public final void resetEpisode() {
        System.arraycopy(v0, 0, vInit, 0, v0.length);
    }

    /** Control-step start: {@code v_j = v_init_j} (SPEC section 3 step 1), counters zeroed. */
    @Override
    public final void beginControlStep() {
        System.arraycopy(vInit, 0, v, 0, v.length);
        Arrays.fill(spikes, 0);
        spikesThisStep = 0;
        listedCount = -1;
        sinceFiring = 0;
        clearStepState();
    }

    /**
     * Counts this timestep and says whether the layer fires in it: true at timesteps
     * {@code P, 2P, ...} of the control step (always for {@code P = 1}).
     */
    final boolean firingTimestep() {
        if (++sinceFiring < period) {
            return false;
        }
        sinceFiring = 0;
        return true;
    }

    /** A timestep without firing: {@code v = v + z} for every neuron, no event. */
    final int chargeOnly(float[] z) {
        for (int j = 0; j < v.length; j++) {
            v[j] += z[j];
        }
        return 0;
    }

    /**
     * {@inheritDoc} The list is made at the first call after {@link #beginControlStep()} (see the
     * class Javadoc); {@code z} must then keep its values until the next {@link #beginControlStep()},
     * which is what {@link SnnController} does with the analog layer's current. Calls of
     * {@link #step} before it in the same control step are allowed: the list is made from the
     * state they leave.
     */
    @Override
    public final int stepConstantInput(float[] z, int[] eventsOut) {
        if (listedCount < 0) {
            // Without a branch per neuron: about half the neurons have z > 0, in no order a
            // predictor learns. Every j is written; only the listed ones advance the count.
            int count = 0;
            for (int j = 0; j < v.length; j++) {
                listed[count] = j;
                count += (Float.floatToRawIntBits(z[j]) > 0 ? 1 : 0) | (atFireThreshold(j) ? 1 : 0);
            }
            listedCount = count;
        }
        if (!firingTimestep()) {
            return chargeOnly(z);
        }
        for (int j = 0; j < v.length; j++) {
            v[j] += z[j];
        }
        int fired = fireListed(listed, listedCount, eventsOut);
        spikesThisStep += fired;
        return fired;
    }

    /**
     * Whether neuron {@code j} may fire in this control step without positive input, judged from
     * its state before this control step's first constant-input charge: its membrane passes the
     * kind's test for its lowest threshold (the same test as {@link #step}'s), or the kind has other
     * state that lets it fire (a signed neuron that has sent net positive output can send a negative
     * spike however low its membrane goes).
     */
    abstract boolean atFireThreshold(int j);

    /**
     * Fire and reset, after the charge, of the neurons {@code listed[0 .. count)} (ascending), as
     * {@link #step} does for every neuron; the events in ascending order.
     *
     * @return spike events
     */
    abstract int fireListed(int[] listed, int count, int[] eventsOut);

    /** Zeroes the kind's own per-control-step state; nothing by default. */
    void clearStepState() {
    }

    /**
     * Control-step end: with {@code alpha = 0}, {@code r = 0 * m = +-0} and {@code v0 + (+-0) = v0}
     * exactly, so {@code v_init = v0} without the arithmetic; otherwise the kind's
     * {@link #residual}.
     *
     * @return spike events of the whole layer in this control step
     */
    @Override
    public final int endControlStep(float alpha) {
        if (alpha == 0f) {
            System.arraycopy(v0, 0, vInit, 0, v0.length);
        } else {
            residual(alpha);
        }
        return spikesThisStep;
    }

    /** Writes {@code v_init} for the next control step from {@code v}, {@code v_init} and the step's output. */
    abstract void residual(float alpha);

    /**
     * The next control step's start of neuron {@code j}, SPEC 6, float32 in this order:
     * {@code d = v - v_init}, {@code m = max(d, lo)}, {@code r = alpha * m},
     * {@code r = clip(r, -half, half)}, {@code v0 + r}; with {@code Math.max} and {@code Math.min},
     * which HotSpot C2 (JDK 17, x86) compiles without a branch. Ternaries were mispredicted where the
     * residual hits the clip bound in no predictable order (multi-threshold neurons clip at half
     * their smallest level; signed neurons carry charges of both signs): the residual was a fifth
     * of an mt:2,mt:4 control step. The loop reads {@code lo} and {@code half} from float arrays (IF
     * neurons compute {@code theta * n} in a pass of their own first): with an int-to-float
     * conversion in the same loop it was slower than the ternaries.
     *
     * <p>The same values as the ternaries {@code d > lo ? d : lo} and
     * {@code r < -half ? -half : (r > half ? half : r)} that SPEC's pseudocode and
     * {@code envs/snn_reference.py} write, except for a NaN {@code d} (a membrane made NaN by a NaN
     * or overflowing input): the ternary takes {@code lo} and the neuron starts the next control step
     * from a finite potential again, {@code Math.max} gives NaN. {@link #nextStarts} therefore runs
     * {@link #repairNaNStart} over the neurons after this loop (a separate loop, so that a branch
     * that is never taken in practice does not keep this one from vectorising). Otherwise the
     * two forms differ only in the sign of a zero, when {@code d = +0} meets {@code lo = -0} (a neuron
     * that sent nothing and ended where it started), and then {@code r = +-0} meets {@code v0 + r}
     * with {@code v0 >= +0}, which is {@code v0} either way: {@link SpikingActor} turns a fraction of
     * {@code -0} into {@code +0} and thresholds are {@code > 0}. With {@code half > 0} the clip
     * never compares zeros of both signs.
     *
     * @param lo the lower bound of the carried charge: minus what the neuron sent
     * @param half the clip bound, {@code > 0}
     */
    private float nextStart(int j, float lo, float half, float alpha) {
        float m = Math.max(v[j] - vInit[j], lo);
        float r = Math.min(Math.max(alpha * m, -half), half);
        return v0[j] + r;
    }

    /**
     * After a kind's {@link #nextStart} loop: a NaN {@code v_init} came from a NaN {@code d} or a NaN
     * {@code lo}, and the ternaries give {@code v0 + clip(alpha * lo)} in both cases ({@code m = lo},
     * since {@code d > lo} is false), so that is what it becomes.
     */
    private void repairNaNStart(int j, float lo, float half, float alpha) {
        if (vInit[j] != vInit[j]) {
            float r = alpha * lo;
            r = r < -half ? -half : (r > half ? half : r);
            vInit[j] = v0[j] + r;
        }
    }

    /**
     * A kind's {@link #residual}: {@code v_init_j = nextStart(j, -sent_j, half_j, alpha)} for every
     * neuron, then {@link #repairNaNStart}.
     *
     * @param sent what each neuron sent in this control step ({@code lo = -sent})
     * @param half each neuron's clip bound, {@code > 0}
     */
    final void nextStarts(float[] sent, float[] half, float alpha) {
        for (int j = 0; j < v.length; j++) {
            vInit[j] = nextStart(j, -sent[j], half[j], alpha);
        }
        for (int j = 0; j < v.length; j++) {
            repairNaNStart(j, -sent[j], half[j], alpha);
        }
    }

    @Override
    public final float[] membrane() {
        return v;
    }

    @Override
    public final float[] initialPotential() {
        return vInit;
    }

    @Override
    public final int[] spikeCounts() {
        return spikes;
    }

    /** Spike events of the whole layer in the current control step. */
    public final int spikesThisStep() {
        return spikesThisStep;
    }
}
