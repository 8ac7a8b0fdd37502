package org.spikerl.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikerl.actor.Actor;
import org.spikerl.bridge.Backends;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.tune.TuneSettings;
import org.spikerl.env.EnvBackend;
import org.spikerl.results.Provenance;
import org.spikerl.results.RunDirectory;
import org.spikerl.results.RunSummary;
import org.spikerl.run.EnvSession;
import org.spikerl.run.Evaluation;
import org.spikerl.run.Interruption;
import org.spikerl.progress.Progress;
import org.spikerl.run.RunNames;

/**
 * {@code spikerl sweep}: the ANN baseline and every conversion of a grid, evaluated on the same
 * seeds by a {@link SweepEngine}: on this machine up to {@code parallelCells} rows at once, each on
 * its own backend session ({@link LocalSweepEngine}), or as cluster tasks (the spikerl-spark module).
 * Calibration rollouts are recorded once, thresholds computed once per method; each grid point then
 * only builds its spiking network and runs its episodes.
 * Writes {@code sweep.csv} (one row per cell), {@code sweep_episodes.csv} (one row per cell and
 * episode), {@code sweep.md}, {@code sweep.json}, three PNG plots and {@code provenance.json},
 * atomically ({@link SweepOutput}; the formats are described in {@link org.spikerl.results.format}).
 * APR is a cell's mean return over the ANN's on the same seeds, with a paired bootstrap interval.
 */
public final class Sweep {
    /** Rows evaluated at once unless told otherwise: one, the fastest measured on 2 cores (docs/throughput.md). */
    /** Cell runners of the library calls without a count; the CLI default is one per Python worker. */
    public static final int DEFAULT_PARALLEL_CELLS = 1;

    private Sweep() {
    }

    /**
     * One finished row as the journal keeps it: the conversion (null for the ANN baseline), its
     * delay, its run and the tuner's choice. The comparison with the ANN is made when the results
     * are written ({@link SweepOutput}), from row 0.
     */
    public record Row(ConversionConfig conversion, int t0, RunSummary run, Map<String, Object> tuning) {
    }

    public static Path run(SweepConfig config, Path configFile, Path out, List<String> command, PrintWriter log) {
        return run(config, configFile, out, null, command, log, Backends.defaults(), DEFAULT_PARALLEL_CELLS);
    }

    /** Runs or resumes ({@code resume} not null) the sweep with the default environment backend. */
    public static Path run(SweepConfig config, Path configFile, Path out, Path resume, List<String> command,
                           PrintWriter log) {
        return run(config, configFile, out, resume, command, log, Backends.defaults(), DEFAULT_PARALLEL_CELLS);
    }

    /**
     * A fresh sweep with the environments from {@code backends}, one row after the other on one
     * session (so a factory may hand out one shared backend, as tests do).
     */
    public static Path run(SweepConfig config, Path configFile, Path out, List<String> command, PrintWriter log,
                           EnvBackend.Factory backends) {
        return run(config, configFile, out, null, command, log, backends);
    }

    /**
     * Runs the sweep into {@code out} (null: a new folder under {@code results/runs}), or, with
     * {@code resume} set, completes the stopped sweep in that folder: its finished rows
     * ({@link SweepJournal}) are kept, the missing ones evaluated, and the folder replaced by the
     * complete result. Every finished row is on disk the moment it is done; when the sweep stops
     * (signal, bridge death, failed write) the finished rows are written as an incomplete result
     * and the error names the row that was running. The environments come from {@code backends}.
     */
    public static Path run(SweepConfig config, Path configFile, Path out, Path resume, List<String> command,
                           PrintWriter log, EnvBackend.Factory backends) {
        return run(config, configFile, out, resume, command, log, backends, 1);
    }

    /**
     * As above, with up to {@code parallelCells} rows evaluated at once, each on its own backend
     * session started from {@code backends} ({@code CellRunners}); the results are the same for
     * any number.
     */
    public static Path run(SweepConfig config, Path configFile, Path out, Path resume, List<String> command,
                           PrintWriter log, EnvBackend.Factory backends, int parallelCells) {
        return run(config, configFile, out, resume, command, log, new LocalSweepEngine(),
                new SweepEngine.Settings(backends, parallelCells, null));
    }

