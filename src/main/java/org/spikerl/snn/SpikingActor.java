package org.spikerl.snn;

import java.util.Arrays;
import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.Forward;

/**
 * The immutable parameters of a converted spiking actor (SPEC sections 3, 5, 6, 10): the ANN actor's
 * layers, norm and head, the {@link NeuronModel} of the hidden layers, one threshold per hidden
 * neuron, the hidden layers' biases (the ANN's, or calibrated ones, SPEC 10), the latency {@code T},
 * the readout delay {@code t0}, the residual factor {@code alpha} and the episode-start potential
 * {@code v0_j = v0Fraction * unit(theta_j)} ({@link NeuronModel#startPotential}; {@code theta_j / 2}
 * for IF neurons). Per-layer thresholds are per-neuron arrays filled with one value ({@link #constant}).
 *
 * <p>Derived once here and shared by every {@link SnnController} copy: the first layer's weights
 * packed input-major, and for every layer {@code l > 1} one level-scaled input-major row per spike
 * event {@code e = i * levels + k} of the previous layer,
 * {@code rows_l[e][o] = levelValue(theta_{l-1,i}, k) * W_l[o][i]} (one float32 multiply; for IF
 * neurons {@code theta_{l-1,i} * W_l[o][i]}), so that one spike event costs exactly {@code out_l}
 * float adds, whatever its level or sign.
 */
public final class SpikingActor {
    private final Actor actor;
    private final NeuronPlan plan;
    private final NeuronModel[] neurons;
    private final float[][] thresholds;
    private final float[][] biases;
    private final float[][] v0;
    private final int timesteps;
    private final int delay;
    private final float alpha;
    private final float v0Fraction;
    private final float[][] analogRows;
    private final float[][][] spikeRows;

    /**
     * @param actor the ANN actor (layers, norm, head)
     * @param thresholds {@code thresholds[l][j]} for hidden layers {@code l = 0..L-2}, all finite and {@code > 0}
     * @param timesteps latency {@code T >= 1}
     * @param delay readout delay {@code t0}, {@code 0 <= t0 < T}
     * @param alpha residual factor of SPEC section 6, in {@code [0, 1]}
     * @param v0Fraction episode-start potential as a fraction of theta, in {@code [0, 1]} (SPEC default 0.5)
     */
    public SpikingActor(Actor actor, float[][] thresholds, int timesteps, int delay, double alpha, double v0Fraction) {
        this(actor, NeuronPlan.IF, thresholds, null, timesteps, delay, alpha, v0Fraction);
    }

    /** One neuron model for every hidden layer; otherwise as the {@link NeuronPlan} constructor. */
    public SpikingActor(Actor actor, NeuronModel neuron, float[][] thresholds, float[][] hiddenBiases, int timesteps,
                        int delay, double alpha, double v0Fraction) {
        this(actor, neuron == null ? null : NeuronPlan.uniform(neuron), thresholds, hiddenBiases, timesteps, delay,
                alpha, v0Fraction);
    }

