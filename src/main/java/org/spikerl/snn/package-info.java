/**
 * The spiking simulation of SPEC sections 3 and 6: integrate-and-fire neuron layers
 * ({@link org.spikerl.snn.IfLayer}, flat state, charge -> fire -> reset in place), the immutable
 * parameters of a converted network ({@link org.spikerl.snn.SpikingActor}) and the controller that
 * runs it once per control step with event-driven synaptic accumulation, delayed readout,
 * cross-step residual potential and operation counting ({@link org.spikerl.snn.SnnController}).
 * Imports nothing from the bridge or the CLI.
 */
package org.spikerl.snn;
