package org.spikerl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.run.EvalConfig;
import org.spikerl.run.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spikerl eval}: closed-loop evaluation of an actor on a Gymnasium task. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate an actor (ANN, or its spiking conversion) on a Gymnasium environment.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, description = "Gymnasium environment id with version, e.g. Hopper-v4.")
    String env;

    @Option(names = "--policy", required = true, description = "Actor file (torch.save state dict, SB3 zip, TorchScript, safetensors).")
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

    @Option(names = "--out", description = "Results directory (default: a new folder under results/runs).")
    Path out;

    @picocli.CommandLine.Mixin
    SnnArgs snn;

    /** How the bridge starts; tests swap in options with the bridge's test hooks. */
    Supplier<BridgeOptions> bridgeOptions = BridgeOptions::defaults;

    /** Told about the episode loop; tests use it to inject failures part-way. */
    EpisodeRunner.Listener listener = EpisodeRunner.Listener.NONE;

    @Override
    public Integer call() {
        EvalConfig config = new EvalConfig(env, policy, episodes, seed, numEnvs, out);
        Evaluation.ControllerFactory factory = snn.enabled() ? snn.options().factory() : Evaluation.ControllerFactory.ANN;
        Evaluation.run(config, CliSupport.commandLine(spec), spec.commandLine().getOut(),
                System.console() != null, factory, bridgeOptions, listener);
        return 0;
    }
}
