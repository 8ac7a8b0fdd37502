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

    @picocli.CommandLine.Mixin
    RunArgs run;

    @Option(names = "--out", description = "Results directory (default: a new folder under results/runs).")
    Path out;

    @Option(names = "--normalization", description = "Observation statistics of the actor (VecNormalize pickle, e.g."
            + " vecnormalize.pkl, or JSON); default: found beside the actor (RL Zoo ENV/vecnormalize.pkl,"
            + " <stem>.vecnormalize.json).")
    Path normalization;

    @picocli.CommandLine.Mixin
    SnnArgs snn;

    /** How the bridge starts; tests swap in options with the bridge's test hooks. */
    Supplier<BridgeOptions> bridgeOptions = BridgeOptions::defaults;

    /** Told about the episode loop; tests use it to inject failures part-way. */
    EpisodeRunner.Listener listener = EpisodeRunner.Listener.NONE;

    @Override
    public Integer call() {
        EvalConfig config = run.config(out).withNormalization(normalization);
        Evaluation.ControllerFactory factory = Evaluation.ControllerFactory.ANN;
        if (snn.enabled()) {
            org.spikerl.run.SnnOptions o = snn.options();
            if (o.tune() != null) {
                o.tune().checkDisjoint(config.seed(), config.episodes(), "--seed");
            }
            factory = o.factory();
        }
        Evaluation.run(config, CliSupport.commandLine(spec), spec.commandLine().getOut(),
                System.console() != null, factory, bridgeOptions, listener);
        return 0;
    }
}
