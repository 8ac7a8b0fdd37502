package org.spikerl.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.bridge.Backends;
import org.spikerl.control.Controller;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;
import org.spikerl.results.OutputException;
import org.spikerl.results.Provenance;
import org.spikerl.results.RunDirectory;
import org.spikerl.results.Summary;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

/**
 * {@code spikerl eval} as a job: start the bridge, load the actor, build the controller, run the
 * episodes and write {@code summary.json}, {@code episodes.csv} and {@code provenance.json}
 * atomically. If the run fails part-way, the episodes finished before the failure are still
 * written (with {@code "status": "incomplete"} and the error) before the error is reported; if
 * none finished, nothing is written.
 */
public final class Evaluation {
    private Evaluation() {
    }

    /** The project folder: {@code -Dspikerl.home} (set by the launcher), else the working directory. */
    public static Path home() {
        String h = System.getProperty("spikerl.home");
        return Path.of(h != null ? h : "").toAbsolutePath();
    }

    /**
     * {@code results/runs/{env}__{policy}__{tag}__{seed}__{time}} under the project folder, the
     * time to the millisecond; {@link RunDirectory#createFresh} adds a counter if that is taken.
     */
    public static Path defaultRunDir(String env, Path policy, long seed, String tag) {
        String stem = policy.getFileName().toString().replaceFirst("\\.[A-Za-z0-9]+$", "");
        if (stem.equals("model")) {
            Path parent = policy.toAbsolutePath().getParent();
            stem = parent != null ? parent.getFileName().toString() : stem;
        }
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        return home().resolve("results").resolve("runs")
                .resolve(env + "__" + stem + "__" + tag + "__" + seed + "__" + time);
    }

