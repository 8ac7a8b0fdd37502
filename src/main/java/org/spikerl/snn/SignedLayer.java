package org.spikerl.snn;

import java.util.Arrays;

/**
 * A layer of signed neurons with memory (SPEC section 10; [SNM] Wang et al., IJCAI 2022): a
 * negative spike undoes an earlier positive one when the membrane falls to {@code -theta}, so an
 * early overshoot (a spike the input did not, in the end, justify) is corrected within the step.
 *
 * <p>Each timestep, float32, in this order:
 * <pre>
 *   v = v + z                                           charge
 *   s = +theta  if v >= theta                           fire (>= as [SNM] writes it)
 *       -theta  if v <= -theta and net > 0              negative spike only after net positive output
 *       0       otherwise
 *   v = v - theta (s = +theta)  or  v = v + theta (s = -theta)     reset by subtraction of s
 *   net = net + 1 or net - 1;  sent = theta * net       net output so far, in spikes and as a float
 * </pre>
 * Event {@code 2j} is neuron {@code j}'s positive spike, {@code 2j + 1} its negative one; the next
 * layer adds {@code +theta W[:, j]} or {@code -theta W[:, j]}: one SOP per outgoing synapse either way.
 *
 * <p>{@code net} is an integer (positive minus negative spikes of this control step, never below
 * 0) and {@code sent = theta * net} one float32 multiply, as the IF neuron's {@code theta * n}.
 * SPEC's {@code sent += s} written as a float accumulator would not return to exactly 0 after
 * {@code k} positive and {@code k} negative spikes (for about a third of thresholds with
 * {@code k >= 3}, {@code ((3 theta) - theta) - theta - theta} rounds to a tiny positive value), and
 * its gate {@code sent > 0} would then let a neuron with zero net output emit a negative spike;
 * {@code theta * net > 0} holds exactly when {@code net > 0}.
 *
 * <p>Residual [CRPI], SPEC 6 with {@code theta * n} read as the net output sent, float32 in this
 * order: {@code d = v - v_init}, {@code lo = -sent}, {@code m = max(d, lo)}, {@code r = alpha * m},
 * {@code r = clip(r, -0.5 theta, 0.5 theta)}, {@code v_init = v0 + r} ({@code v_init = v0} when
 * {@code alpha = 0}). {@code sent} only counts this control step: a negative spike never cancels the
 * output of an earlier control step, whose action has already been taken.
 */
public final class SignedLayer extends LayerState {
    private final float[] theta;
    private final float[] sent;
    /** The residual's clip bounds {@code theta / 2}. */
    private final float[] halfTheta;
    private final int[] net;
    /**
     * {@code -theta} where {@code net > 0}, NaN elsewhere: {@code v <= gate} is the negative spike's
     * condition in {@link #step}. {@link #fireListed} does not keep it (it tests {@code net}
     * itself) and marks it stale instead.
     */
    private final float[] gate;
    private boolean gateStale;

    /**
     * @param theta thresholds, all {@code > 0}; shared, never written
     * @param v0 episode-start potentials; shared, never written
     */
    public SignedLayer(float[] theta, float[] v0) {
        super("signed", theta, v0);
        this.theta = theta;
        this.halfTheta = new float[theta.length];
        for (int j = 0; j < theta.length; j++) {
            halfTheta[j] = 0.5f * theta[j];
        }
        this.sent = new float[theta.length];
        this.net = new int[theta.length];
        this.gate = new float[theta.length];
        Arrays.fill(gate, Float.NaN);
    }

    @Override
    public int levels() {
        return 2;
    }

    @Override
    void clearStepState() {
        Arrays.fill(sent, 0f);
        Arrays.fill(net, 0);
        Arrays.fill(gate, Float.NaN);
        gateStale = false;
    }

    @Override
    public int step(float[] z, int[] eventsOut) {
        for (int j = 0; j < v.length; j++) {
            v[j] += z[j];
        }
        if (gateStale) {
            for (int j = 0; j < v.length; j++) {
                gate[j] = net[j] > 0 ? -theta[j] : Float.NaN;
            }
            gateStale = false;
        }
        int fired = 0;
        for (int j = 0; j < v.length; j++) {
            float vj = v[j];
            if (vj >= theta[j] | vj <= gate[j]) {
                float th = theta[j];
                int n;
                if (vj >= th) {
                    v[j] = vj - th;
                    n = ++net[j];
                    eventsOut[fired++] = 2 * j;
                } else {
                    v[j] = vj + th;
                    n = --net[j];
                    eventsOut[fired++] = 2 * j + 1;
                }
                sent[j] = th * n;
                gate[j] = n > 0 ? -th : Float.NaN;
                spikes[j]++;
            }
        }
        spikesThisStep += fired;
        return fired;
    }

    /** {@code v >= theta}, or net positive output sent (a {@link #step} earlier in the control step). */
    @Override
    boolean atFireThreshold(int j) {
        return v[j] >= theta[j] || net[j] > 0;
    }

    /**
     * The fire/reset of {@link #step} without branches (a listed neuron fires in about a third of
     * timesteps): {@code d} is {@code +1}, {@code -1} or {@code 0}, and {@code v - d * theta} is
     * {@code v - theta}, {@code v + theta} or {@code v - 0 = v}, exactly; {@code sent = theta * net}
     * as in {@link #step}.
     */
    @Override
    int fireListed(int[] listed, int count, int[] eventsOut) {
        gateStale = true;
        int fired = 0;
        for (int i = 0; i < count; i++) {
            int j = listed[i];
            float vj = v[j];
            float th = theta[j];
            int n = net[j];
            int up = vj >= th ? 1 : 0;
            int down = (n > 0 & vj <= -th) ? 1 : 0;
            int d = up - down;
            v[j] = vj - d * th;
            n += d;
            net[j] = n;
            sent[j] = th * n;
            int e = up | down;
            spikes[j] += e;
            eventsOut[fired] = 2 * j + down;
            fired += e;
        }
        return fired;
    }

    @Override
    void residual(float alpha) {
        nextStarts(sent, halfTheta, alpha);
    }

    @Override
    public void emitted(float[] out) {
        System.arraycopy(sent, 0, out, 0, sent.length);
    }

    /** Net output sent by each neuron in the current control step, {@code theta * net}; live view. */
    public float[] sent() {
        return sent;
    }

    /**
     * Net spikes of each neuron in the current control step (positive minus negative, {@code >= 0});
     * live view. Negative spikes of neuron {@code j}: {@code (spikeCounts()[j] - netSpikes()[j]) / 2}.
     */
    public int[] netSpikes() {
        return net;
    }
}
