package org.spikerl.snn;

/**
 * One layer of spiking neurons: immutable parameters plus flat mutable state, stepped in place
 * without allocating (STYLE: a neuron is parameters + state + step). {@link NeuronModel#newLayer}
 * makes one; {@link SnnController} drives it.
 *
 * <p>Life cycle per control step: {@link #beginControlStep()}, {@link #step} once per timestep
 * {@code t = 1..T}, {@link #endControlStep(float)}; {@link #resetEpisode()} at episode start.
 */
public interface NeuronLayer {
    /** Neurons in the layer. */
    int size();

    /** Spike levels per neuron ({@link NeuronModel#levels()}): event {@code e} is neuron {@code e / levels}, level {@code e % levels}. */
    int levels();

    /** Episode start: no residual; the next control step starts at {@code v_init = v0}. */
    void resetEpisode();

    /** Control-step start: {@code v = v_init}, per-step counters zeroed. */
    void beginControlStep();

    /**
     * One timestep: charge with {@code z}, fire, reset. Writes the spike events of this timestep
     * ({@code j * levels + k}) to {@code eventsOut} in ascending order, which is the order the next
     * layer adds their rows in.
     *
     * @param z input current, one per neuron
     * @param eventsOut at least {@code size() * levels()} long
     * @return number of spike events
     */
    int step(float[] z, int[] eventsOut);

    /**
     * {@link #step} for an input that is the same {@code z} at every timestep of this control step
     * (the analog first layer's current): the same events, membranes and counts, bit for bit. At
     * the first call after {@link #beginControlStep()} it lists the neurons that can fire at all
     * under a constant input, {@code z_j > 0} or {@code v_init} at or over the fire threshold: with
     * {@code z_j <= 0} a float sum never rises ({@code v + z <= v}), so a neuron that starts below
     * its threshold never fires (and a signed neuron that never fired never sends a negative spike).
     * Every timestep then charges all neurons and checks only the listed ones.
     *
     * @param z the control step's constant input, the same array and values at every call until the next
     *     {@link #beginControlStep()}
     */
    int stepConstantInput(float[] z, int[] eventsOut);

    /**
     * Control-step end: the cross-step residual potential with factor {@code alpha} (SPEC 6,
     * generalised in each kind's Javadoc).
     *
     * @return spike events of the whole layer in this control step
     */
    int endControlStep(float alpha);

    /** Membrane potentials; live view for tests and diagnostics. */
    float[] membrane();

    /** Potentials the current (after {@link #endControlStep}: the next) control step starts from; live view. */
    float[] initialPotential();

    /** Spike events per neuron in the current control step; live view. */
    int[] spikeCounts();

    /**
     * What each neuron sent in the current control step, {@code sum over t of x_j(t)} (float32;
     * {@code n_j * theta_j} for IF neurons), into {@code out}: the numerator of the rate that bias
     * calibration compares with the ANN's activation (SPEC 10).
     */
    void emitted(float[] out);
}
