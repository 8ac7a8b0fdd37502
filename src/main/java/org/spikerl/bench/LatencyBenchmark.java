package org.spikerl.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.actor.DenseLayer;
import org.spikerl.bridge.Backends;
import org.spikerl.control.Rollouts;
import org.spikerl.env.EnvSpec;
import org.spikerl.run.EnvSession;
import org.spikerl.run.EvalConfig;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;

/**
 * {@code spikerl bench latency} as a job:
 * <ol>
 *   <li>record {@code steps} closed-loop observations of the ANN actor through the bridge
 *       (deterministic policy, episode i reset with {@code seed + i}), then close the bridge;</li>
 *   <li>write them with the actor path and action bounds to a {@link LatencyInput} file;</li>
 *   <li>run the {@link ActLatency} benchmarks with JMH in forked JVMs that read that file (the SNN
 *       calibrated on the same observations it is timed on, as the converter would be in use);</li>
 *   <li>untimed, run the SNN over the observations once per T for its delay, spike rates and SOPs.</li>
 * </ol>
 * The forks get the class path of this JVM ({@code java.class.path}; under {@code java -jar} that
 * is the jar, whose manifest {@code Class-Path} names {@code lib/*}), a fixed 1 GB heap, and
 * libtorch limited to one intra-op and one inter-op thread, so every benchmark is one thread on
 * one core. JMH's gc profiler adds {@code gc.alloc.rate.norm} (bytes allocated per call).
 * JMH's full log and its JSON results stay in a temporary folder whose path is printed.
 */
public final class LatencyBenchmark {
    private LatencyBenchmark() {
    }

    /** Everything the command prints. */
    public record Outcome(LatencyReport report, Map<Integer, LatencyReport.SnnProfile> profiles, String actorShape,
                          int episodes, Path workDir) {
    }

    public static Outcome run(LatencySettings s, PrintWriter progress) {
        progress.printf("bench latency: recording %d closed-loop steps of the ANN on %s (seed %d)%n", s.steps(),
                s.env(), s.seed());
        progress.flush();
        Recording rec = record(s);
        Path dir;
        try {
            dir = Files.createTempDirectory("spikerl-latency-");
        } catch (IOException e) {
            throw new SpikerlException("cannot create a temporary folder for the benchmark: " + e.getMessage(), e);
        }
        Path inputFile = dir.resolve("input.json");
        rec.input().write(inputFile);
        try {
            Map<Integer, LatencyReport.SnnProfile> profiles = profiles(rec.actor(), rec.input().observations(),
                    s.conversion());
            long seconds = (long) LatencySettings.configurations() * s.forks()
                    * (s.warmupIterations() + s.measurementIterations()) * s.iterationMillis() / 1000;
            progress.printf("bench latency: JMH, %d configurations x %d fork(s) x (%d + %d) x %d ms: about %d s"
                            + " of measurement plus JVM starts; log in %s%n", LatencySettings.configurations(),
                    s.forks(), s.warmupIterations(), s.measurementIterations(), s.iterationMillis(), seconds,
                    dir.resolve("jmh.log"));
            progress.flush();
            Collection<RunResult> results = runJmh(s, inputFile, dir, progress);
            LatencyReport report = LatencyReport.fromJmh(results);
            return new Outcome(report, profiles, shape(rec.actor()), rec.episodes(), dir);
        } finally {
            try {
                Files.deleteIfExists(inputFile);
            } catch (IOException e) {
                progress.println("bench latency: could not delete " + inputFile + ": " + e.getMessage());
            }
        }
    }

    private record Recording(Actor actor, LatencyInput input, int episodes) {
    }

    /**
     * The ANN in closed loop for {@code steps} control steps; the observations it acted on, in
     * episode order ({@link Rollouts}: the same whatever the number of slots).
     */
    private static Recording record(LatencySettings s) {
        try (EnvSession session = EnvSession.open(Backends.defaults(), s.env(), EvalConfig.DEFAULT_NUM_ENVS,
                s.policy())) {
            EnvSpec spec = session.spec();
            Actor actor = session.actor();
            Rollouts.Recorded r = Rollouts.record(session.env(), new AnnController(actor), s.steps(), s.seed());
            LatencyInput input = new LatencyInput(s.env(), s.policy().toAbsolutePath(), spec.actionSpace().low(),
                    spec.actionSpace().high(), s.seed(), r.observations());
            return new Recording(actor, input, r.episodes());
        }
    }

