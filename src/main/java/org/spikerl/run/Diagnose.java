package org.spikerl.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.bridge.Backends;
import org.spikerl.diagnose.Diagnosis;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;
import org.spikerl.results.Provenance;
import org.spikerl.results.RunDirectory;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

/**
 * {@code spikerl diagnose} as a job: where one conversion of one actor loses accuracy. Records the
 * calibration rollouts, converts (or tunes, or loads a controller file), then writes
 * <ul>
 *   <li>{@code layers.csv}: per hidden layer, the rate error against the ANN's activation on the
 *       replayed calibration states ({@link Diagnosis#layerErrors});</li>
 *   <li>{@code action_error.csv}, {@code action_error.png}: along the first recorded ANN episode,
 *       the SNN's action error per control step ({@link Diagnosis#actionErrors});</li>
 *   <li>{@code divergence.csv}, {@code divergence.png}: closed-loop ANN and SNN episodes from the
 *       same seeds, the observation gap per step and the step at which they part
 *       ({@link Diagnosis#divergence});</li>
 *   <li>{@code diagnosis.md} with the tables, and {@code provenance.json}.</li>
 * </ul>
 */
public final class Diagnose {
    /** Relative observation gap at which two trajectories count as parted. */
    public static final double PART_TOLERANCE = 0.05;

    private Diagnose() {
    }

    public static Path run(String envId, Path policy, SnnOptions options, int episodes, long seed, Path out,
                           List<String> command, PrintWriter log) {
        return run(envId, policy, options, episodes, seed, out, command, log, Backends.defaults());
    }

    /** As {@link #run(String, Path, SnnOptions, int, long, Path, List, PrintWriter)}, with the environments from {@code backends}. */
    public static Path run(String envId, Path policy, SnnOptions options, int episodes, long seed, Path out,
                           List<String> command, PrintWriter log, EnvBackend.Factory backends) {
        return run(envId, policy, null, options, episodes, seed, out, command, log, backends);
    }

    /**
     * As above, with the actor's observation statistics read from {@code normalization} (a
     * VecNormalize pickle or JSON; null: found beside the actor, as {@code eval} does); recorded in
     * provenance with their SHA-256. A converted controller file carries its own statistics, so it
     * is refused with a normalisation file.
     */
    public static Path run(String envId, Path policy, Path normalization, SnnOptions options, int episodes, long seed,
                           Path out, List<String> command, PrintWriter log, EnvBackend.Factory backends) {
        if (normalization != null && ControllerFile.isControllerFile(policy)) {
            throw new SpikerlException(policy + " is a converted controller, which carries its own observation"
                    + " normalisation; --normalization applies to actor files");
        }
        if (out != null) {
            RunDirectory.checkTarget(out);
        }
        try (EnvSession session = EnvSession.open(backends, envId, EvalConfig.DEFAULT_NUM_ENVS)) {
            VectorEnv env = session.env();
            SpikingActor net;
            Map<String, Object> settings;
            org.spikerl.convert.CalibrationSet set;
            double[][] observations;
            if (ControllerFile.isControllerFile(policy)) {
                ControllerFile.Loaded loaded = ControllerFile.read(policy);
                net = loaded.network();
                net.actor().checkFits(env.spec());
                // States for the layer and trajectory views: the calibration rollouts of the file's ANN.
                SnnOptions.Recorded r = options.record(net.actor(), env);
                set = r.set();
                observations = r.observations();
                settings = Evaluation.ControllerFactory.loaded(loaded).settings();
            } else {
                Actor actor = session.loadActor(policy, normalization);
                SnnOptions.Converted c = options.convert(actor, env, log);
                net = c.network();
                set = c.calibration();
                observations = c.observations();
                settings = options.settings(c);
            }
            List<Diagnosis.LayerError> layers = Diagnosis.layerErrors(net, set, set.size());
            double[][] firstEpisode = firstEpisode(observations);
            double[] actionErrors = Diagnosis.actionErrors(net, firstEpisode);
            List<Diagnosis.Divergence> parts = new ArrayList<>();
            for (int i = 0; i < episodes; i++) {
                parts.add(Diagnosis.divergence(env, net, seed + i, PART_TOLERANCE));
                log.printf(Locale.ROOT, "diagnose: episode %d (seed %d): parted at step %d%n", i, seed + i,
                        parts.get(i).partStep());
                log.flush();
            }
            Path dir = out != null ? out : Evaluation.defaultRunDir(envId, policy, seed, "diagnose");
            try (RunDirectory run = RunDirectory.create(dir)) {
                run.writeText("layers.csv", layersCsv(layers));
                run.writeText("action_error.csv", series("step,action_error", actionErrors));
                run.writeText("divergence.csv", divergenceCsv(parts));
                run.writeText("diagnosis.md", markdown(envId, policy, net, layers, actionErrors, parts));
                plot("Action error along an ANN trajectory (" + envId + ")", "control step", "||a_snn - a_ann||",
                        Map.of("action error", actionErrors), run.stagedPath("action_error.png"));
                Map<String, double[]> gaps = new LinkedHashMap<>();
                for (Diagnosis.Divergence d : parts) {
                    gaps.put("seed " + d.seed(), d.gap());
                }
                plot("Closed loop: observation gap SNN vs ANN (" + envId + ")", "control step",
                        "||o_snn - o_ann|| / (1 + ||o_ann||)", gaps, run.stagedPath("divergence.png"));
                Map<String, Object> cfg = new LinkedHashMap<>(settings);
                cfg.put("episodes", episodes);
                cfg.put("seed", seed);
                cfg.put("part_tolerance", PART_TOLERANCE);
                if (normalization != null) {
                    cfg.put("normalization", normalization.toString());
                }
                run.writeJson("provenance.json", Provenance.of(command, cfg, policy, net.actor(), session.versions(),
                        Evaluation.home()));
                return run.commit();
            }
        }
    }

