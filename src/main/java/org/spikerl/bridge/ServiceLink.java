package org.spikerl.bridge;

/**
 * What an environment needs from its bridge: the Python service and the bridge's failure
 * handling. {@link PythonBridge} provides the real one; unit tests provide a fake service
 * without a Python process.
 */
interface ServiceLink {

    PyEnvService service();

    /** Where resets and steps go: the bridge's pipe, or Py4J calls of {@link #service()}. */
    BatchChannel batches();

    /** Throws a {@link BridgeException} if the bridge was closed or broken by an earlier failure. */
    void checkUsable(String envId, String operation);

    /** The one-line {@link BridgeException} for a call that threw {@code e}. */
    BridgeException failure(RuntimeException e, String envId, String operation);
}
