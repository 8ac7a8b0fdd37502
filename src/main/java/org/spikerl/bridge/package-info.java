/**
 * The bridge to Gymnasium: a Python child process ({@code envs/spikerl_bridge.py}) reached over
 * Py4J on the loopback interface with a per-bridge random token. {@link
 * org.spikerl.bridge.PythonBridge} owns the process and the gateway and turns every failure into a
 * one-line {@link org.spikerl.bridge.BridgeException}; {@link org.spikerl.bridge.BridgeVectorEnv}
 * and {@link org.spikerl.bridge.BridgeEnv} implement the environment interfaces on top of it, with
 * resets and steps as little-endian binary frames over the child's stdin and stdout (Py4J keeps
 * the control calls). {@link org.spikerl.bridge.PythonWorkers}, the default
 * {@link org.spikerl.env.EnvBackend} ({@link org.spikerl.bridge.Backends}), spreads a vector env
 * over several such processes, one per core. docs/throughput.md has the profile behind it.
 */
package org.spikerl.bridge;