    /** The recorded states up to the first episode boundary (the reset observation of the next one is unknown here, so: the first 1000). */
    private static double[][] firstEpisode(double[][] observations) {
        int n = Math.min(observations.length, 1000);
        double[][] out = new double[n][];
        System.arraycopy(observations, 0, out, 0, n);
        return out;
    }

    static String layersCsv(List<Diagnosis.LayerError> layers) {
        StringBuilder b = new StringBuilder("layer,neuron,neurons,mean_abs_error,rmse,mean_signed_error,relative_error,"
                + "events_per_neuron_timestep\n");
        for (Diagnosis.LayerError e : layers) {
            b.append(String.format(Locale.ROOT, "%d,%s,%d,%.6g,%.6g,%.6g,%.6g,%.6g%n", e.layer(), e.neuron(), e.neurons(),
                    e.meanAbsError(), e.rmse(), e.meanSignedError(), e.relativeError(), e.eventsPerNeuronTimestep()));
        }
        return b.toString();
    }

    private static String series(String header, double[] v) {
        StringBuilder b = new StringBuilder(header).append('\n');
        for (int k = 0; k < v.length; k++) {
            b.append(k).append(',').append(String.format(Locale.ROOT, "%.6g", v[k])).append('\n');
        }
        return b.toString();
    }

    static String divergenceCsv(List<Diagnosis.Divergence> parts) {
        StringBuilder b = new StringBuilder("seed,ann_return,ann_length,ann_terminated,snn_return,snn_length,"
                + "snn_terminated,part_step,max_gap\n");
        for (Diagnosis.Divergence d : parts) {
            b.append(String.format(Locale.ROOT, "%d,%.3f,%d,%b,%.3f,%d,%b,%d,%.6g%n", d.seed(), d.annReturn(),
                    d.annLength(), d.annTerminated(), d.snnReturn(), d.snnLength(), d.snnTerminated(), d.partStep(),
                    java.util.Arrays.stream(d.gap()).max().orElse(0)));
        }
        return b.toString();
    }

    static String markdown(String envId, Path policy, SpikingActor net, List<Diagnosis.LayerError> layers,
                           double[] actionErrors, List<Diagnosis.Divergence> parts) {
        StringBuilder b = new StringBuilder();
        b.append("# Diagnosis: ").append(envId).append(", ").append(policy.getFileName()).append("\n\n");
        b.append(String.format(Locale.ROOT, "Network: neuron %s, T = %d, t0 = %d, alpha %s, biases %s.%n%n",
                net.neuron().spec(), net.timesteps(), net.delay(), net.alpha(),
                net.biasesCalibrated() ? "calibrated" : "the ANN's"));
        b.append("## Layers: rate against the ANN's activation, on the calibration states\n\n");
        b.append("| layer | neuron | neurons | mean abs error | RMSE | mean signed error | relative error | events / (neuron timestep) |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Diagnosis.LayerError e : layers) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %d | %.4g | %.4g | %.4g | %.4g | %.4g |%n", e.layer(), e.neuron(),
                    e.neurons(), e.meanAbsError(), e.rmse(), e.meanSignedError(), e.relativeError(),
                    e.eventsPerNeuronTimestep()));
        }
        double mean = java.util.Arrays.stream(actionErrors).average().orElse(0);
        double max = java.util.Arrays.stream(actionErrors).max().orElse(0);
        b.append(String.format(Locale.ROOT, "%n## Along an ANN trajectory (%d control steps of the calibration rollouts)%n%n"
                + "Action error ||a_snn - a_ann||: mean %.4g, max %.4g ([action_error.png](action_error.png)).%n%n",
                actionErrors.length, mean, max));
        b.append(String.format(Locale.ROOT, "## Closed loop: where the SNN leaves the ANN's trajectory%n%n"
                + "Parted = first step whose observation gap ||o_snn - o_ann|| / (1 + ||o_ann||) exceeds %.2f "
                + "([divergence.png](divergence.png)).%n%n", PART_TOLERANCE));
        b.append("| seed | ANN return | ANN length | SNN return | SNN length | SNN fell | parted at step |\n|---|---|---|---|---|---|---|\n");
        for (Diagnosis.Divergence d : parts) {
            b.append(String.format(Locale.ROOT, "| %d | %.1f | %d | %.1f | %d | %s | %s |%n", d.seed(), d.annReturn(),
                    d.annLength(), d.snnReturn(), d.snnLength(), d.snnTerminated() ? "yes" : "no",
                    d.partStep() < 0 ? "never" : Integer.toString(d.partStep())));
        }
        return b.toString();
    }

    private static void plot(String title, String x, String y, Map<String, double[]> lines, Path png) {
        XYChart chart = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        for (var e : lines.entrySet()) {
            double[] v = e.getValue().length == 0 ? new double[] {0} : e.getValue();
            double[] xs = IntStream.range(0, v.length).asDoubleStream().toArray();
            XYSeries s = chart.addSeries(e.getKey(), xs, v);
            s.setMarker(SeriesMarkers.NONE);
        }
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + png, e);
        }
    }
}
