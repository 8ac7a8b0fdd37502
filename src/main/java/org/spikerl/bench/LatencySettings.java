package org.spikerl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.spikerl.SpikerlException;

/**
 * One {@code spikerl bench latency} run: which actor on which environment, how many closed-loop
 * observations feed the benchmark, and the JMH schedule. Defaults live here ({@link #DEFAULT_STEPS}
 * ...) and nowhere else; values are checked at construction, before any bridge or JVM starts.
 *
 * <p>The default schedule (2 forks, 3 warm-up and 5 measured iterations of 1 s, seven benchmark
 * configurations) takes about 2.5 minutes on a 2-core machine; {@link #quick()} is a smoke-test
 * schedule whose numbers are not worth reporting.
 *
 * @param env Gymnasium environment id with version
 * @param policy actor file
 * @param steps closed-loop control steps recorded (calibration set and benchmark input cycle)
 * @param seed episode i of the recording is reset with {@code seed + i}
 * @param forks JMH forks per benchmark configuration
 * @param warmupIterations JMH warm-up iterations per fork
 * @param measurementIterations JMH measured iterations per fork
 * @param iterationMillis length of every warm-up and measured iteration
 * @param conversion the SNN's conversion (its T is replaced by each benchmarked T)
 */
public record LatencySettings(String env, Path policy, int steps, long seed, int forks, int warmupIterations,
                              int measurementIterations, int iterationMillis,
                              org.spikerl.convert.ConversionConfig conversion) {
    public static final int DEFAULT_STEPS = 2000;
    public static final long DEFAULT_SEED = 0;
    public static final int DEFAULT_FORKS = 2;
    public static final int DEFAULT_WARMUP_ITERATIONS = 3;
    public static final int DEFAULT_MEASUREMENT_ITERATIONS = 5;
    public static final int DEFAULT_ITERATION_MILLIS = 1000;
    /** Upper bound of {@code --steps}: the observations are kept in memory and in a JSON file. */
    public static final int MAX_STEPS = 1_000_000;
    /** Latencies T benchmarked for the SNN, in table order. */
    public static final List<Integer> TIMESTEPS = List.of(4, 8, 16, 32);
    /** The latency whose per-call distribution (p50, p99) is sampled. */
    public static final int SAMPLED_TIMESTEPS = 8;

    /** With the default conversion. */
    public LatencySettings(String env, Path policy, int steps, long seed, int forks, int warmupIterations,
                           int measurementIterations, int iterationMillis) {
        this(env, policy, steps, seed, forks, warmupIterations, measurementIterations, iterationMillis,
                org.spikerl.convert.ConversionConfig.DEFAULTS);
    }

    public LatencySettings {
        if (conversion == null) {
            conversion = org.spikerl.convert.ConversionConfig.DEFAULTS;
        }
        if (env == null || env.isBlank()) {
            throw new SpikerlException("--env is required, e.g. --env Hopper-v4");
        }
        if (policy == null) {
            throw new SpikerlException("--policy is required: an actor file");
        }
        if (!Files.isRegularFile(policy)) {
            throw new SpikerlException("--policy " + policy + ": no such file");
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new SpikerlException("--steps must be in 1.." + MAX_STEPS + ", got " + steps);
        }
        if (seed < 0) {
            throw new SpikerlException("--seed must be >= 0, got " + seed);
        }
        if (forks < 1) {
            throw new SpikerlException("--forks must be >= 1 (JMH measures in fresh JVMs), got " + forks);
        }
        if (warmupIterations < 0 || measurementIterations < 1 || iterationMillis < 1) {
            throw new SpikerlException("JMH schedule: warm-up iterations must be >= 0, measured iterations >= 1"
                    + " and iteration time >= 1 ms, got " + warmupIterations + ", " + measurementIterations
                    + ", " + iterationMillis + " ms");
        }
    }

    /** The default schedule for this actor and environment. */
    public static LatencySettings of(String env, Path policy, int steps, long seed, int forks) {
        return new LatencySettings(env, policy, steps, seed, forks, DEFAULT_WARMUP_ITERATIONS,
                DEFAULT_MEASUREMENT_ITERATIONS, DEFAULT_ITERATION_MILLIS);
    }

    /**
     * A smoke-test schedule (for the integration test): one fork, one warm-up and one measured
     * iteration of 200 ms, and at most 300 recorded steps. Checks the pipeline, not the speed.
     */
    public LatencySettings quick() {
        return new LatencySettings(env, policy, Math.min(steps, 300), seed, 1, 1, 1, 200, conversion);
    }

    /** The same run with another conversion. */
    public LatencySettings withConversion(org.spikerl.convert.ConversionConfig c) {
        return new LatencySettings(env, policy, steps, seed, forks, warmupIterations, measurementIterations,
                iterationMillis, c);
    }

    /** Benchmark configurations of one run: ANN, DJL, the SNN at every T, and the sampled SNN. */
    public static int configurations() {
        return 2 + TIMESTEPS.size() + 1;
    }
}
