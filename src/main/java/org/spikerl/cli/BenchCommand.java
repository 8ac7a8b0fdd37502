package org.spikerl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikerl.run.EvalConfig;
import org.spikerl.run.LoopBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spikerl bench}: benchmarks that print numbers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Loop.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a benchmark: loop");
    }

    /** Closed-loop steps per second: Java runtime vs the pure-Python loop. */
    @Command(name = "loop", mixinStandardHelpOptions = true,
            description = "Environment steps per second of the Java eval loop next to envs/python_loop.py.")
    static final class Loop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--env", required = true, description = "Gymnasium environment id.")
        String env;

        @Option(names = "--policy", required = true, description = "torch.save state-dict actor.")
        Path policy;

        @Option(names = "--episodes", defaultValue = "" + EvalConfig.DEFAULT_EPISODES, description = "Episodes (default: ${DEFAULT-VALUE}).")
        int episodes;

        @Option(names = "--seed", defaultValue = "0", description = "First episode seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--num-envs", defaultValue = "" + EvalConfig.DEFAULT_NUM_ENVS, description = "Environments per bridge call (default: ${DEFAULT-VALUE}).")
        int numEnvs;

        @Override
        public Integer call() {
            EvalConfig checked = new EvalConfig(env, policy, episodes, seed, numEnvs, null);
            LoopBenchmark.Result r = LoopBenchmark.run(checked.env(), checked.policy(), checked.episodes(),
                    checked.seed(), checked.numEnvs());
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s, %d episodes, %d steps (seeds %d..%d)%n", r.env(), r.episodes(), r.steps(),
                    seed, seed + episodes - 1);
            out.printf(Locale.ROOT, "%-28s %10s %12s %16s %18s%n", "loop", "steps/s", "mean return",
                    "actor us/step", "env+io us/step");
            row(out, "java (bridge, K=" + r.numEnvs() + ")", r.java(), r.steps());
            row(out, "python (numpy actor)", r.python(), r.steps());
            out.printf(Locale.ROOT, "java / python: %.2fx%n", r.speedup());
            out.flush();
            return 0;
        }

        private static void row(PrintWriter out, String name, LoopBenchmark.Side s, long steps) {
            out.printf(Locale.ROOT, "%-28s %10.0f %12.1f %16.1f %18.1f%n", name, s.stepsPerSecond(), s.meanReturn(),
                    s.actorSeconds() / steps * 1e6, s.envMicrosPerStep(steps));
        }
    }
}
