/**
 * Energy as counting kept apart from pricing (SPEC section 7): {@link org.spikerl.energy.OpCounts}
 * counts MACs, synaptic operations, neuron updates and spikes per control step;
 * {@link org.spikerl.energy.EnergyPreset} names a price per operation; and
 * {@link org.spikerl.energy.EnergyReport} turns the two into picojoules per control step and the
 * SNN/ANN ratio.
 */
package org.spikerl.energy;
