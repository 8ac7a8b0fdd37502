package org.spikerl.env;

import java.util.Map;

/**
 * Where vector environments come from: one or more processes hosting Gymnasium, or a fake in
 * tests. A job starts a backend through a {@link Factory} (chosen at run time, the way
 * Stable-Baselines3's {@code make_vec_env(vec_env_cls=...)} picks its vector env class and DJL's
 * {@code EngineProvider} its engine), opens the vector environments it needs and closes the backend
 * at the end, which also ends whatever processes it started.
 */
public interface EnvBackend extends AutoCloseable {

    /**
     * {@code size} copies of {@code envId}, stepped together; closing the vector env leaves the
     * backend open.
     */
    VectorEnv open(String envId, int size);

    /** Versions of what simulates the environments (python, gymnasium, mujoco, ...), for provenance. */
    Map<String, String> versions();

    /** The environment ids this backend can open (for suggestions in errors); empty when it cannot tell. */
    default java.util.List<String> envIds() {
        return java.util.List.of();
    }

    /** Closes every environment and ends every process the backend started. */
    @Override
    void close();

    /** Starts a backend; jobs take one so that tests and other backends plug in. */
    @FunctionalInterface
    interface Factory {
        EnvBackend start();
    }
}
