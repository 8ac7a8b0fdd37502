package org.spikerl.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spikerl.run.Evaluation;
import org.spikerl.sweep.Sweep;
import org.spikerl.sweep.SweepConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spikerl sweep}: ANN baseline and a grid of conversions from a config file. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Evaluate the ANN and a grid of SNN conversions (T, threshold, delay, alpha) on the same seeds.")
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, description = "Sweep config (YAML), e.g. configs/tuned/hopper.yaml.")
    Path config;

    @Option(names = "--out", description = "Results directory (default: a new folder under results/runs).")
    Path out;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        SweepConfig c = SweepConfig.load(config, Evaluation.home());
        Path dir = Sweep.run(c, config, out, CliSupport.commandLine(spec), spec.commandLine().getOut());
        spec.commandLine().getOut().println("results: " + dir);
        return 0;
    }
}