    /**
     * @param actor the ANN actor (layers, norm, head)
     * @param plan the hidden layers' neuron models
     * @param thresholds {@code thresholds[l][j]} for hidden layers {@code l = 0..L-2}, all finite and {@code > 0}
     * @param hiddenBiases the hidden layers' biases {@code b_l} as the SNN uses them, or {@code null} for the ANN's
     * @param timesteps latency {@code T >= 1}
     * @param delay readout delay {@code t0}, {@code 0 <= t0 < T}
     * @param alpha residual factor of SPEC section 6, in {@code [0, 1]}
     * @param v0Fraction episode-start potential as a fraction of the unit threshold, in {@code [0, 1]}
     */
    public SpikingActor(Actor actor, NeuronPlan plan, float[][] thresholds, float[][] hiddenBiases, int timesteps,
                        int delay, double alpha, double v0Fraction) {
        List<DenseLayer> layers = actor.layers();
        if (plan == null) {
            throw new SpikerlException("spiking actor: the neuron model is missing");
        }
        int hidden = layers.size() - 1;
        if (hidden < 1) {
            throw new SpikerlException("spiking actor: the actor has " + layers.size()
                    + " layer(s), expected at least 2 (one hidden layer and the output layer)");
        }
        if (thresholds.length != hidden) {
            throw new SpikerlException("spiking actor: thresholds given for " + thresholds.length
                    + " layers, expected " + hidden + " hidden layers");
        }
        if (timesteps < 1) {
            throw new SpikerlException("spiking actor: timesteps T must be >= 1, got " + timesteps);
        }
        if (delay < 0 || delay >= timesteps) {
            throw new SpikerlException(delayOutOfRange(delay, timesteps));
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new SpikerlException("spiking actor: alpha must be in [0, 1], got " + alpha);
        }
        if (!(v0Fraction >= 0 && v0Fraction <= 1)) {
            throw new SpikerlException("spiking actor: v0 fraction must be in [0, 1], got " + v0Fraction);
        }
        if (hiddenBiases != null && hiddenBiases.length != hidden) {
            throw new SpikerlException("spiking actor: biases given for " + hiddenBiases.length
                    + " layers, expected " + hidden + " hidden layers");
        }
        plan.check(hidden);
        if (delay % plan.period() != 0) {
            throw new SpikerlException(delayNotWholePeriods(delay, plan));
        }
        this.actor = actor;
        this.plan = plan;
        this.neurons = new NeuronModel[hidden];
        for (int l = 0; l < hidden; l++) {
            this.neurons[l] = plan.layer(l, hidden);
            this.neurons[l].checkTimesteps(timesteps);
        }
        this.timesteps = timesteps;
        this.delay = delay;
        this.alpha = (float) alpha;
        // -0 + +0 = +0: a fraction of -0 (allowed by the range check) gives v0 = +0, never -0, which
        // LayerState#nextStart relies on for its signed zeros.
        this.v0Fraction = (float) v0Fraction + 0.0f;
        this.thresholds = new float[hidden][];
        this.v0 = new float[hidden][];
        for (int l = 0; l < hidden; l++) {
            float[] th = thresholds[l];
            int n = layers.get(l).out();
            if (th.length != n) {
                throw new SpikerlException("spiking actor: layer " + (l + 1) + " has " + n + " neurons but "
                        + th.length + " thresholds");
            }
            for (int j = 0; j < n; j++) {
                if (!(th[j] > 0) || Float.isInfinite(th[j])) {
                    throw new SpikerlException("spiking actor: threshold of layer " + (l + 1) + " neuron " + j
                            + " must be finite and > 0, got " + th[j]);
                }
            }
            this.thresholds[l] = th.clone();
            this.v0[l] = new float[n];
            for (int j = 0; j < n; j++) {
                this.v0[l][j] = neurons[l].startPotential(this.thresholds[l][j], this.v0Fraction);
            }
        }
        this.biases = new float[hidden + 1][];
        for (int l = 0; l <= hidden; l++) {
            float[] b = l < hidden && hiddenBiases != null ? hiddenBiases[l] : layers.get(l).bias();
            if (b == null || b.length != layers.get(l).out()) {
                throw new SpikerlException("spiking actor: layer " + (l + 1) + " has " + layers.get(l).out()
                        + " neurons but " + (b == null ? "no" : String.valueOf(b.length)) + " biases");
            }
            for (int j = 0; j < b.length; j++) {
                if (!Float.isFinite(b[j])) {
                    throw new SpikerlException("spiking actor: bias of layer " + (l + 1) + " neuron " + j
                            + " must be finite, got " + b[j]);
                }
            }
            this.biases[l] = b.clone();
        }
        float[][][] packed = Forward.pack(actor);
        this.analogRows = packed[0];
        this.spikeRows = new float[layers.size()][][];
        for (int l = 1; l < layers.size(); l++) {
            this.spikeRows[l] = eventRows(packed[l], layers.get(l), this.thresholds[l - 1], neurons[l - 1]);
        }
    }

    private SpikingActor(SpikingActor p, float alpha, int delay) {
        this.actor = p.actor;
        this.plan = p.plan;
        this.neurons = p.neurons;
        this.thresholds = p.thresholds;
        this.biases = p.biases;
        this.v0 = p.v0;
        this.timesteps = p.timesteps;
        this.delay = delay;
        this.alpha = alpha;
        this.v0Fraction = p.v0Fraction;
        this.analogRows = p.analogRows;
        this.spikeRows = p.spikeRows;
    }

    /**
     * One array per spike event ({@code rows[i * levels + k][o] = levelValue(theta_i, k) * W[o][i]}):
     * separate arrays rather than offsets into one, because HotSpot C2 (JDK 17) vectorises
     * {@code z[o] += row[o]} but not {@code z[o] += flat[off + o]} (it cannot rule out aliasing).
     */
    private static float[][] eventRows(float[][] inputMajor, DenseLayer d, float[] theta, NeuronModel neuron) {
        int levels = neuron.levels();
        float[][] rows = new float[d.in() * levels][d.out()];
        for (int i = 0; i < d.in(); i++) {
            for (int k = 0; k < levels; k++) {
                float scale = neuron.levelValue(theta[i], k);
                float[] row = rows[i * levels + k];
                for (int o = 0; o < d.out(); o++) {
                    row[o] = scale * inputMajor[i][o];
                }
            }
        }
        return rows;
    }

