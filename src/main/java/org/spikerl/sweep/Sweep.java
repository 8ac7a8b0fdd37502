package org.spikerl.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.bridge.Backends;
import org.spikerl.control.Controller;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.convert.ThresholdCache;
import org.spikerl.tune.TuneSettings;
import org.spikerl.tune.Tuner;
import org.spikerl.energy.EnergyReport;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;
import org.spikerl.results.Provenance;
import org.spikerl.results.RunDirectory;
import org.spikerl.results.Summary;
import org.spikerl.run.EnvSession;
import org.spikerl.control.StopRequest;
import org.spikerl.run.Evaluation;
import org.spikerl.run.Interruption;
import org.spikerl.run.RunNames;
import org.spikerl.run.SnnOptions;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;

/**
 * {@code spikerl sweep}: the ANN baseline and every conversion of a grid, evaluated on the same
 * seeds through one bridge. Calibration rollouts are recorded once, thresholds computed once per
 * method; each grid point then only builds its spiking network and runs its episodes.
 * Writes {@code sweep.csv}, {@code sweep.md}, {@code sweep.json}, two PNG plots and
 * {@code provenance.json}, atomically.
 *
 * <p>{@code sweep.csv} has one row per configuration, the ANN first (conversion columns empty,
 * APR 1), then the grid in {@link SweepConfig#grid()} order, with the columns
 * {@code controller, threshold, timesteps, delay_setting, delay_t0, alpha, v0_fraction,
 * delay_reduction, mean_return, std_return, apr, macs_per_step, sops_per_step,
 * energy_pj_per_step_horowitz45, energy_pj_per_step_bu2025, energy_ratio_horowitz45,
 * energy_ratio_bu2025, spike_rate_per_layer} (spike rates of the hidden layers joined by
 * {@code ;}; numbers to 6 significant digits). APR is the row's mean return over the ANN's, same
 * seeds; energy is per control step (SPEC section 7) and the ratio is SNN over ANN.
 * {@code sweep.json} holds the same rows at full precision with the per-episode returns.
 */
public final class Sweep {
    private Sweep() {
    }

    /** One evaluated configuration; {@code conversion} is null for the ANN baseline. */
    public record Row(ConversionConfig conversion, int t0, double meanReturn, double stdReturn, double apr,
                      double macsPerStep, double sopsPerStep, Map<String, Double> energyPjPerStep,
                      Map<String, Double> energyRatio, double[] spikeRates, double[] returns,
                      Map<String, Object> tuning, double actUsPerStep) {
        public Row(ConversionConfig conversion, int t0, double meanReturn, double stdReturn, double apr,
                   double macsPerStep, double sopsPerStep, Map<String, Double> energyPjPerStep,
                   Map<String, Double> energyRatio, double[] spikeRates, double[] returns) {
            this(conversion, t0, meanReturn, stdReturn, apr, macsPerStep, sopsPerStep, energyPjPerStep, energyRatio,
                    spikeRates, returns, null, Double.NaN);
        }

        public String controller() {
            return conversion == null ? "ann" : "snn";
        }

        /** The same row with the tuner's search and choice ({@code null}: not tuned). */
        Row withTuning(Map<String, Object> t) {
            return new Row(conversion, t0, meanReturn, stdReturn, apr, macsPerStep, sopsPerStep, energyPjPerStep,
                    energyRatio, spikeRates, returns, t, actUsPerStep);
        }
    }

    public static Path run(SweepConfig config, Path configFile, Path out, List<String> command, PrintWriter log) {
        return run(config, configFile, out, null, command, log, Backends.defaults());
    }

    /** Runs or resumes ({@code resume} not null) the sweep with the default environment backend. */
    public static Path run(SweepConfig config, Path configFile, Path out, Path resume, List<String> command,
                           PrintWriter log) {
        return run(config, configFile, out, resume, command, log, Backends.defaults());
    }

