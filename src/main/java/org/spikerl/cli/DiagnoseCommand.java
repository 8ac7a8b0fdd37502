package org.spikerl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spikerl.SpikerlException;
import org.spikerl.run.Diagnose;
import org.spikerl.run.EvalConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spikerl diagnose}: where one conversion of one actor loses accuracy. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Show where a conversion's error comes from: per layer, along an ANN trajectory, in closed loop.")
final class DiagnoseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, description = "Gymnasium environment id with version, e.g. Hopper-v4.")
    String env;

    @Option(names = "--policy", required = true, description = "Actor file, or a converted controller file.")
    Path policy;

    @Option(names = "--episodes", defaultValue = "3", description = "Closed-loop episodes compared (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--seed", defaultValue = "2000", description = "Closed-loop episode i is reset with seed S+i (default: ${DEFAULT-VALUE}: "
            + "neither evaluation nor the tuner's episodes).")
    long seed;

    @Option(names = "--out", description = "Results directory (default: a new folder under results/runs).")
    Path out;

    @Mixin
    NormalizationArg normalization;

    @Mixin
    SnnArgs snn;

    @Override
    public Integer call() {
        new EvalConfig(env, policy, Math.max(1, episodes), seed, 1, null); // validates --env and --policy like eval
        if (episodes < 1 || episodes > 1000) {
            throw new SpikerlException("--episodes must be in 1..1000, got " + episodes);
        }
        snn.snn = true;
        if (org.spikerl.snn.io.ControllerFile.isControllerFile(policy) && snn.givesConversionOptions()) {
            throw new SpikerlException(policy + " is already a converted controller; drop the conversion options");
        }
        Path dir = Diagnose.run(env, policy, normalization.file, snn.options(), episodes, seed, out,
                CliSupport.commandLine(spec), new java.io.PrintWriter(new java.io.OutputStreamWriter(System.err,
                        java.nio.charset.StandardCharsets.UTF_8), true), org.spikerl.bridge.Backends.defaults());
        spec.commandLine().getOut().println("results: " + dir);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
