package org.spikerl.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.SpikerlException;

/**
 * One evaluation: which actor on which environment, how many episodes from which seed, and
 * where results go. The CLI, the Java API and the sweep configs all build this one shape;
 * defaults live here and nowhere else.
 *
 * @param env Gymnasium environment id with version
 * @param policy actor file
 * @param episodes number of episodes (episode i is reset with seed + i)
 * @param seed first episode seed
 * @param numEnvs environments stepped together per bridge call
 * @param out results directory, or null for a run folder under {@code results/runs}
 * @param normalization observation statistics for the actor (VecNormalize pickle or JSON), or null
 *        to look for them beside the actor
 */
public record EvalConfig(String env, Path policy, int episodes, long seed, int numEnvs, Path out, Path normalization) {
    public static final int DEFAULT_EPISODES = 10;
    public static final long DEFAULT_SEED = 0;
    public static final int DEFAULT_NUM_ENVS = 10;
    public static final int MAX_NUM_ENVS = 256;

    public EvalConfig {
        if (env == null || env.isBlank()) {
            throw new SpikerlException("--env is required, e.g. --env Hopper-v4");
        }
        if (policy == null) {
            throw new SpikerlException("--policy is required: an actor file");
        }
        if (episodes < 1) {
            throw new SpikerlException("--episodes must be >= 1, got " + episodes);
        }
        if (seed < 0) {
            throw new SpikerlException("--seed must be >= 0, got " + seed);
        }
        if (numEnvs < 1 || numEnvs > MAX_NUM_ENVS) {
            throw new SpikerlException("--num-envs must be in 1.." + MAX_NUM_ENVS + ", got " + numEnvs);
        }
    }

    /** No normalisation file named: statistics are looked for beside the actor. */
    public EvalConfig(String env, Path policy, int episodes, long seed, int numEnvs, Path out) {
        this(env, policy, episodes, seed, numEnvs, out, null);
    }

    /** The same evaluation with the actor's observation statistics read from {@code file}. */
    public EvalConfig withNormalization(Path file) {
        return new EvalConfig(env, policy, episodes, seed, numEnvs, out, file);
    }

    /** Environments actually used: no more than episodes. */
    public int slots() {
        return Math.min(numEnvs, episodes);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("env", env);
        m.put("policy", policy.toString());
        m.put("episodes", episodes);
        m.put("seed", seed);
        m.put("num_envs", slots());
        if (normalization != null) {
            m.put("normalization", normalization.toString());
        }
        return m;
    }
}
