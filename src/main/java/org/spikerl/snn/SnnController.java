package org.spikerl.snn;

import java.util.Arrays;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;
import org.spikerl.actor.ObservationNorm;
import org.spikerl.control.Controller;
import org.spikerl.energy.OpCounts;

/**
 * Runs a {@link SpikingActor} once per control step (SPEC sections 3, 5, 6, 7). Owns the neuron
 * state, work buffers and counters; {@link #copy()} shares the parameters. Not thread-safe.
 *
 * <h2>Float32 operation order</h2>
 * Fixed so that {@code envs/snn_reference.py} reproduces spike counts exactly:
 * <ul>
 *   <li>input: {@code (float) o_i}, or {@link ObservationNorm#apply} (double, then cast);</li>
 *   <li>analog first layer: {@code z = b}, then for {@code i = 0..in-1} in order, element-wise
 *       {@code z[o] = z[o] + (x_i * W[o][i])} (float multiply, then float add; no input is skipped);</li>
 *   <li>spiking layers and the output: {@code z = b} (the SNN's bias: calibrated if calibration ran),
 *       then for every spike event {@code e} of the previous layer in ascending number,
 *       {@code z[o] = z[o] + rows[e][o]} with the precomputed {@code rows[i * levels + k][o] =
 *       levelValue(theta_i, k) * W[o][i]} (float; {@code theta_i * W[o][i]} for IF neurons);</li>
 *   <li>neurons as the {@link NeuronModel}'s layer ({@link IfLayer}, {@link MultiThresholdLayer},
 *       {@link SignedLayer}): {@code step}, then the residual in {@code endControlStep}; the first
 *       hidden layer, whose input is the same at every timestep, through
 *       {@link NeuronLayer#stepConstantInput}, which gives the same values;</li>
 *   <li>readout: {@code sum[o] += (double) y(t)[o]} in double for {@code t = t0+1..T}, then
 *       {@code y_bar[o] = (float) (sum[o] / (T - t0))}.</li>
 * </ul>
 *
 * <h2>Counting (SPEC section 7)</h2>
 * Per control step: MACs {@code in_1 * out_1} (analog layer); SOPs = what is computed: for every
 * timestep and every hidden layer {@code l > 1}, (spike events of layer {@code l-1}) * {@code out_l},
 * whatever the event's level or sign (a level-scaled row is stored, never multiplied at run time,
 * SPEC 10); for the output layer the same, but only at timesteps {@code t > t0}, because
 * {@code y(t)} for {@code t <= t0} is never read and so never computed; neuron updates
 * {@code firing timesteps * hidden neurons * comparisons} ({@link NeuronModel#comparisonsPerControlStep}:
 * T firing timesteps, T / P for {@code mt:N@P}; 1 comparison for IF); spike
 * events per hidden layer.
 */
public final class SnnController implements Controller {
    private final SpikingActor net;
    private final Actor actor;
    private final NeuronLayer[] neurons;
    private final float[][] biases;
    private final float[] input;
    private final float[][] current;
    private final int[][] spiked;
    private final float[] y;
    private final double[] ySum;
    private final float[] yBar;
    private final OpCounts counts;
    private final long analogMacs;
    private final long neuronUpdates;
    /** SOPs of the hidden layers in the control step being run ({@link #hiddenTimestep}). */
    private long stepSops;
    /** Per-delay readout sums of {@link #actAtDelays}. */
    private double[][] fanSums = new double[0][];

    public SnnController(SpikingActor net) {
        this.net = net;
        this.actor = net.actor();
        int hidden = net.hiddenLayers();
        this.neurons = new NeuronLayer[hidden];
        this.current = new float[hidden][];
        this.spiked = new int[hidden][];
        int[] sizes = new int[hidden];
        for (int l = 0; l < hidden; l++) {
            neurons[l] = net.neuron(l).newLayer(net.thresholdsShared(l), net.initialPotentialsShared(l));
            sizes[l] = neurons[l].size();
            current[l] = new float[sizes[l]];
            spiked[l] = new int[sizes[l] * neurons[l].levels()];
        }
        this.biases = new float[hidden + 1][];
        for (int l = 0; l <= hidden; l++) {
            biases[l] = net.biasesShared(l);
        }
        this.input = new float[actor.observationSize()];
        int actions = actor.actionSize();
        this.y = new float[actions];
        this.ySum = new double[actions];
        this.yBar = new float[actions];
        this.counts = new OpCounts(sizes);
        this.analogMacs = actor.layers().get(0).macs();
        long updates = 0;
        for (int l = 0; l < hidden; l++) {
            updates += sizes[l] * net.neuron(l).comparisonsPerControlStep(net.timesteps());
        }
        this.neuronUpdates = updates;
    }

    public SpikingActor network() {
        return net;
    }

    @Override
    public int observationSize() {
        return actor.observationSize();
    }

    @Override
    public int actionSize() {
        return actor.actionSize();
    }