    /**
     * As above, with the rows evaluated by {@code engine} ({@link SweepEngine}); everything else
     * (the driver's session, provenance, resume, journal, result files) is the same for every
     * engine, and so are the results. The driver's session comes from {@code settings.backends()}.
     */
    public static Path run(SweepConfig config, Path configFile, Path out, Path resume, List<String> command,
                           PrintWriter log, SweepEngine engine, SweepEngine.Settings settings) {
        EnvBackend.Factory backends = settings.backends();
        if (resume == null && out != null) {
            RunDirectory.checkTarget(out); // before the bridge and the rows
        }
        try (EnvSession session = EnvSession.open(backends, config.env(), Math.min(config.numEnvs(), config.episodes()),
                config.policy(), config.normalization())) {
            Actor actor = session.actor();
            for (var plan : config.neurons()) {
                try {
                    plan.check(actor.layers().size() - 1);
                } catch (org.spikerl.SpikerlException e) {
                    throw new org.spikerl.SpikerlException("config " + configFile + ": grid.neuron: " + e.getMessage(), e);
                }
            }
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("config_file", configFile.toString());
            cfg.put("description", config.description());
            cfg.putAll(config.evalConfig(null).toMap());
            cfg.put("calibration_steps", config.calibration().calibrationSteps());
            cfg.put("calibration_seed", config.calibration().calibrationSeed());
            // The grid itself, not only the config file's name: the file may change after the run.
            cfg.put("grid", config.grid().stream().map(ConversionConfig::describe).toList());
            if (!config.tuned().isEmpty()) {
                // The grid entries hold placeholders on the tuned axes; each row's choice is in sweep.json.
                cfg.put("tune", config.tuned().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList());
                cfg.put("tune_budget", config.tuneBudget());
                cfg.put("tuning_seed", TuneSettings.DEFAULTS.seed());
            }
            Map<String, Object> provenance = Provenance.of(command, cfg, config.policy(), actor, session.versions(),
                    Evaluation.home());
            if (resume != null) {
                SweepJournal.checkSameRun(resume, provenance);
            }
            try (RunDirectory run = resume != null ? RunDirectory.replacing(resume)
                    : out != null ? RunDirectory.create(out)
                    : RunDirectory.createFresh(Evaluation.defaultRunDir(config.env(), config.policy(), config.seed(),
                            RunNames.tag("sweep", cfg)))) {
                SweepJournal journal = resume != null ? SweepJournal.resumed(run, resume, config)
                        : SweepJournal.fresh(run);
                if (resume != null) {
                    provenance.put("resumed_rows", journal.size());
                    log.printf(Locale.ROOT, "resuming %s: %d of %d rows done%n", resume, journal.size(),
                            config.grid().size() + 1);
                }
                List<ConversionConfig> grid = config.grid();
                provenance.put("engine", engine.name());
                // Written now as well as at the end: a folder recovered after the process was killed
                // (results.StaleStaging) then says what it is and can be resumed.
                run.writeJson("provenance.json", provenance);
                SweepJob job = null;
                // Row i of N with an ETA on a terminal; resumed rows count as done.
                try (Progress rowsBar = Progress.bar("sweep rows", grid.size() + 1)) {
                    rowsBar.stepBy(journal.size());
                    job = new SweepJob(config, configFile, session, journal, settings, provenance, log, rowsBar);
                    engine.evaluate(job);
                } catch (RuntimeException e) {
                    int index = job == null || job.failedRow() < 0 ? 0 : job.failedRow();
                    String row = index == 0 ? "sweep row 0 (the ANN)" : "sweep row " + index + " of " + grid.size()
                            + " (" + label(grid.get(index - 1)) + ")";
                    SweepOutput.keepIncomplete(run, config, journal, provenance, Interruption.of(e), row, log, e);
                }
                return SweepOutput.writeComplete(run, config, journal.rows(), provenance, log);
            }
        }
    }

    /**
     * The tuner's search for one grid row: the row's own value on every axis the config does not
     * tune, the tuner's default candidates on the tuned ones (and the finer last-layer variants only
     * when the neuron is tuned).
     */
    static TuneSettings tuneSettings(SweepConfig config, ConversionConfig c) {
        return tuneSettings(config.tuned(), config.tuneBudget(), c);
    }

    /** As {@link #tuneSettings(SweepConfig, ConversionConfig)}, from the config's tuned axes and budget. */
    public static TuneSettings tuneSettings(java.util.Set<SweepConfig.TunedAxis> t, int tuneBudget,
                                            ConversionConfig c) {
        TuneSettings d = TuneSettings.DEFAULTS.withBudget(tuneBudget);
        return new TuneSettings(d.budgetEpisodes(), d.seed(), d.maxEnergyRatio(),
                t.contains(SweepConfig.TunedAxis.NEURON) ? d.neurons() : List.of(c.neuron()),
                t.contains(SweepConfig.TunedAxis.THRESHOLD) ? d.thresholds() : List.of(c.method()),
                t.contains(SweepConfig.TunedAxis.DELAY) ? d.delays() : List.of(c.delay()),
                t.contains(SweepConfig.TunedAxis.ALPHA) ? d.alphas() : List.of(c.alpha()), d.finalists(),
                t.contains(SweepConfig.TunedAxis.CALIBRATION) ? d.calibrations() : List.of(c.calibration()),
                t.contains(SweepConfig.TunedAxis.NEURON) ? d.lastLayer() : List.of());
    }

    static String label(ConversionConfig c) {
        return c.neuronLabel() + " " + c.method().spec() + " T=" + c.timesteps() + " delay=" + c.delay().spec() + " alpha=" + c.alpha()
                + (c.v0Fraction() != 0.5 ? " v0=" + c.v0Fraction() : "");
    }
}
