package org.spikerl.embed;

import java.nio.file.Path;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.control.Controller;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.energy.EnergyReport;
import org.spikerl.energy.OpCounts;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

/**
 * A converted low-power spiking controller, for use inside an existing Java control loop.
 *
 * <pre>{@code
 * SpikingPolicy policy = SpikingPolicy.load(Path.of("hopper.ctrl"));
 * double[] obs = new double[policy.observationSize()];
 * double[] action = new double[policy.actionSize()];
 * policy.reset();                      // at the start of every episode
 * while (running) {
 *     readSensors(obs);
 *     policy.act(obs, action);         // allocates nothing
 *     writeActuators(action);
 * }
 * }</pre>
 *
 * <p><b>What it computes.</b> Per {@link #act} call (one control step): the observation is
 * normalised if the actor was trained with normalisation, fed as an analog current to the first
 * layer, and run for {@link #timesteps() T} timesteps through the hidden layers' spiking neurons
 * ({@link #neuron()}: integrate-and-fire, multi-threshold or signed, all with reset by
 * subtraction), whose input currents include the SNN's biases (the ANN's, or calibrated ones, as
 * the file holds them); the output layer's mean over timesteps {@code (t0, T]} ({@link #delay()
 * t0}) goes through the action head ({@code tanh} with the env's bounds, or clipping). Membrane
 * potential left over at the end of a control step carries into the next one, scaled by
 * {@link #alpha()} (cross-step residual potential); {@link #reset()} clears it. The details are in
 * {@link SnnController} and the project's SPEC.md, sections 3 to 6 and 10.
 *
 * <p><b>Run time.</b> Loading and running need the core classes of spikerl and Jackson (for the
 * file header) only: no Python, Py4J, DJL or native library. {@link #act} allocates no memory and
 * takes no lock, so it causes no garbage collection; its time depends on the number of spikes,
 * which is bounded by {@code T} times the hidden neurons.
 *
 * <p><b>Threads.</b> An instance holds the neurons' state and is <em>not</em> thread-safe: confine
 * each instance to one thread (one control loop). For more loops, call {@link #copy()}: copies
 * share the immutable weights and thresholds and own only their state (a few kilobytes), so they
 * are cheap. Publishing an instance to its thread safely (e.g. by starting the thread after
 * creating it) is the caller's job.
 *
 * <p><b>Errors.</b> {@link #load} refuses a damaged, truncated, foreign or newer-format file with a
 * one-line {@link SpikerlException} naming the file; nothing is half-loaded. {@link #act} refuses
 * arrays of the wrong length and non-finite observations (a failed sensor) with a
 * {@link SpikerlException} before touching the state, so the controller can be used again after.
 */
public final class SpikingPolicy implements Controller {
    private final SnnController snn;
    private final Map<String, Object> provenance;
    private final String sha256;

    private SpikingPolicy(SnnController snn, Map<String, Object> provenance, String sha256) {
        this.snn = snn;
        this.provenance = provenance;
        this.sha256 = sha256;
    }

    /**
     * Loads a converted-controller file ({@code spikerl convert} writes them; the format is in
     * {@code docs/controller-format.md}; format versions 1 and 2 load). The file's SHA-256
     * checksum, version, sizes and values are checked before the controller is built.
     *
     * @param file the controller file
     * @return a policy at episode start with zeroed counters
     * @throws SpikerlException one line naming the file and what was expected
     */
    public static SpikingPolicy load(Path file) {
        ControllerFile.Loaded loaded = ControllerFile.read(file);
        return new SpikingPolicy(new SnnController(loaded.network()), loaded.provenance(), loaded.sha256());
    }

    /**
     * A policy for a network converted in this process (no file, empty provenance).
     *
     * @param network the converted network
     * @return a policy at episode start with zeroed counters
     */
    public static SpikingPolicy of(SpikingActor network) {
        return new SpikingPolicy(new SnnController(network), Map.of(), null);
    }

    /**
     * One control step: writes the action for {@code observation} into {@code actionOut}.
     * Allocates nothing.
     *
     * @param observation {@link #observationSize()} finite values, as the environment gives them
     *        (normalisation, if any, is applied here)
     * @param actionOut receives {@link #actionSize()} values, within the action bounds
     * @throws SpikerlException if an array has the wrong length or an observation is NaN or
     *         infinite; the state is then unchanged
     */
    @Override
    public void act(double[] observation, double[] actionOut) {
        int obs = snn.observationSize();
        if (observation.length != obs || actionOut.length != snn.actionSize()) {
            throw new SpikerlException("spiking policy act(): got " + observation.length + " observations and room for "
                    + actionOut.length + " actions, expected " + obs + " and " + snn.actionSize());
        }
        for (int i = 0; i < obs; i++) {
            if (!Double.isFinite(observation[i])) {
                throw new SpikerlException("spiking policy act(): observation[" + i + "] is " + observation[i]
                        + ", expected a finite number");
            }
        }
        snn.act(observation, actionOut);
    }

