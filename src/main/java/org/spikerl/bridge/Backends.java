package org.spikerl.bridge;

import org.spikerl.env.EnvBackend;

/** The environment backends this runtime ships: Python processes reached over the Py4J bridge. */
public final class Backends {
    private Backends() {
    }

    /** What the jobs use unless told otherwise: a Python bridge with {@link BridgeOptions#defaults()}. */
    public static EnvBackend.Factory defaults() {
        return () -> PythonBridge.start(BridgeOptions.defaults());
    }

    /** A Python bridge started with {@code options}. */
    public static EnvBackend.Factory python(BridgeOptions options) {
        return () -> PythonBridge.start(options);
    }
}