    /** A fresh sweep with the environments from {@code backends}. */
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
        if (resume == null && out != null) {
            RunDirectory.checkTarget(out); // before the bridge and the rows
        }
        try (EnvSession session = EnvSession.open(backends, config.env(), Math.min(config.numEnvs(), config.episodes()),
                config.policy())) {
            VectorEnv env = session.env();
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
                int index = 0;
                try {
                    Row ann = journal.get(0);
                    if (ann == null) {
                        ann = evaluate(env, new AnnController(actor), config, actor, null, 0, Double.NaN);
                        journal.record(0, ann);
                    }
                    log.printf(Locale.ROOT, "ANN: mean return %.1f +- %.1f%n", ann.meanReturn(), ann.stdReturn());
                    log.flush();
                    if (journal.size() <= grid.size()) {
                        index = 1;
                        SnnOptions.Converted calibration = config.calibration().convert(actor, env);
                        provenance.put("calibration_rollout_s", calibration.rolloutSeconds());
                        ThresholdCache thresholds = new ThresholdCache(calibration.calibration());
                        for (index = 1; index <= grid.size(); index++) {
                            if (journal.get(index) != null) {
                                continue;
                            }
                            StopRequest.check();
                            ConversionConfig c = grid.get(index - 1);
                            SpikingActor net;
                            ConversionConfig used = c;
                            Map<String, Object> tuning = null;
                            if (config.tuned().isEmpty()) {
                                float[][] theta = thresholds.get(c);
                                net = Converter.build(calibration.calibration(), theta, c);
                            } else {
                                Tuner.Result r = Tuner.tune(calibration.calibration(), calibration.observations(), c,
                                        tuneSettings(config, c), env, log);
                                net = r.network();
                                used = r.chosen();
                                tuning = r.toMap();
                            }
                            Row row = evaluate(env, new SnnController(net), config, actor, used, net.delay(),
                                    ann.meanReturn()).withTuning(tuning);
                            journal.record(index, row);
                            log.printf(Locale.ROOT, "%-60s t0=%-2d mean %8.1f +- %6.1f  APR %.3f  E/E_ann %.3f%n",
                                    label(used), net.delay(), row.meanReturn(), row.stdReturn(), row.apr(),
                                    row.energyRatio().get("horowitz45"));
                            log.flush();
                        }
                    }
                } catch (RuntimeException e) {
                    String row = index == 0 ? "sweep row 0 (the ANN)" : "sweep row " + index + " of " + grid.size()
                            + " (" + label(grid.get(Math.min(index, grid.size()) - 1)) + ")";
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
        TuneSettings d = TuneSettings.DEFAULTS.withBudget(config.tuneBudget());
        var t = config.tuned();
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

    private static Row evaluate(VectorEnv env, Controller controller, SweepConfig config, Actor actor,
                                ConversionConfig conversion, int t0, double annMean) {
        EpisodeRunner.Result r = EpisodeRunner.run(env, controller, config.episodes(), config.seed(),
                EpisodeRunner.Listener.NONE);
        double[] returns = Summary.returns(r.episodes());
        double mean = Summary.mean(returns);
        Map<String, Double> energy = new LinkedHashMap<>();
        Map<String, Double> ratio = new LinkedHashMap<>();
        for (EnergyReport e : EnergyReport.forAllPresets(r.counts(), actor.macs())) {
            energy.put(e.preset().name(), e.snnPjPerStep());
            ratio.put(e.preset().name(), e.ratio());
        }
        double[] rates = new double[r.counts().hiddenLayers()];
        for (int l = 0; l < rates.length; l++) {
            rates[l] = r.counts().spikeRate(l);
        }
        double apr = conversion == null ? 1.0 : mean / annMean;
        return new Row(conversion, t0, mean, Summary.std(returns), apr, r.counts().macsPerStep(),
                r.counts().sopsPerStep(), energy, ratio, rates, returns, null,
                r.environmentSteps() > 0 ? r.actSeconds() * 1e6 / r.environmentSteps() : Double.NaN);
    }
}