    /** Call at the start of every episode: clears the residual potential carried between control steps. */
    @Override
    public void reset() {
        snn.reset();
    }

    /**
     * A fresh policy for another thread: shares the immutable parameters, owns new neuron state
     * (as after {@link #reset()}) and zeroed counters.
     */
    @Override
    public SpikingPolicy copy() {
        return new SpikingPolicy(snn.copy(), provenance, sha256);
    }

    @Override
    public int observationSize() {
        return snn.observationSize();
    }

    @Override
    public int actionSize() {
        return snn.actionSize();
    }

    /** Timesteps {@code T} per control step (the latency of the spiking network). */
    public int timesteps() {
        return snn.network().timesteps();
    }

    /** Readout delay {@code t0}: the output is averaged over timesteps {@code t0 + 1 .. T}. */
    public int delay() {
        return snn.network().delay();
    }

    /** Cross-step residual factor {@code alpha} in {@code [0, 1]}; 0 starts every control step afresh. */
    public float alpha() {
        return snn.network().alpha();
    }

    /**
     * Episode-start membrane potential as a fraction of each neuron's smallest threshold (usually
     * 0.5): of {@code theta} for IF and signed neurons, of {@code lambda_N = theta / 2^(N-1)} for
     * {@code mt:N} neurons.
     */
    public float v0Fraction() {
        return snn.network().v0Fraction();
    }

    /** The hidden layers' neuron models ({@link NeuronPlan#spec()}: {@code if}, {@code mt:N}, {@code mt:N@P}, {@code signed}, or one per layer). */
    public NeuronPlan neuron() {
        return snn.network().neuron();
    }

    /** Number of hidden (spiking) layers. */
    public int hiddenLayers() {
        return snn.network().hiddenLayers();
    }

    /**
     * A copy of the firing thresholds {@code theta} of hidden layer {@code layer} (0-based), one per
     * neuron (for {@code mt:N} neurons the largest of the neuron's thresholds).
     */
    public float[] thresholds(int layer) {
        if (layer < 0 || layer >= hiddenLayers()) {
            throw new SpikerlException("spiking policy: hidden layer " + layer + " does not exist, expected 0 to "
                    + (hiddenLayers() - 1));
        }
        return snn.network().thresholds(layer);
    }

    /**
     * Operation counters accumulated by {@link #act} since creation (or {@link OpCounts#clear()}):
     * control steps, MACs of the analog first layer, synaptic operations, neuron updates and spikes
     * per layer. A live object owned by this policy; read it on the policy's thread.
     */
    @Override
    public OpCounts counts() {
        return snn.counts();
    }

    /**
     * Estimated energy per control step in picojoules, averaged over the control steps counted so
     * far (0 before the first step), SPEC section 7:
     * <pre>
     *   E = MACs/step * pJ/MAC + SOPs/step * pJ/SOP      (MACs of the analog first layer only)
     * </pre>
     * under {@code preset}. Times the control rate in Hz, this is the energy per second of control
     * in pJ/s (pW).
     */
    public double energyPerStepPj(EnergyPreset preset) {
        OpCounts c = snn.counts();
        return preset.picojoules(c.macsPerStep(), c.sopsPerStep());
    }

    /**
     * Energy per control step of the ANN this network was converted from, under {@code preset}:
     * {@code sum over layers of in_l * out_l} MACs times pJ/MAC (SPEC section 7).
     */
    public double annEnergyPerStepPj(EnergyPreset preset) {
        return preset.picojoules(snn.network().actor().macs(), 0);
    }

    /** The SNN and ANN energy per control step under {@code preset}, from the counts so far. */
    public EnergyReport energy(EnergyPreset preset) {
        return EnergyReport.of(preset, snn.counts(), snn.network().actor().macs());
    }

    /** The provenance stored in the controller file (actor, conversion settings, ...); empty if built in memory. */
    public Map<String, Object> provenance() {
        return provenance;
    }

    /** Hex SHA-256 of the loaded file, or {@code null} if built in memory. */
    public String sha256() {
        return sha256;
    }

    /** The converted network's immutable parameters. */
    public SpikingActor network() {
        return snn.network();
    }

    @Override
    public String kind() {
        return "snn";
    }
}
