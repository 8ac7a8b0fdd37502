package org.spikerl.cli;

import java.nio.file.Path;
import org.spikerl.run.EvalConfig;
import picocli.CommandLine.Option;

/**
 * The options every closed-loop command shares ({@code eval}, {@code bench loop}): which actor on
 * which environment, how many episodes from which seed, how many environments per bridge call.
 * Defaults come from {@link EvalConfig}, which also validates them.
 */
final class RunArgs {
    @Option(names = "--env", required = true, description = "Gymnasium environment id with version, e.g. Hopper-v4.")
    String env;

    @Option(names = "--policy", required = true,
            description = "Actor file (torch.save state dict, SB3 zip, TorchScript, safetensors).")
    Path policy;

    @Option(names = "--episodes", defaultValue = "" + EvalConfig.DEFAULT_EPISODES,
            description = "Episodes to run (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "" + EvalConfig.DEFAULT_SEED,
            description = "Episode i is reset with seed S+i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--num-envs", defaultValue = "" + EvalConfig.DEFAULT_NUM_ENVS,
            description = "Environments stepped together per bridge call (default: ${DEFAULT-VALUE}).")
    int numEnvs;

    EvalConfig config(Path out) {
        return new EvalConfig(env, policy, episodes, seed, numEnvs, out);
    }
}
