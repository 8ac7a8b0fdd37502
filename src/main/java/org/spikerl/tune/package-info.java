/**
 * Per-actor choice of the conversion (neuron model, thresholds, delay, alpha, bias calibration)
 * for a given latency T, made on tuning seeds only, never on evaluation seeds: an offline ranking
 * on recorded calibration states, then closed-loop successive halving on tuning episodes.
 * Depends on the conversion, the spiking simulation and the control loop through the
 * {@link org.spikerl.env.VectorEnv} interface; nothing here knows the bridge or the CLI.
 */
package org.spikerl.tune;
