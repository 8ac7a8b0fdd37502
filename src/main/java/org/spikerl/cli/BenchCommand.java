package org.spikerl.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.spikerl.bench.LatencyBenchmark;
import org.spikerl.bench.LatencyReport;
import org.spikerl.bench.LatencySettings;
import org.spikerl.run.EvalConfig;
import org.spikerl.run.LoopBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spikerl bench}: benchmarks that print numbers. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Loop.class, BenchCommand.Latency.class})
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a benchmark: loop or latency");
    }

    /** Closed-loop steps per second: Java runtime vs the pure-Python loop. */
    @Command(name = "loop", mixinStandardHelpOptions = true,
            description = {"Environment steps per second of the Java eval loop (ANN, and SNN at T = 8) next to"
                    + " envs/python_loop.py and the environment alone, with each loop's actor / transport / env"
                    + " shares and the cores it used.",
                    "Python workers: one per core (-Dspikerl.workers or SPIKERL_WORKERS to change)."})
    static final class Loop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        RunArgs run;

        @Override
        public Integer call() {
            EvalConfig checked = run.config(null);
            double loadBefore = LatencyBenchmark.loadAverage();
            LoopBenchmark.Result r = LoopBenchmark.run(checked.env(), checked.policy(), checked.episodes(),
                    checked.seed(), checked.numEnvs());
            double loadAfter = LatencyBenchmark.loadAverage();
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s, %d episodes, %d steps (seeds %d..%d); load average %.2f before, %.2f after"
                            + " (%d cores)%n", r.env(), r.episodes(), r.steps(), checked.seed(),
                    checked.seed() + checked.episodes() - 1, loadBefore, loadAfter,
                    Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "SNN: %s, thresholds from %d calibration steps (seeds %d+), not tuned%n",
                    LoopBenchmark.SNN_CONVERSION.describe(), LoopBenchmark.SNN_CALIBRATION_STEPS,
                    org.spikerl.run.SnnOptions.DEFAULT_CALIBRATION_SEED);
            out.printf(Locale.ROOT, "%-28s %10s %12s %16s %18s %14s %18s  %-22s %5s%n", "loop", "steps/s",
                    "mean return", "actor us/step", "env+io us/step", "env us/step", "transport us/step",
                    "actor/transport/env %", "cores");
            for (LoopBenchmark.Side s : r.rows()) {
                row(out, s);
            }
            out.println("env us/step: inside env.step, per process; the wall share divides it by the processes"
                    + " stepping at once (cores)");
            out.printf(Locale.ROOT, "java / python: %.2fx%n", r.speedup());
            out.printf(Locale.ROOT, "java snn / python: %.2fx%n", r.snnSpeedup());
            out.flush();
            return 0;
        }

        private static void row(PrintWriter out, LoopBenchmark.Side s) {
            String shares = String.format(Locale.ROOT, "%.0f / %.0f / %.0f", 100 * s.actorShare(),
                    100 * s.transportShare(), 100 * s.envShare());
            out.printf(Locale.ROOT, "%-28s %10.0f %12.1f %16.1f %18.1f %14.1f %18.1f  %-22s %5d%n", s.name(),
                    s.stepsPerSecond(), s.meanReturn(), s.actorMicros(), s.envMicrosPerStep(s.steps()),
                    s.simulationMicros(), s.transportMicros(), shares, s.cores());
        }
    }

    /**
     * Microseconds per action of the Java ANN, DJL's forward of the same actor and the SNN at
     * T = 4, 8, 16, 32, measured with JMH on recorded closed-loop observations.
     */
    @Command(name = "latency", mixinStandardHelpOptions = true,
            description = {"Microseconds per action (JMH): Java ANN, DJL (libtorch) forward of the same actor, "
                    + "and the converted SNN at T = 4, 8, 16, 32, on closed-loop observations recorded through "
                    + "the bridge; with bytes allocated per call and SNN T=8 percentiles.",
                    "Takes about 2.5 minutes with the defaults."})
    static final class Latency implements Callable<Integer> {
        /**
         * The latency target: SNN act() at T=8, microseconds per action (15 in the first wave; 10
         * for the default controller since the low-latency issue).
         */
        static final double TARGET_SNN_T8_US = 10.0;

        @Spec
        CommandSpec spec;

        @Option(names = "--env", required = true, description = "Gymnasium environment id with version, e.g. Hopper-v4.")
        String env;

        @Option(names = "--policy", required = true, description = "Actor file (torch.save state dict, SB3 zip, TorchScript, safetensors).")
        Path policy;

        @Option(names = "--steps", defaultValue = "" + LatencySettings.DEFAULT_STEPS,
                description = "Closed-loop ANN steps recorded: the SNN's calibration set and the benchmark input (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--seed", defaultValue = "" + LatencySettings.DEFAULT_SEED,
                description = "Episode i of the recording is reset with seed S+i (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--forks", defaultValue = "" + LatencySettings.DEFAULT_FORKS,
                description = "JMH forks per benchmark (default: ${DEFAULT-VALUE}).")
        int forks;

        @Option(names = "--json", description = "End with one JSON line: {\"ann_us\": .., \"djl_us\": .., \"snn_us\": {\"4\": .., ...}}.")
        boolean json;

        /** Smoke-test schedule for the integration test: numbers not worth reporting. */
        @Option(names = "--quick", hidden = true)
        boolean quick;

        @Option(names = "--neuron", paramLabel = "PLAN", description = "SNN neuron plan: if, mt:N, mt:N@P, signed, or one per hidden layer (default: if).")
        String neuron;

        @Option(names = "--threshold", paramLabel = "METHOD", description = "SNN threshold method (default: max:neuron).")
        String threshold;

        @Option(names = "--delay", paramLabel = "K", description = "SNN readout delay t0, lowered to T-1 (or the largest multiple of the firing period below T) where it does not fit (default: 1).")
        String delay;

        @Option(names = "--alpha", paramLabel = "A", description = "SNN residual factor (default: 0.5).")
        Double alpha;

        @Option(names = "--calibrate", paramLabel = "none|bias", description = "SNN bias calibration (default: none).")
        String calibrate;

        private org.spikerl.convert.ConversionConfig conversion() {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            if (neuron != null) {
                m.put("neuron", neuron);
            }
            if (threshold != null) {
                m.put("method", threshold);
            }
            if (delay != null) {
                m.put("delay", delay);
                m.put("timesteps", "64"); // any T the delay fits; each benchmarked T replaces it
            }
            if (alpha != null) {
                m.put("alpha", Double.toString(alpha));
            }
            if (calibrate != null) {
                m.put("calibration", calibrate);
            }
            return org.spikerl.convert.ConversionConfig.fromDescription(m);
        }

        @Override
        public Integer call() {
            LatencySettings settings = LatencySettings.of(env, policy, steps, seed, forks).withConversion(conversion());
            if (quick) {
                settings = settings.quick();
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter progress = spec.commandLine().getErr();
            double loadBefore = LatencyBenchmark.loadAverage();
            LatencyBenchmark.Outcome o = LatencyBenchmark.run(settings, progress);
            double loadAfter = LatencyBenchmark.loadAverage();
            out.printf(Locale.ROOT, "%s, %s (%s): %d closed-loop ANN observations (%d episode(s), seeds %d..%d)%n",
                    settings.env(), settings.policy().getFileName(), o.actorShape(), settings.steps(), o.episodes(),
                    settings.seed(), settings.seed() + o.episodes() - 1);
            out.printf(Locale.ROOT, "SNN: conversion %s (T replaced per row), thresholds from those observations; DJL:"
                    + " libtorch with 1 intra-op and 1 inter-op thread%n", settings.conversion().describe());
            out.printf(Locale.ROOT, "JMH %s: %d fork(s) x (%d warm-up + %d measured) x %d ms, 1 thread; error = 99.9%%"
                            + " CI half-width; B/op = gc.alloc.rate.norm; load average %.2f before, %.2f after (%d cores)%n",
                    LatencyBenchmark.jmhVersion(), settings.forks(), settings.warmupIterations(),
                    settings.measurementIterations(), settings.iterationMillis(), loadBefore, loadAfter,
                    Runtime.getRuntime().availableProcessors());
            if (quick) {
                out.println("(--quick: smoke-test schedule, the numbers are not measurements)");
            }
            LatencyReport report = o.report();
            report.printTable(out, o.profiles(), TARGET_SNN_T8_US, settings.iterationMillis());
            out.println("JMH log and results: " + o.workDir());
            if (json) {
                out.println(report.detailsJsonLine());
                out.println(report.jsonLine());
            }
            out.flush();
            return 0;
        }
    }
}