    /** Episode start: residual potentials back to zero, {@code v_init = v0} (SPEC section 6). */
    @Override
    public void reset() {
        for (NeuronLayer n : neurons) {
            n.resetEpisode();
        }
    }

    /**
     * One control step (SPEC section 3):
     * <pre>
     *   z_1 = W_1 norm(o) + b_1                          once, analog
     *   for t = 1..T:
     *     layer 1 IF neurons integrate z_1
     *     z_l(t) = b_l + sum_{i spiking in l-1 at t} theta_i W_l[:, i]   l = 2..L-1, event-driven
     *     layer l IF neurons integrate z_l(t)
     *     y(t) = b_L + sum_{i spiking in L-1 at t} theta_i W_L[:, i]      only for t > t0
     *   y_bar = mean of y(t) over t in (t0, T]           [Bu Eq. 18-19] delayed readout
     *   action = head(y_bar)
     * </pre>
     * then the cross-step residual of every hidden neuron (SPEC section 6). Allocates nothing.
     */
    @Override
    public void act(double[] observation, double[] actionOut) {
        Forward.networkInput(actor, observation, input);
        run(actionOut);
    }

    /**
     * {@link #act} from the network input {@code h_0 = norm(o)} as float32 (what
     * {@code CalibrationSet#inputs()} stores), read from {@code inputs[offset .. offset + obs)}:
     * the same control step, bit for bit, for replaying recorded states.
     */
    public void actOnInput(float[] inputs, int offset, double[] actionOut) {
        System.arraycopy(inputs, offset, input, 0, input.length);
        run(actionOut);
    }

    private void run(double[] actionOut) {
        int hidden = neurons.length;
        beginControlStep(hidden);
        Arrays.fill(ySum, 0.0);
        float[][] outRows = net.spikeRows(hidden);
        int timesteps = net.timesteps();
        int delay = net.delay();
        long sops = 0;
        for (int t = 1; t <= timesteps; t++) {
            int fired = hiddenTimestep(hidden);
            if (t > delay) {
                accumulate(biases[hidden], outRows, spiked[hidden - 1], fired, y);
                sops += (long) fired * y.length;
                for (int o = 0; o < y.length; o++) {
                    ySum[o] += y[o];
                }
            }
        }
        endControlStep(hidden);
        readout(ySum, timesteps - delay, actionOut);
        counts.addControlStep(analogMacs, sops + stepSops, neuronUpdates, timesteps);
    }

    /**
     * Hidden layers {@code 1..layers} of {@link #actOnInput} alone, for calibrating layer
     * {@code layers}: a layer does not depend on those above it, so these layers' potentials, spikes
     * and residuals are, bit for bit, those of the whole control step; the layers above, the readout
     * and the action are not computed. Counts only these layers' spikes (no control step), so a
     * controller used this way is for calibration only.
     */
    public void hiddenOnInput(float[] inputs, int offset, int layers) {
        if (layers < 1 || layers > neurons.length) {
            throw new SpikerlException("snn controller: hidden layers 1.." + layers + " asked of a network with "
                    + neurons.length);
        }
        System.arraycopy(inputs, offset, input, 0, input.length);
        beginControlStep(layers);
        for (int t = 1; t <= net.timesteps(); t++) {
            hiddenTimestep(layers);
        }
        endControlStep(layers);
    }

    /**
     * {@link #act} of this network and of its copies with other readout delays
     * ({@link SpikingActor#withDelay}), at once: the hidden layers do not depend on the delay, so
     * they run once, and {@code y(t)} feeds the window of every delay. {@code actionsOut[j]} gets
     * the action at delay {@code delays[j]}, bit for bit what {@code act} of that copy gives (the
     * same float operations in the same order), and the output layer's SOPs at that delay are
     * added to {@code outputSops[j]} (which the caller zeroes before a replay, so that it sums over
     * the replay). {@link #counts()} takes everything else of the control step (the output layer's
     * SOPs differ by delay and are left to the caller; see {@link OpCounts#plusSops}). Afterwards
     * {@link #readout()} holds the last delay's {@code y_bar}. For replaying recorded states (the
     * tuner's offline ranking); allocates only when a call has more delays than any before.
     *
     * @throws SpikerlException before the control step, if a delay does not fit the network
     *         ({@link SpikingActor#checkDelay}) or an output array is shorter than {@code delays}
     */
    public void actAtDelays(double[] observation, int[] delays, double[][] actionsOut, long[] outputSops) {
        int timesteps = net.timesteps();
        int first = timesteps;
        for (int d : delays) {
            net.checkDelay(d);
            first = Math.min(first, d);
        }
        if (actionsOut.length < delays.length || outputSops.length < delays.length) {
            throw new SpikerlException("snn controller: " + delays.length + " delays but room for "
                    + actionsOut.length + " actions and " + outputSops.length + " SOP counts");
        }
        Forward.networkInput(actor, observation, input);
        if (fanSums.length < delays.length) {
            fanSums = new double[delays.length][y.length];
        }
        int hidden = neurons.length;
        beginControlStep(hidden);
        for (int j = 0; j < delays.length; j++) {
            Arrays.fill(fanSums[j], 0.0);
        }
        float[][] outRows = net.spikeRows(hidden);
        for (int t = 1; t <= timesteps; t++) {
            int fired = hiddenTimestep(hidden);
            if (t > first) {
                accumulate(biases[hidden], outRows, spiked[hidden - 1], fired, y);
                for (int j = 0; j < delays.length; j++) {
                    if (t > delays[j]) {
                        outputSops[j] += (long) fired * y.length;
                        double[] sum = fanSums[j];
                        for (int o = 0; o < y.length; o++) {
                            sum[o] += y[o];
                        }
                    }
                }
            }
        }
        endControlStep(hidden);
        for (int j = 0; j < delays.length; j++) {
            readout(fanSums[j], timesteps - delays[j], actionsOut[j]);
        }
        counts.addControlStep(analogMacs, stepSops, neuronUpdates, timesteps);
    }