    /** Delay, spike rates and SOPs per action of the benchmarked networks on the benchmark input. */
    static Map<Integer, LatencyReport.SnnProfile> profiles(Actor actor, double[][] observations,
                                                           org.spikerl.convert.ConversionConfig conversion) {
        Map<Integer, LatencyReport.SnnProfile> profiles = new LinkedHashMap<>();
        double[] action = new double[actor.actionSize()];
        for (int t : LatencySettings.TIMESTEPS) {
            SpikingActor net = ActLatency.spikingActor(actor, observations, t, conversion);
            SnnController snn = new SnnController(net);
            for (double[] o : observations) {
                snn.act(o, action);
            }
            profiles.put(t, new LatencyReport.SnnProfile(t, net.delay(), snn.counts().spikeRates(),
                    snn.counts().sopsPerStep()));
        }
        return profiles;
    }

    private static Collection<RunResult> runJmh(LatencySettings s, Path inputFile, Path dir, PrintWriter progress) {
        String[] timesteps = LatencySettings.TIMESTEPS.stream().map(String::valueOf).toArray(String[]::new);
        TimeValue iteration = TimeValue.milliseconds(s.iterationMillis());
        Options options = new OptionsBuilder()
                .include(Pattern.quote(ActLatency.class.getName()) + "\\..*")
                .param("timesteps", timesteps)
                .forks(s.forks())
                .warmupIterations(s.warmupIterations())
                .warmupTime(iteration)
                .measurementIterations(s.measurementIterations())
                .measurementTime(iteration)
                .threads(1)
                .jvmArgs(forkJvmArgs(inputFile, s.conversion()).toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(true)
                .result(dir.resolve("jmh-results.json").toString())
                .resultFormat(ResultFormatType.JSON)
                .build();
        Path logFile = dir.resolve("jmh.log");
        try (PrintStream log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8)) {
            ProgressFormat format = new ProgressFormat(OutputFormatFactory.createFormatInstance(log, VerboseMode.NORMAL),
                    progress, LatencySettings.configurations());
            Collection<RunResult> results = new Runner(options, format).run();
            if (results.isEmpty()) {
                throw new SpikerlException("JMH ran no benchmark (is META-INF/BenchmarkList in the jar?); see " + logFile);
            }
            return results;
        } catch (RunnerException e) {
            throw new SpikerlException("JMH run failed (" + e.getMessage() + "); see " + logFile, e);
        } catch (IOException e) {
            throw new SpikerlException("cannot write " + logFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Arguments of every forked JVM. Set explicitly, because JMH otherwise copies the parent's
     * arguments (whatever {@code SPIKERL_JAVA_OPTS} held) into every fork.
     */
    static List<String> forkJvmArgs(Path inputFile) {
        return forkJvmArgs(inputFile, org.spikerl.convert.ConversionConfig.DEFAULTS);
    }

    /** As {@link #forkJvmArgs(Path)}, naming the SNN's conversion for {@link ActLatency}. */
    static List<String> forkJvmArgs(Path inputFile, org.spikerl.convert.ConversionConfig conversion) {
        String json;
        try {
            json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(conversion.describe());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpikerlException("cannot write the conversion for the benchmark forks: " + e.getMessage(), e);
        }
        return List.of("-Xms1g", "-Xmx1g",
                "-D" + LatencyInput.PROPERTY + "=" + inputFile.toAbsolutePath(),
                "-D" + ActLatency.CONVERSION_PROPERTY + "=" + json,
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1");
    }

    /** {@code 11-256-256-3}. */
    static String shape(Actor actor) {
        StringBuilder b = new StringBuilder().append(actor.observationSize());
        for (DenseLayer d : actor.layers()) {
            b.append('-').append(d.out());
        }
        return b.toString();
    }

    /** The JMH version that measures. */
    public static String jmhVersion() {
        return org.openjdk.jmh.util.Version.getPlainVersion();
    }

    /** System load average (1 min) as the OS reports it, or NaN; printed so readers know what else ran. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