    /** Runs an ANN evaluation. */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress) {
        return run(config, command, out, progress, ControllerFactory.ANN);
    }

    /**
     * Runs an evaluation with the controller {@code factory} builds from the loaded actor.
     *
     * @return the results directory
     */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory) {
        return run(config, command, out, progress, factory, BridgeOptions::defaults, EpisodeRunner.Listener.NONE);
    }

    /**
     * Like {@link #run(EvalConfig, List, PrintWriter, boolean, ControllerFactory)}, with the bridge
     * started from {@code bridgeOptions} and {@code listener} told about the episode loop's
     * progress. Tests use it for the bridge's test hooks and to inject failures part-way.
     *
     * <p>An {@code --out} that cannot take results is refused before the bridge starts. When the
     * loop fails part-way, the episodes finished before the failure are written with
     * {@code "status": "incomplete"} and the error; when none finished, nothing is written.
     */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory, Supplier<BridgeOptions> bridgeOptions,
                           EpisodeRunner.Listener listener) {
        return run(config, command, out, progress, factory, () -> Backends.python(bridgeOptions.get()).start(), listener);
    }

    /**
     * As {@link #run(EvalConfig, List, PrintWriter, boolean, ControllerFactory, Supplier,
     * EpisodeRunner.Listener)}, with the environments from any backend (a fake in unit tests).
     */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory, EnvBackend.Factory backends, EpisodeRunner.Listener listener) {
        if (config.out() != null) {
            RunDirectory.checkTarget(config.out());
        }
        try (EnvSession session = EnvSession.open(backends, config.env(), config.slots())) {
            VectorEnv env = session.env();
            Actor actor;
            ControllerFactory.Built built;
            if (ControllerFile.isControllerFile(config.policy())) {
                if (factory != ControllerFactory.ANN) {
                    throw new SpikerlException(config.policy() + " is already a converted controller; run eval without "
                            + "--snn and conversion options, or give the actor file to convert");
                }
                if (config.normalization() != null) {
                    throw new SpikerlException(config.policy() + " is a converted controller, which carries its own"
                            + " observation normalisation; --normalization applies to actor files");
                }
                ControllerFile.Loaded loaded = ControllerFile.read(config.policy());
                actor = loaded.network().actor();
                actor.checkFits(env.spec());
                built = ControllerFactory.loaded(loaded);
            } else {
                actor = session.loadActor(config.policy(), config.normalization());
                built = factory.build(actor, session.backend(), env);
            }
            try (RunDirectory run = config.out() != null ? RunDirectory.create(config.out())
                    : RunDirectory.createFresh(defaultRunDir(config.env(), config.policy(), config.seed(),
                            RunNames.tag(built.controller().kind(), built.settings())))) {
                Map<String, Object> head = new LinkedHashMap<>();
                head.put("env", config.env());
                head.put("policy", config.policy().toString());
                head.put("policy_sha256", Provenance.sha256(config.policy()));
                head.put("controller", built.controller().kind());
                head.putAll(built.settings());
                Map<String, Object> configMap = config.toMap();
                configMap.putAll(built.settings());
                Map<String, Object> provenance = Provenance.of(command, configMap, config.policy(), actor,
                        session.versions(), home());
                provenance.putAll(built.provenance());
                // SPEC 8: episode i is reset with seed S + i; as a range, so its size does not grow with the run.
                provenance.put("episode_seeds", RunNames.seedRange(config.seed(), config.episodes()));
                run.writeJson("provenance.json", provenance);

                EpisodeRunner.Result result;
                try (Progress bar = Progress.open(progress, config.episodes(), listener)) {
                    result = EpisodeRunner.run(env, built.controller(), config.episodes(), config.seed(), bar);
                } catch (EpisodeRunner.RunFailure failure) {
                    if (failure.completed().isEmpty()) {
                        throw new SpikerlException(failure.getMessage() + " (no episode finished; no results written)",
                                failure);
                    }
                    Map<String, Object> summary = new LinkedHashMap<>(head);
                    summary.putAll(Interruption.of(failure).fields());
                    summary.put("seed", config.seed());
                    summary.putAll(Summary.episodes(failure.completed()));
                    Path where;
                    try {
                        run.writeJson("summary.json", summary);
                        run.writeText("episodes.csv", episodesCsv(failure.completed()));
                        where = run.commit();
                    } catch (OutputException e) {
                        out.println(RunDirectory.toJson(summary));
                        out.flush();
                        throw new OutputException(failure.getMessage() + "; the " + failure.completed().size()
                                + " finished episodes could not be kept (" + e.getMessage()
                                + "); their summary is printed above", e);
                    }
                    throw new SpikerlException(failure.getMessage() + " (" + failure.completed().size()
                            + " finished episodes kept in " + where + ")", failure);
                }
                Map<String, Object> summary = new LinkedHashMap<>(head);
                summary.put("status", "complete");
                summary.put("seed", config.seed());
                summary.putAll(Summary.episodes(result.episodes()));
                summary.put("steps_per_s", result.stepsPerSecond());
                summary.put("num_envs", config.slots());
                double meanLength = result.episodes().stream().mapToInt(Episode::length).average().orElse(0);
                summary.putAll(Summary.energy(result.counts(), actor.macs(), meanLength));
                if (result.counts().hiddenLayers() > 0) {
                    double[] rates = new double[result.counts().hiddenLayers()];
                    for (int l = 0; l < rates.length; l++) {
                        rates[l] = result.counts().spikeRate(l);
                    }
                    summary.put("spike_rate_per_layer", rates);
                }
                Path where;
                try {
                    run.writeJson("summary.json", summary);
                    run.writeText("episodes.csv", episodesCsv(result.episodes()));
                    where = run.commit();
                } catch (OutputException e) {
                    // The numbers are computed: they reach the user even when the disk cannot take them.
                    printTable(out, config, built.controller().kind(), result, null);
                    out.println(RunDirectory.toJson(summary));
                    out.flush();
                    throw new OutputException(e.getMessage() + " (the summary is printed above)", e);
                }
                printTable(out, config, built.controller().kind(), result, where);
                return where;
            }
        }
    }

    static String episodesCsv(List<Episode> episodes) {
        StringBuilder b = new StringBuilder("episode,seed,return,length\n");
        for (Episode e : episodes) {
            b.append(e.index()).append(',').append(e.seed()).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", e.ret())).append(',').append(e.length()).append('\n');
        }
        return b.toString();
    }

    private static void printTable(PrintWriter out, EvalConfig config, String kind, EpisodeRunner.Result result,
                                   Path dir) {
        out.printf(Locale.ROOT, "%-8s %-6s %10s %8s%n", "episode", "seed", "return", "length");
        for (Episode e : result.episodes()) {
            out.printf(Locale.ROOT, "%-8d %-6d %10.1f %8d%n", e.index(), e.seed(), e.ret(), e.length());
        }
        double[] r = Summary.returns(result.episodes());
        out.printf(Locale.ROOT, "%s %s on %s: mean return %.1f +- %.1f over %d episodes (seeds %d..%d), %.0f steps/s%n",
                kind.toUpperCase(Locale.ROOT), config.policy().getFileName(), config.env(), Summary.mean(r),
                Summary.std(r), r.length, config.seed(), config.seed() + config.episodes() - 1, result.stepsPerSecond());
        out.println("results: " + (dir != null ? dir : "not written"));
        out.flush();
    }

    /** Builds the controller for a loaded actor; the SNN factory calibrates through the bridge first. */
    @FunctionalInterface
    public interface ControllerFactory {
        ControllerFactory ANN = (actor, backend, env) -> new Built(new org.spikerl.actor.AnnController(actor),
                Map.of(), Map.of());

        Built build(Actor actor, EnvBackend backend, VectorEnv env);

        /** A converted-controller file: no calibration, the network as written by {@code spikerl convert}. */
        static Built loaded(ControllerFile.Loaded loaded) {
            SpikingActor net = loaded.network();
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("timesteps", net.timesteps());
            Object conversion = loaded.provenance().get("conversion");
            if (conversion instanceof Map<?, ?> c) {
                settings.put("threshold", c.get("method"));
                settings.put("delay_setting", c.get("delay"));
            }
            settings.put("delay", net.delay());
            settings.put("alpha", (double) net.alpha());
            settings.put("v0_fraction", (double) net.v0Fraction());
            // As the file holds them (a version-1 file: IF neurons, the ANN's biases).
            settings.put("neuron", net.neuron().spec());
            settings.put("bias_calibration", conversion instanceof Map<?, ?> c && c.get("calibration") instanceof String s
                    ? s : net.biasesCalibrated() ? "bias" : "none");
            settings.put("controller_file_sha256", loaded.sha256());
            return new Built(new SnnController(net), settings, Map.of("controller_file", loaded.provenance()));
        }

        /**
         * @param controller the prototype controller (copied per slot)
         * @param settings extra summary fields describing the controller (timesteps, threshold, ...)
         * @param provenance extra provenance (e.g. calibration seeds and timing)
         */
        record Built(Controller controller, Map<String, Object> settings, Map<String, Object> provenance) {
        }
    }

    /**
     * A terminal progress bar over episodes, or nothing when output is not a terminal; passes
     * every event on to the caller's listener.
     */
    static final class Progress implements EpisodeRunner.Listener, AutoCloseable {
        private final ProgressBar bar;
        private final EpisodeRunner.Listener next;
        private long steps;

        private Progress(ProgressBar bar, EpisodeRunner.Listener next) {
            this.bar = bar;
            this.next = next;
        }

        static Progress open(boolean enabled, int episodes, EpisodeRunner.Listener next) {
            if (!enabled) {
                return new Progress(null, next);
            }
            return new Progress(new ProgressBarBuilder().setTaskName("episodes").setInitialMax(episodes)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build(), next);
        }

        @Override
        public void stepped(int environmentSteps) {
            steps += environmentSteps;
            next.stepped(environmentSteps);
        }

        @Override
        public void episodeDone(Episode episode) {
            next.episodeDone(episode);
            if (bar != null) {
                bar.step();
                bar.setExtraMessage(steps + " steps");
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
