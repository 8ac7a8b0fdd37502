/**
 * The bridge to Gymnasium: a Python child process ({@code envs/spikerl_bridge.py}) reached over
 * Py4J on the loopback interface with a per-bridge random token. {@link
 * org.spikerl.bridge.PythonBridge} owns the process and the gateway and turns every failure into a
 * one-line {@link org.spikerl.bridge.BridgeException}; {@link org.spikerl.bridge.BridgeVectorEnv}
 * and {@link org.spikerl.bridge.BridgeEnv} implement the environment interfaces on top of it, with
 * batches packed as little-endian bytes and split to keep every Py4J message under 8 KB.
 */
package org.spikerl.bridge;
