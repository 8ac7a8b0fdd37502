package org.spikerl.results.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.energy.OpCounts;
import org.spikerl.results.Bootstrap;
import org.spikerl.results.Comparison;
import org.spikerl.results.RunSummary;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;

/**
 * Hand-made results for the golden-file tests: no bridge, no network, every number chosen here.
 * An actor with two hidden layers of 4 and 3 neurons and 120 MACs per ANN forward pass.
 */
final class Fixtures {
    static final long ANN_MACS = 120;
    static final int[] HIDDEN = {4, 3};

    private Fixtures() {
    }

    /**
     * Four episodes from seed 0; episode 2 falls (terminated early), the rest hit the time limit.
     * {@code scale} != 1 (an SNN) also moves each return by its own amount, so APRs have a spread.
     */
    static List<Episode> episodes(double scale, long sopsPerStep, long spikesPerStep) {
        double[] returns = {1000.5, 1012.25, 310.125, 1003.0};
        double[] jitter = scale == 1 ? new double[4] : new double[] {0, 15.5, -60.25, 8.0};
        int[] lengths = {1000, 1000, 250, 1000};
        List<Episode> eps = new ArrayList<>();
        for (int i = 0; i < returns.length; i++) {
            boolean fell = lengths[i] < 1000;
            eps.add(new Episode(i, i, returns[i] * scale + jitter[i], lengths[i], fell, !fell, 0.5 + 0.25 * i,
                    sopsPerStep * lengths[i], spikesPerStep * lengths[i]));
        }
        return eps;
    }

    static RunSummary ann() {
        List<Episode> eps = episodes(1.0, 0, 0);
        OpCounts counts = new OpCounts(new int[0]);
        for (Episode e : eps) {
            for (int s = 0; s < e.length(); s++) {
                counts.addControlStep(ANN_MACS, 0, 0, 0);
            }
        }
        return RunSummary.of("ann", result(eps, counts), ANN_MACS, Bootstrap.DEFAULTS);
    }

    /** An SNN at T timesteps: 40 first-layer MACs, {@code sops} SOPs and {@code spikes} per control step. */
    static RunSummary snn(double scale, int t, long sops, long spikes) {
        List<Episode> eps = episodes(scale, sops, spikes);
        OpCounts counts = new OpCounts(HIDDEN);
        for (Episode e : eps) {
            for (int s = 0; s < e.length(); s++) {
                counts.addControlStep(40, sops, 7L * t, t);
                counts.addSpikes(0, spikes * 2 / 3);
                counts.addSpikes(1, spikes - spikes * 2 / 3);
            }
        }
        return RunSummary.of("snn", result(eps, counts), ANN_MACS, Bootstrap.DEFAULTS);
    }

    private static EpisodeRunner.Result result(List<Episode> eps, OpCounts counts) {
        long steps = eps.stream().mapToLong(Episode::length).sum();
        return new EpisodeRunner.Result(eps, counts, steps, 4.0, 0.25, 3.5);
    }

    static Comparison comparison() {
        return Comparison.of(ann(), snn(0.95, 8, 300, 12), Bootstrap.DEFAULTS);
    }

    static ConversionConfig conversion(int t, double alpha) {
        return ConversionConfig.fromDescription(Map.of("method", "max:neuron", "timesteps", Integer.toString(t),
                "delay", "0", "alpha", Double.toString(alpha)));
    }

    /** The ANN and T in {4, 8} x alpha in {0, 0.5}; returns grow with T and alpha, SOPs with T. */
    static SweepResult sweep() {
        RunSummary ann = ann();
        List<SweepCell> cells = new ArrayList<>();
        cells.add(new SweepCell(null, 0, ann, Comparison.of(ann, ann, Bootstrap.DEFAULTS), null));
        for (int t : new int[] {4, 8}) {
            for (double alpha : new double[] {0, 0.5}) {
                double scale = 0.7 + 0.02 * t + 0.1 * alpha;
                RunSummary snn = snn(scale, t, 30L * t, 3L * t);
                cells.add(new SweepCell(conversion(t, alpha), 0, snn, Comparison.of(ann, snn, Bootstrap.DEFAULTS),
                        null));
            }
        }
        return new SweepResult("Hopper-v4", "policies/hopper-v4-td3/model.zip", "hopper-v4-td3",
                "Golden sweep: two latencies, two residual factors.", 4, 0, 2000, 100_000, List.of(), 0, 1000,
                Bootstrap.DEFAULTS, cells);
    }
}