    /** The analog first layer, and hidden layers {@code 1..layers} told that a control step begins. */
    private void beginControlStep(int layers) {
        analog(biases[0], net.analogRows(), input, current[0]);
        for (int l = 0; l < layers; l++) {
            neurons[l].beginControlStep();
        }
        stepSops = 0;
    }

    /**
     * One timestep of hidden layers {@code 1..layers}: returns the events of the last of them; the
     * SOPs of layers {@code 2..layers} are added to {@link #stepSops}.
     */
    private int hiddenTimestep(int layers) {
        int fired = neurons[0].stepConstantInput(current[0], spiked[0]);
        for (int l = 1; l < layers; l++) {
            accumulate(biases[l], net.spikeRows(l), spiked[l - 1], fired, current[l]);
            stepSops += (long) fired * current[l].length;
            fired = neurons[l].step(current[l], spiked[l]);
        }
        return fired;
    }

    /** The cross-step residual of hidden layers {@code 1..layers}, and their spikes counted. */
    private void endControlStep(int layers) {
        for (int l = 0; l < layers; l++) {
            counts.addSpikes(l, neurons[l].endControlStep(net.alpha()));
        }
    }

    /** {@code y_bar = (float) (sum / window)}, then the actor's head. */
    private void readout(double[] sum, int window, double[] actionOut) {
        double w = window;
        for (int o = 0; o < yBar.length; o++) {
            yBar[o] = (float) (sum[o] / w);
        }
        actor.head().apply(yBar, actionOut);
    }

    /**
     * {@code z = b + W x} with one row per input ({@code rows[i][o] = W[o][i]}), accumulated bias
     * first, then inputs in ascending order.
     */
    static void analog(float[] bias, float[][] rows, float[] x, float[] z) {
        System.arraycopy(bias, 0, z, 0, z.length);
        for (int i = 0; i < x.length; i++) {
            float xi = x[i];
            float[] row = rows[i];
            for (int o = 0; o < z.length; o++) {
                z[o] += xi * row[o];
            }
        }
    }

    /**
     * Event-driven synaptic accumulation: {@code z = b + sum_k rows[spiked[k]]} for the first
     * {@code fired} entries of {@code spiked} (ascending), one add per target neuron per spike.
     */
    static void accumulate(float[] bias, float[][] rows, int[] spiked, int fired, float[] z) {
        System.arraycopy(bias, 0, z, 0, z.length);
        int k = 0;
        // Four spikes per pass: ((((z + r0) + r1) + r2) + r3) is the same float order as four
        // passes (Java evaluates left to right and rounds every add) with a quarter of the z traffic.
        for (; k + 4 <= fired; k += 4) {
            float[] r0 = rows[spiked[k]];
            float[] r1 = rows[spiked[k + 1]];
            float[] r2 = rows[spiked[k + 2]];
            float[] r3 = rows[spiked[k + 3]];
            for (int o = 0; o < z.length; o++) {
                z[o] = z[o] + r0[o] + r1[o] + r2[o] + r3[o];
            }
        }
        for (; k < fired; k++) {
            float[] row = rows[spiked[k]];
            for (int o = 0; o < z.length; o++) {
                z[o] += row[o];
            }
        }
    }

    @Override
    public OpCounts counts() {
        return counts;
    }

    @Override
    public SnnController copy() {
        return new SnnController(net);
    }

    @Override
    public String kind() {
        return "snn";
    }

    /**
     * Hidden layer {@code l} (0-based): its state after the last control step ({@link #act},
     * {@link #actAtDelays}, or {@link #hiddenOnInput} for the layers it ran); for tests and diagnostics.
     */
    public NeuronLayer layer(int l) {
        return neurons[l];
    }

    /**
     * {@code y_bar} of the last {@link #act} (of the last delay after {@link #actAtDelays}; not
     * touched by {@link #hiddenOnInput}); live view, do not modify.
     */
    public float[] readout() {
        return yBar;
    }
}
