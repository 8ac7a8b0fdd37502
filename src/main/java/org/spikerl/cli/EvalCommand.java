package org.spikerl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.run.EvalConfig;
import org.spikerl.run.Evaluation;
import org.spikerl.run.RunBounds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spikerl eval}: closed-loop evaluation of an actor on a Gymnasium task. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate an actor (ANN, or its spiking conversion with --snn, next to the ANN on the same "
                + "seeds) on a Gymnasium environment.",
            "--policy may also be a controller file written by spikerl convert."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    RunArgs run;

    @Option(names = "--out", description = "Results directory (default: a new folder under results/runs).")
    Path out;

    @picocli.CommandLine.Mixin
    NormalizationArg normalization;

    @picocli.CommandLine.Mixin
    SnnArgs snn;

    @Option(names = "--max-episodes", defaultValue = "" + RunBounds.DEFAULT_MAX_EPISODES,
            description = "Refuse a run of more episodes (default: ${DEFAULT-VALUE}).")
    long maxEpisodes;

    @Option(names = "--dry-run", description = "Print the episodes and an estimated time, then stop.")
    boolean dryRun;

    @Option(names = "--no-ann", description = "With --snn: skip the ANN of the same actor on the same seeds "
            + "(by default it runs first, for the APR and its interval).")
    boolean noAnn;

    @Option(names = "--video", paramLabel = "DIR", description = "Also render the episode of the first seed into DIR "
            + "as a GIF (MuJoCo offscreen through OSMesa; needs Debian's libosmesa6); with --snn the ANN and the SNN "
            + "side by side.")
    Path video;

    @Option(names = "--resume", paramLabel = "DIR", description = "Complete the stopped evaluation in DIR (give the "
            + "same options as then): configuration, actor SHA-256 and versions must match; only the missing episodes "
            + "run, and DIR ends as an uninterrupted run would have left it.")
    Path resume;

    /** How the bridge starts; tests swap in options with the bridge's test hooks. */
    Supplier<BridgeOptions> bridgeOptions = BridgeOptions::defaults;

    /** Told about the episode loop; tests use it to inject failures part-way. */
    EpisodeRunner.Listener listener = EpisodeRunner.Listener.NONE;

    @Override
    public Integer call() {
        EvalConfig config = run.config(out).withNormalization(normalization.file);
        new RunBounds(maxEpisodes, RunBounds.DEFAULT_MAX_ROWS).checkEpisodes(config.episodes(), "--episodes");
        if (dryRun) {
            spec.commandLine().getOut().println("eval " + config.env() + " " + config.policy() + ": seeds "
                    + config.seed() + ".." + (config.seed() + config.episodes() - 1) + "; "
                    + RunBounds.estimate(config.episodes()));
            spec.commandLine().getOut().flush();
            return 0;
        }
        Evaluation.ControllerFactory factory = Evaluation.ControllerFactory.ANN;
        if (snn.enabled()) {
            org.spikerl.run.SnnOptions o = snn.options();
            if (o.tune() != null) {
                o.tune().checkDisjoint(config.seed(), config.episodes(), "--seed");
            }
            factory = o.factory();
        }
        Evaluation.run(config, CliSupport.commandLine(spec), spec.commandLine().getOut(),
                System.console() != null, factory, bridgeOptions, listener, !noAnn, video, resume);
        return 0;
    }
}
