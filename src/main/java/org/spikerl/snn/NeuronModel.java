package org.spikerl.snn;

import java.util.Locale;
import org.spikerl.SpikerlException;

/**
 * The spiking neuron of the hidden layers, as data: its kind, its reset mode and its parameters
 * (SPEC sections 3 and 10). Carried by {@link SpikingActor}, the conversion config, the controller
 * file and {@code envs/snn_reference.py}; {@link #newLayer} builds the matching {@link NeuronLayer}.
 *
 * <h2>Kinds</h2>
 * <ul>
 *   <li>{@code if}: integrate-and-fire, reset by subtraction, strict {@code v > theta} (SPEC 3;
 *       [Bu Eq. 2-4]). One spike level per neuron: {@code x = theta}. {@link IfLayer}.</li>
 *   <li>{@code mt:N}: multi-threshold (graded) neuron with {@code N} thresholds
 *       {@code lambda_i = theta / 2^(i-1)}, at most one spike per threshold per timestep, so one
 *       timestep carries up to {@code 2^N - 1} levels of {@code lambda_N} (SPEC 10; [HMT] Zhang et
 *       al. AAAI 2026; [MT] Huang et al. 2024). {@code N} spike levels per neuron.
 *       {@link MultiThresholdLayer}.</li>
 *   <li>{@code mt:N@P}: the same neuron with firing period {@code P >= 2}: it charges at every
 *       timestep but compares and fires only at timesteps {@code t = P, 2P, ...} of the control step
 *       (so {@code P} must divide {@code T}), emitting the binary expansion of {@code P} timesteps of
 *       charge at once. A graded neuron pays for each firing timestep with the set bits of what it
 *       emits, so one expansion of twice the charge costs fewer events than two expansions of the
 *       charge for about the same resolution (measured in docs/conversion.md). The synchronous, clocked form of
 *       burst firing [Li &amp; Zeng, IJCAI 2022]; the period is this project's choice, not the paper's.
 *       {@link MultiThresholdLayer}.</li>
 *   <li>{@code signed}: a positive spike at {@code v >= theta} and a negative one at
 *       {@code v <= -theta} if the neuron has sent net positive output in this control step
 *       (SPEC 10; [SNM] Wang et al. IJCAI 2022). Two spike levels: {@code +theta}, {@code -theta}.
 *       {@link SignedLayer}.</li>
 * </ul>
 *
 * <h2>Spike levels and events</h2>
 * Neuron {@code j} of a layer has {@link #levels()} spike levels {@code k = 0..levels-1} with
 * values {@link #levelValue}; a spike event is the pair {@code (j, k)}, numbered {@code j * levels + k}.
 * The next layer stores one level-scaled weight row per event number, so every event, whatever
 * its level or sign, costs exactly one add per outgoing synapse: one SOP (SPEC 10, energy).
 *
 * <h2>The unit</h2>
 * {@link #unit} is the smallest threshold ({@code theta} for {@code if} and {@code signed},
 * {@code lambda_N} for {@code mt:N}). The episode-start potential is {@code v0 = v0Fraction * unit}
 * ([HMT]: {@code lambda_N / 2}; SPEC 3: {@code theta / 2}) and the cross-step residual is clipped
 * to {@code +-unit/2}, so that the start potential stays within one smallest quantum as SPEC 6
 * keeps it within one threshold for IF neurons.
 *
 * @param kind the neuron kind
 * @param reset the reset mode; every kind here resets by subtraction
 * @param thresholds thresholds per neuron: 1 for {@code if} and {@code signed}, {@code N} in
 *        {@code 2..}{@value #MAX_THRESHOLDS} for {@code mt:N}
 * @param period the firing period {@code P}: the neuron fires only at timesteps {@code t} with
 *        {@code t mod P = 0}; 1 (every timestep) for every kind, {@code 1..}{@value #MAX_PERIOD} for {@code mt}
 */
public record NeuronModel(Kind kind, ResetMode reset, int thresholds, int period) {
    /** Longest firing period: {@code T} of a table goes up to 16. */
    public static final int MAX_PERIOD = 16;

