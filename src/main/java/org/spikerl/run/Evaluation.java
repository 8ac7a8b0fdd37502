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
import org.spikerl.actor.io.FileDigest;
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
import org.spikerl.actor.AnnController;
import org.spikerl.results.Bootstrap;
import org.spikerl.results.Comparison;
import org.spikerl.results.PolicyName;
import org.spikerl.results.RunSummary;
import org.spikerl.results.format.EpisodesCsv;
import org.spikerl.results.format.EvalReport;
import org.spikerl.results.format.SummaryJson;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

/**
 * {@code spikerl eval} as a job: start the bridge, load the actor, build the controller, run the
 * episodes and write {@code summary.json}, {@code episodes.csv} and {@code provenance.json}
 * atomically (formats: {@link org.spikerl.results.format}). An SNN run also evaluates its ANN on
 * the same seeds first ({@code ann_episodes.csv}) and reports the APR, unless told not to. If the
 * run fails or is stopped part-way, in the ANN baseline or after it, the episodes finished before
 * (the baseline's included) are still written, with {@code "status": "incomplete"}, what stopped
 * it and where, before the error is reported, and {@code --resume} completes them; if none
 * finished, nothing is written.
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
        return run(config, command, out, progress, factory, bridgeOptions, listener, true, null);
    }

    /** As above; {@code compareAnn}: an SNN run also evaluates the ANN on the same seeds (the APR). */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory, Supplier<BridgeOptions> bridgeOptions,
                           EpisodeRunner.Listener listener, boolean compareAnn, Path video) {
        return run(config, command, out, progress, factory, () -> Backends.python(bridgeOptions.get()).start(), listener,
                compareAnn, video);
    }

    /**
     * As {@link #run(EvalConfig, List, PrintWriter, boolean, ControllerFactory, Supplier,
     * EpisodeRunner.Listener)}, with the environments from any backend (a fake in unit tests).
     */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory, EnvBackend.Factory backends, EpisodeRunner.Listener listener) {
        return run(config, command, out, progress, factory, backends, listener, true, null);
    }

    /**
     * As above; with {@code compareAnn} an SNN run first evaluates the ANN of the same actor on the
     * same seeds and reports the APR (with its paired interval) next to the energy ratio; with
     * {@code video} not null, the first seed's episode is rendered into that folder ({@link Video}),
     * the ANN and the SNN side by side when both ran.
     */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory, EnvBackend.Factory backends, EpisodeRunner.Listener listener,
                           boolean compareAnn, Path video) {
        return run(config, command, out, progress, factory, backends, listener, compareAnn, video, null);
    }

    /** As above, starting the bridge from {@code bridgeOptions}; {@code resume} as below. */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory, Supplier<BridgeOptions> bridgeOptions,
                           EpisodeRunner.Listener listener, boolean compareAnn, Path video, Path resume) {
        return run(config, command, out, progress, factory, () -> Backends.python(bridgeOptions.get()).start(), listener,
                compareAnn, video, resume);
    }

    /**
     * As above; with {@code resume} not null, completes the stopped evaluation in that folder
     * instead of starting a new one: after checking that configuration, actor SHA-256 and versions
     * match, only the episodes missing from its {@link EpisodeJournal} run (each with its seed
     * {@code S + i}), and the folder is replaced by results equal to an uninterrupted run's (apart
     * from provenance and measured times). Every finished episode is in the journal the moment it
     * is done.
     */
    public static Path run(EvalConfig config, List<String> command, PrintWriter out, boolean progress,
                           ControllerFactory factory, EnvBackend.Factory backends, EpisodeRunner.Listener listener,
                           boolean compareAnn, Path video, Path resume) {
        if (resume != null && config.out() != null) {
            throw new SpikerlException("--resume writes into the folder it resumes; drop --out");
        }
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
            try (RunDirectory run = resume != null ? RunDirectory.replacing(resume)
                    : config.out() != null ? RunDirectory.create(config.out())
                    : RunDirectory.createFresh(defaultRunDir(config.env(), config.policy(), config.seed(),
                            RunNames.tag(built.controller().kind(), built.settings())))) {
                Map<String, Object> head = new LinkedHashMap<>();
                head.put("env", config.env());
                head.put("policy", config.policy().toString());
                head.put("policy_sha256", FileDigest.sha256(config.policy()));
                head.put("controller", built.controller().kind());
                head.putAll(built.settings());
                Map<String, Object> configMap = config.toMap();
                configMap.putAll(built.settings());
                Map<String, Object> provenance = Provenance.of(command, configMap, config.policy(), actor,
                        session.versions(), home());
                provenance.putAll(built.provenance());
                // SPEC 8: episode i is reset with seed S + i; as a range, so its size does not grow with the run.
                provenance.put("episode_seeds", RunNames.seedRange(config.seed(), config.episodes()));
                EpisodeJournal journal = EpisodeJournal.open(run, resume, provenance, config);
                if (resume != null) {
                    int kept = journal.total();
                    provenance.put("resumed_episodes", kept);
                    out.printf(Locale.ROOT, "resuming %s: %d finished episodes kept%n", resume, kept);
                    out.flush();
                }
                run.writeJson("provenance.json", provenance);

                Bootstrap bootstrap = Bootstrap.DEFAULTS;
                String kind = built.controller().kind();
                // SPEC 9: the APR compares an SNN with its own ANN on the same seeds, so eval --snn runs both.
                boolean baseline = compareAnn && kind.equals("snn");
                RunSummary ann = null;
                EpisodeRunner.Result result;
                try {
                    if (baseline) {
                        ann = runAnn(env, actor, config, progress, bootstrap, journal, listener);
                    }
                    try (EpisodeBar bar = EpisodeBar.open(progress, kind.toUpperCase(Locale.ROOT) + " episodes",
                            config.episodes(), listener)) {
                        result = journal.run(kind, env, built.controller(), config.episodes(), config.seed(), bar);
                    }
                } catch (EpisodeRunner.RunFailure failure) {
                    throw keepIncomplete(run, journal, head, config, kind, baseline, ann == null && baseline, failure,
                            bootstrap, out);
                }
                RunSummary finished = RunSummary.of(kind, result, actor.macs(), bootstrap);
                Comparison vsAnn = ann != null ? Comparison.of(ann, finished, bootstrap) : null;
                Map<String, Object> summary = SummaryJson.of(head, finished, vsAnn, config.seed(), config.slots(),
                        bootstrap, null);
                String what = PolicyName.of(config.policy()) + " on " + config.env();
                Path where;
                try {
                    run.writeJson("summary.json", summary);
                    run.writeText("episodes.csv", EpisodesCsv.of(finished));
                    if (ann != null) {
                        run.writeText("ann_episodes.csv", EpisodesCsv.of(ann));
                    }
                    journal.discard();
                    where = run.commit();
                } catch (OutputException e) {
                    // The numbers are computed: they reach the user even when the disk cannot take them.
                    EvalReport.print(out, what, finished, vsAnn);
                    out.println("results: not written");
                    out.println(RunDirectory.toJson(summary));
                    out.flush();
                    throw new OutputException(e.getMessage() + " (the summary is printed above)", e);
                }
                EvalReport.print(out, what, finished, vsAnn);
                out.println("results: " + where);
                out.flush();
                if (video != null) {
                    Map<String, Controller> shown = new LinkedHashMap<>();
                    if (ann != null) {
                        shown.put("ANN", new AnnController(actor));
                    }
                    shown.put(kind.toUpperCase(Locale.ROOT), built.controller());
                    out.println("video: " + Video.record(env, config.env(), config.seed(), shown, video));
                    out.flush();
                }
                return where;
            }
        }
    }

    /** The ANN of the same actor on the same seeds: the baseline of the APR. */
    private static RunSummary runAnn(VectorEnv env, Actor actor, EvalConfig config, boolean progress,
                                     Bootstrap bootstrap, EpisodeJournal journal, EpisodeRunner.Listener listener) {
        try (EpisodeBar bar = EpisodeBar.open(progress, "ANN episodes", config.episodes(), listener)) {
            EpisodeRunner.Result r = journal.run("ann", env, new AnnController(actor), config.episodes(), config.seed(),
                    bar);
            return RunSummary.of("ann", r, actor.macs(), bootstrap);
        }
    }

    /**
     * Writes what finished before {@code failure} as an incomplete result and returns the error to
     * throw: {@code summary.json} ({@code "status": "incomplete"}, {@code stopped_by},
     * {@code stopped_during}: {@code "ann"} for the ANN baseline of an SNN run, else the run's
     * controller; the ANN baseline's finished episodes under {@code "ann"}), {@code episodes.csv}
     * with the run's finished episodes and {@code ann_episodes.csv} with the baseline's, each only
     * when it has an episode, and the journal {@code eval --resume} completes the run from. With
     * no finished episode at all, nothing is written. The message names the environment, episode
     * and step (the loop's), the episodes kept, where, and how to finish.
     */
    private static SpikerlException keepIncomplete(RunDirectory run, EpisodeJournal journal, Map<String, Object> head,
                                                   EvalConfig config, String kind, boolean baseline,
                                                   boolean duringBaseline, EpisodeRunner.RunFailure failure,
                                                   Bootstrap bootstrap, PrintWriter out) {
        String message = (duringBaseline ? "ANN baseline (skip it with --no-ann): " : "") + failure.getMessage();
        // This run's and a resumed run's: every finished episode is in the journal.
        List<Episode> own = journal.episodes(kind);
        List<Episode> annEpisodes = baseline ? journal.episodes("ann") : List.of();
        if (own.isEmpty() && annEpisodes.isEmpty()) {
            return new SpikerlException(message + " (no episode finished; no results written)", failure);
        }
        RunSummary partial = RunSummary.incomplete(kind, own, bootstrap);
        RunSummary annPartial = annEpisodes.isEmpty() ? null : RunSummary.incomplete("ann", annEpisodes, bootstrap);
        Map<String, Object> stopped = new Interruption(Interruption.of(failure).stoppedBy(), message).fields();
        stopped.put("stopped_during", duringBaseline ? "ann" : kind);
        Map<String, Object> summary = SummaryJson.incomplete(head, partial, annPartial, config.seed(), bootstrap,
                stopped);
        String kept = duringBaseline ? annEpisodes.size() + " finished episodes of the ANN baseline"
                : own.size() + " finished episodes";
        Path where;
        try {
            run.writeJson("summary.json", summary);
            if (!own.isEmpty()) {
                run.writeText("episodes.csv", EpisodesCsv.of(partial));
            }
            if (annPartial != null) {
                run.writeText("ann_episodes.csv", EpisodesCsv.of(annPartial));
            }
            where = run.commit();
        } catch (OutputException e) {
            out.println(RunDirectory.toJson(summary));
            out.flush();
            return new OutputException(message + "; the " + (own.size() + annEpisodes.size())
                    + " finished episodes could not be kept (" + e.getMessage() + "); their summary is printed above", e);
        }
        String alsoAnn = !duringBaseline && !annEpisodes.isEmpty()
                ? ", and the " + annEpisodes.size() + " of the ANN baseline" : "";
        return new SpikerlException(message + " (" + kept + " kept in " + where + alsoAnn
                + "; to finish: spikerl eval --resume " + where + " with the same options)", failure);
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
    static final class EpisodeBar extends EpisodeRunner.ForwardingListener implements AutoCloseable {
        private final ProgressBar bar;
        private long steps;

        private EpisodeBar(ProgressBar bar, EpisodeRunner.Listener next) {
            super(next);
            this.bar = bar;
        }

        static EpisodeBar open(boolean enabled, String task, int episodes, EpisodeRunner.Listener next) {
            if (!enabled) {
                return new EpisodeBar(null, next);
            }
            return new EpisodeBar(new ProgressBarBuilder().setTaskName(task).setInitialMax(episodes)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build(), next);
        }

        @Override
        public void stepped(int environmentSteps) {
            steps += environmentSteps;
            super.stepped(environmentSteps);
            if (bar != null) {
                // Counted as they happen, so a long episode shows movement and the last count is the total.
                bar.setExtraMessage(steps + " steps");
            }
        }

        @Override
        public void episodeDone(Episode episode) {
            super.episodeDone(episode);
            if (bar != null) {
                bar.step();
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
