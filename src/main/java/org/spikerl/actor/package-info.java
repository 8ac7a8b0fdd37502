/**
 * The actor network as SPEC section 2 defines it, independent of where it came from: its dense
 * layers, observation normalisation and action head ({@link org.spikerl.actor.Actor}), the
 * float32 forward pass ({@link org.spikerl.actor.Forward}) and the ANN controller that runs it once
 * per control step ({@link org.spikerl.actor.AnnController}). Importers live in
 * {@code org.spikerl.actor.io}.
 */
package org.spikerl.actor;
