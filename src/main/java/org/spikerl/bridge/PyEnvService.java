package org.spikerl.bridge;

/**
 * What the Python bridge process offers, implemented by {@code EnvService} in
 * {@code envs/spikerl_bridge.py} (Py4J calls it by these method names). The bridge sends resets
 * and steps over its pipe ({@link PipeChannel}) instead; {@link #resetBatch} and
 * {@link #stepBatch} serve the same over Py4J ({@link Py4jBatches}). Internal to the bridge:
 * use {@link PythonBridge}, {@link BridgeVectorEnv} and {@link BridgeEnv}.
 *
 * <p>Batches address slots {@code [start, start + count)} of one environment group. Byte arrays
 * are packed little-endian: float64 observations, actions and rewards, int64 seeds, one uint8 per
 * slot for masks and flags. A slot whose mask byte is 0 is left alone and its output is zeros.
 */
public interface PyEnvService {

    /** Echoes {@code value}: the cheapest round trip. */
    int ping(int value);

    /** JSON object of the versions of python, gymnasium, mujoco, numpy and py4j. */
    String versions();

    /** Every registered Gymnasium id, one per line, sorted. */
    String envIds();

    /**
     * Makes {@code numEnvs} copies of {@code gymnasium.make(envId, **kwargs)} and returns their
     * spec as JSON: handle, id, num_envs, observation and action (shape, low, high; infinite bounds
     * as {@code Infinity}), max_episode_steps (0 when none).
     */
    String make(String envId, int numEnvs, String kwargsJson);

    /** Resets masked slots with {@code env.reset(seed=seeds[i])}; returns count * obsSize float64. */
    byte[] resetBatch(int handle, int start, int count, byte[] mask, byte[] seeds);

    /**
     * Steps masked slots with their actions (count * actSize float64); returns count * obsSize
     * float64 observations, count float64 rewards, count uint8 terminated, count uint8 truncated.
     */
    byte[] stepBatch(int handle, int start, int count, byte[] mask, byte[] actions);

    /**
     * JSON object: {@code env_step_s}, the wall time spent inside the group's {@code env.step}
     * calls since it was made, and {@code env_steps}, how many there were.
     */
    String timings(int handle);

    /** Closes one environment group; unknown handles are ignored. */
    void close(int handle);

    /** Closes every environment group (polite shutdown before the process is ended). */
    void shutdown();

    /** Sleeps; only when the process was started with test hooks, to test call timeouts. */
    double debugSleep(double seconds);
}
