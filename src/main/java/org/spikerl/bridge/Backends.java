package org.spikerl.bridge;

import org.spikerl.SpikerlException;
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
        String v = System.getProperty(WORKERS_PROPERTY);
        String from = "-D" + WORKERS_PROPERTY;
        if (v == null) {
            v = System.getenv("SPIKERL_WORKERS");
            from = "SPIKERL_WORKERS";
        }
        if (v == null || v.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SpikerlException(from + " is '" + v + "'; expected a whole number of Python workers >= 1");
    }
}
