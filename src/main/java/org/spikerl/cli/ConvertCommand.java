package org.spikerl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikerl.run.Conversion;
import org.spikerl.run.EvalConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spikerl convert}: write a converted-controller file. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert an actor to a spiking controller file (calibrated in closed loop through the bridge).")
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--env", required = true, description = "Gymnasium environment id for the calibration rollouts.")
    String env;

    @Option(names = "--policy", required = true, description = "Actor file.")
    Path policy;

    @Option(names = "--out", required = true, description = "Controller file to write.")
    Path out;

    @Mixin
    NormalizationArg normalization;

    @Mixin
    SnnArgs snn;

    @Override
    public Integer call() {
        new EvalConfig(env, policy, 1, 0, 1, null); // validates --env and --policy like eval does
        snn.snn = true; // convert always converts: the conversion options need no --snn here
        Conversion.Result r = Conversion.run(env, policy, normalization.file, snn.options(), out,
                CliSupport.commandLine(spec), org.spikerl.bridge.Backends.defaults());
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s%n", r.file());
        o.printf(Locale.ROOT, "wall time %.2f s: calibration rollouts %.2f s, conversion computation %.3f s, "
                + "file %.3f s, start-up (bridge, actor) %.2f s%n", r.totalSeconds(), r.rolloutSeconds(),
                r.conversionSeconds(), r.writeSeconds(),
                r.totalSeconds() - r.rolloutSeconds() - r.conversionSeconds() - r.writeSeconds());
        r.costLine().ifPresent(o::println);
        o.flush();
        return 0;
    }
}
