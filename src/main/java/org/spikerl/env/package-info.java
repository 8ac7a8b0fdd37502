/**
 * The environment contract the control loop runs against: a Gymnasium-shaped single
 * {@link org.spikerl.env.Env} and a batched {@link org.spikerl.env.VectorEnv} with caller-owned
 * flat buffers, plus the {@link org.spikerl.env.EnvSpec} of an environment id (Box spaces and
 * time limit), and the {@link org.spikerl.env.EnvBackend} that opens vector envs (one or more
 * processes hosting Gymnasium). Implementations live elsewhere: the Python bridge for real
 * Gymnasium tasks, fakes in tests.
 */
package org.spikerl.env;
