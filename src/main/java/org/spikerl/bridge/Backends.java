package org.spikerl.bridge;

import org.spikerl.env.EnvBackend;

/**
 * The environment backends this runtime ships: Python processes reached over the bridge, as many
 * as {@link #workers()} says.
 */
public final class Backends {
    /** System property for the number of Python workers; the environment variable is {@code SPIKERL_WORKERS}. */
    public static final String WORKERS_PROPERTY = "spikerl.workers";

    private Backends() {
    }

    /** What the jobs use unless told otherwise: {@link #python(BridgeOptions)} with {@link BridgeOptions#defaults()}. */
    public static EnvBackend.Factory defaults() {
        return () -> python(BridgeOptions.defaults()).start();
    }

    /** Up to {@link #workers()} Python processes started with {@code options}. */
    public static EnvBackend.Factory python(BridgeOptions options) {
        return () -> PythonWorkers.start(options, workers());
    }

    /**
     * Python workers per backend: {@code -Dspikerl.workers}, else {@code SPIKERL_WORKERS}, else one
     * per core this JVM may use (so {@code taskset -c 0} gives one).
     */
    public static int workers() {
        java.util.OptionalLong n = SystemSettings.wholeNumber(WORKERS_PROPERTY, System.getProperty(WORKERS_PROPERTY),
                "SPIKERL_WORKERS", System.getenv("SPIKERL_WORKERS"), 1, Integer.MAX_VALUE,
                "a whole number of Python workers >= 1");
        return n.isPresent() ? (int) n.getAsLong() : Runtime.getRuntime().availableProcessors();
    }
}