    /** What follows {@code mt:}: {@code N} or {@code N@P}, one or two digits each. */
    private static final java.util.regex.Pattern MT_SPEC = java.util.regex.Pattern.compile("([0-9]{1,2})(?:@([0-9]{1,2}))?");

    /** Most thresholds of a multi-threshold neuron: {@code lambda_N = theta / 2^(N-1)} stays a normal float32. */
    public static final int MAX_THRESHOLDS = 8;

    /** Today's IF neuron with reset by subtraction: the default, bit for bit the converter of SPEC 3. */
    public static final NeuronModel IF = new NeuronModel(Kind.IF, ResetMode.SUBTRACT, 1);

    /** Signed spikes [SNM]. */
    public static final NeuronModel SIGNED = new NeuronModel(Kind.SIGNED, ResetMode.SUBTRACT, 1);

    /** The neuron kinds. */
    public enum Kind {
        IF("if"), MULTI_THRESHOLD("mt"), SIGNED("signed");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        /** The name in CLI specs and controller files. */
        public String word() {
            return word;
        }
    }

    /** A model that fires at every timestep. */
    public NeuronModel(Kind kind, ResetMode reset, int thresholds) {
        this(kind, reset, thresholds, 1);
    }

    public NeuronModel {
        if (kind == null) {
            throw new SpikerlException("neuron model: kind is missing, expected if, mt:N or signed");
        }
        if (reset != ResetMode.SUBTRACT) {
            throw new SpikerlException("neuron model: reset must be subtract, got " + reset);
        }
        if (kind == Kind.MULTI_THRESHOLD) {
            if (thresholds < 2 || thresholds > MAX_THRESHOLDS) {
                throw new SpikerlException("neuron model: mt needs 2.." + MAX_THRESHOLDS + " thresholds, got " + thresholds);
            }
        } else if (thresholds != 1) {
            throw new SpikerlException("neuron model: " + kind.word() + " has 1 threshold, got " + thresholds);
        }
        if (period < 1 || period > MAX_PERIOD) {
            throw new SpikerlException("neuron model: the firing period must be in 1.." + MAX_PERIOD + ", got " + period);
        }
        if (period != 1 && kind != Kind.MULTI_THRESHOLD) {
            throw new SpikerlException("neuron model: only mt neurons take a firing period, got " + kind.word() + " with " + period);
        }
    }

    /** A multi-threshold neuron with {@code n} thresholds. */
    public static NeuronModel multiThreshold(int n) {
        return new NeuronModel(Kind.MULTI_THRESHOLD, ResetMode.SUBTRACT, n);
    }

    /** A multi-threshold neuron with {@code n} thresholds that fires every {@code period} timesteps. */
    public static NeuronModel multiThreshold(int n, int period) {
        return new NeuronModel(Kind.MULTI_THRESHOLD, ResetMode.SUBTRACT, n, period);
    }