    /** A per-layer threshold as a per-neuron array: {@code n} copies of {@code theta}. */
    public static float[] constant(int n, float theta) {
        float[] t = new float[n];
        Arrays.fill(t, theta);
        return t;
    }

    /** The same network with another residual factor (for alpha sweeps); shares every array. */
    public SpikingActor withAlpha(double newAlpha) {
        if (!(newAlpha >= 0 && newAlpha <= 1)) {
            throw new SpikerlException("spiking actor: alpha must be in [0, 1], got " + newAlpha);
        }
        return new SpikingActor(this, (float) newAlpha, delay);
    }

    /**
     * The same network with another readout delay (what {@code Converter.build} gives for the same
     * config with that fixed delay); shares every array. The hidden layers do not depend on the
     * delay, only the readout window does.
     */
    public SpikingActor withDelay(int newDelay) {
        checkDelay(newDelay);
        return new SpikingActor(this, alpha, newDelay);
    }

    /**
     * Refuses, in one line, a readout delay this network cannot have: outside {@code [0, T)} or not
     * a whole number of its plan's firing periods (the constructor's checks).
     */
    public void checkDelay(int t0) {
        if (t0 < 0 || t0 >= timesteps) {
            throw new SpikerlException(delayOutOfRange(t0, timesteps));
        }
        if (t0 % plan.period() != 0) {
            throw new SpikerlException(delayNotWholePeriods(t0, plan));
        }
    }

    private static String delayOutOfRange(int t0, int timesteps) {
        return "spiking actor: delay t0 must be in [0, T) = [0, " + timesteps + "), got " + t0;
    }

    public Actor actor() {
        return actor;
    }

    /** The hidden layers' neuron models. */
    public NeuronPlan neuron() {
        return plan;
    }

    /** The neuron model of hidden layer {@code l} (0-based). */
    public NeuronModel neuron(int l) {
        return neurons[l];
    }

    /** A copy of the biases of layer {@code l} (0-based) as the SNN uses them: calibrated for hidden layers if calibration ran. */
    public float[] biases(int l) {
        return biases[l].clone();
    }

    /** True if some hidden layer's bias differs from the ANN's (bias calibration, SPEC 10). */
    public boolean biasesCalibrated() {
        for (int l = 0; l < thresholds.length; l++) {
            if (!Arrays.equals(biases[l], actor.layers().get(l).bias())) {
                return true;
            }
        }
        return false;
    }

    float[] biasesShared(int l) {
        return biases[l];
    }

    /** Number of hidden (IF) layers, {@code L - 1}. */
    public int hiddenLayers() {
        return thresholds.length;
    }

    /** A copy of the thresholds of hidden layer {@code l} (0-based). */
    public float[] thresholds(int l) {
        return thresholds[l].clone();
    }

    /** A copy of the episode-start potentials {@code v0} of hidden layer {@code l} (0-based). */
    public float[] initialPotentials(int l) {
        return v0[l].clone();
    }

    /**
     * The one-line refusal of a readout delay that is not a multiple of the plan's firing period: the
     * window {@code (t0, T]} would not hold whole periods, and the readout would divide one period's
     * output by fewer timesteps than it stands for.
     */
    public static String delayNotWholePeriods(int t0, NeuronPlan plan) {
        return "delay t0 = " + t0 + " is not a multiple of the firing period " + plan.period() + " of neuron "
                + plan.spec() + ": the readout must average whole periods (use t0 = 0, " + plan.period() + ", ...)";
    }

    public int timesteps() {
        return timesteps;
    }

    public int delay() {
        return delay;
    }

    public float alpha() {
        return alpha;
    }

    public float v0Fraction() {
        return v0Fraction;
    }

    float[] thresholdsShared(int l) {
        return thresholds[l];
    }

    float[] initialPotentialsShared(int l) {
        return v0[l];
    }

    /** First layer's weights, one row per input: {@code rows[i][o] = W_1[o][i]}. */
    float[][] analogRows() {
        return analogRows;
    }

    /** Level-scaled rows feeding layer {@code l} (0-based, {@code l >= 1}), one per spike event of layer {@code l - 1}. */
    float[][] spikeRows(int l) {
        return spikeRows[l];
    }
}
