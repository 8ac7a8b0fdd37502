/**
 * The closed loop: the {@link org.spikerl.control.Controller} contract that ANN and SNN actors
 * share, the {@link org.spikerl.control.EpisodeRunner} that runs seeded episodes against a
 * {@link org.spikerl.env.VectorEnv} (SPEC section 8), and the calibration
 * {@link org.spikerl.control.Rollouts}. Imports nothing from the bridge or the CLI, so it is
 * tested against fake environments.
 */
package org.spikerl.control;