    /** Parses {@code if}, {@code mt:N}, {@code mt:N@P} or {@code signed}; a one-line {@link SpikerlException} otherwise. */
    public static NeuronModel parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("if")) {
            return IF;
        }
        if (s.equals("signed")) {
            return SIGNED;
        }
        if (s.startsWith("mt:")) {
            java.util.regex.Matcher m = MT_SPEC.matcher(s.substring(3));
            if (m.matches()) {
                int k = Integer.parseInt(m.group(1));
                int p = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                if (k >= 2 && k <= MAX_THRESHOLDS && p >= 1 && p <= MAX_PERIOD) {
                    return multiThreshold(k, p);
                }
            }
        }
        throw new SpikerlException("neuron \"" + text + "\": expected if, signed, mt:N or mt:N@P with N in 2.."
                + MAX_THRESHOLDS + " and firing period P in 1.." + MAX_PERIOD);
    }

    /** The CLI form: {@code if}, {@code mt:N}, {@code mt:N@P} ({@code P > 1}), {@code signed}; {@code parse(spec())} equals this model. */
    public String spec() {
        if (kind != Kind.MULTI_THRESHOLD) {
            return kind.word();
        }
        return period == 1 ? "mt:" + thresholds : "mt:" + thresholds + "@" + period;
    }

    /** Firing timesteps of a control step of {@code T} timesteps: {@code T / P}. */
    public int firingTimesteps(int timesteps) {
        return timesteps / period;
    }

    /** Refuses a latency the firing period does not divide (the last timesteps' charge would never be sent). */
    public void checkTimesteps(int timesteps) {
        if (timesteps % period != 0) {
            throw new SpikerlException("neuron " + spec() + ": the firing period " + period + " must divide T, got T = " + timesteps);
        }
    }

    /** Spike levels per neuron (weight rows per sending neuron in the next layer). */
    public int levels() {
        return kind == Kind.SIGNED ? 2 : thresholds;
    }

    /**
     * Value of spike level {@code k} of a neuron with threshold {@code theta}: {@code theta} for
     * {@code if}; {@code lambda_(k+1) = theta / 2^k} for {@code mt} (exact in float32: a division
     * by a power of two); {@code +theta} ({@code k = 0}) and {@code -theta} ({@code k = 1}) for
     * {@code signed}.
     */
    public float levelValue(float theta, int k) {
        return switch (kind) {
            case IF -> theta;
            case MULTI_THRESHOLD -> theta / (float) (1 << k);
            case SIGNED -> k == 0 ? theta : -theta;
        };
    }

    /** The smallest threshold: {@code theta}, or {@code lambda_N = theta / 2^(N-1)} for {@code mt:N}. */
    public float unit(float theta) {
        return kind == Kind.MULTI_THRESHOLD ? theta / (float) (1 << (thresholds - 1)) : theta;
    }

    /** Episode-start potential {@code v0 = fraction * unit(theta)} in float32. */
    public float startPotential(float theta, float fraction) {
        return unit(theta) * fraction;
    }

    /** Largest output of one firing timestep as a multiple of theta: 1, or {@code 2 - 2^(1-N)} for {@code mt:N}. */
    public double maxOutputPerTimestep() {
        return kind == Kind.MULTI_THRESHOLD ? 2.0 - Math.scalb(1.0, 1 - thresholds) : 1.0;
    }

    /**
     * Quantisation steps of one control step at latency {@code T}, in units of theta: an IF or
     * signed neuron emits {@code n * theta} with {@code n = 0..T}, an {@code mt:N} neuron
     * {@code n * lambda_N} with {@code n = 0..T (2^N - 1)}, so theta is {@code T 2^(N-1)} steps.
     */
    public int stepsPerTheta(int timesteps) {
        return kind == Kind.MULTI_THRESHOLD ? timesteps << (thresholds - 1) : timesteps;
    }

    /**
     * The most quantisation steps one control step can emit, in units of {@link #unit}: {@code T}
     * for IF and signed neurons, {@code (T / P) (2^N - 1)} for {@code mt:N@P} ({@code P = 1}: {@code mt:N}).
     */
    public int maxStepsPerControlStep(int timesteps) {
        return kind == Kind.MULTI_THRESHOLD ? firingTimesteps(timesteps) * ((1 << thresholds) - 1) : timesteps;
    }

    /** Threshold comparisons per neuron per firing timestep (neuron updates, SPEC 10): 1, N, or 2 for signed. */
    public int comparisons() {
        return kind == Kind.SIGNED ? 2 : thresholds;
    }

    /** Threshold comparisons per neuron per control step of {@code T} timesteps: {@code (T / P) * comparisons()}. */
    public long comparisonsPerControlStep(int timesteps) {
        return (long) firingTimesteps(timesteps) * comparisons();
    }

    /** A layer of these neurons; {@code theta} and {@code v0} are shared, never written. */
    public NeuronLayer newLayer(float[] theta, float[] v0) {
        return switch (kind) {
            case IF -> new IfLayer(theta, v0, reset);
            case MULTI_THRESHOLD -> new MultiThresholdLayer(theta, v0, thresholds, period);
            case SIGNED -> new SignedLayer(theta, v0);
        };
    }
}
