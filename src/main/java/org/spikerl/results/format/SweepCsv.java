package org.spikerl.results.format;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.results.EnergyStats;
import org.spikerl.results.Interval;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;

/**
 * {@code sweep.csv}: one row per cell, the ANN first (conversion columns empty, APR 1). Columns of
 * format version 1, in order: {@code controller, threshold, timesteps, delay_setting, delay_t0,
 * alpha, v0_fraction, delay_reduction, mean_return, std_return, apr, macs_per_step, sops_per_step},
 * {@code energy_pj_per_step_<preset>} and then {@code energy_ratio_<preset>} for each preset of
 * {@link EnergyPreset#ALL}, {@code spike_rate_per_layer} (hidden layers joined by {@code ;}),
 * {@code neuron, calibration, act_us_per_step}. Version 2 appends {@code mean_return_ci95_low,
 * mean_return_ci95_high, iqm_return, apr_ci95_low, apr_ci95_high, episodes, mean_length,
 * terminated_episodes} and writes every number in full precision.
 */
public final class SweepCsv {
    private SweepCsv() {
    }

    public static List<String> columns() {
        List<String> c = new ArrayList<>(List.of("controller", "threshold", "timesteps", "delay_setting", "delay_t0",
                "alpha", "v0_fraction", "delay_reduction", "mean_return", "std_return", "apr", "macs_per_step",
                "sops_per_step"));
        for (EnergyPreset p : EnergyPreset.ALL) {
            c.add("energy_pj_per_step_" + p.name());
        }
        for (EnergyPreset p : EnergyPreset.ALL) {
            c.add("energy_ratio_" + p.name());
        }
        c.addAll(List.of("spike_rate_per_layer", "neuron", "calibration", "act_us_per_step",
                "mean_return_ci95_low", "mean_return_ci95_high", "iqm_return", "apr_ci95_low", "apr_ci95_high",
                "episodes", "mean_length", "terminated_episodes"));
        return c;
    }

    public static String of(SweepResult sweep) {
        StringBuilder b = new StringBuilder(String.join(",", columns())).append('\n');
        for (SweepCell cell : sweep.cells()) {
            ConversionConfig c = cell.conversion();
            var run = cell.run();
            List<String> f = new ArrayList<>();
            f.add(cell.controller());
            f.add(c == null ? "" : c.method().spec());
            f.add(c == null ? "" : Integer.toString(c.timesteps()));
            f.add(c == null ? "" : c.delay().spec());
            f.add(c == null ? "" : Integer.toString(cell.t0()));
            f.add(c == null ? "" : Numbers.full(c.alpha()));
            f.add(c == null ? "" : Numbers.full(c.v0Fraction()));
            f.add(c == null ? "" : c.delayReduction().cliName());
            f.add(Numbers.full(run.returns().mean()));
            f.add(Numbers.full(run.returns().std()));
            f.add(Numbers.full(cell.apr()));
            f.add(Numbers.full(run.energy().macsPerStep()));
            f.add(Numbers.full(run.energy().sopsPerStep()));
            for (EnergyStats.Priced p : run.energy().presets()) {
                f.add(Numbers.full(p.pjPerStep()));
            }
            for (EnergyStats.Priced p : run.energy().presets()) {
                f.add(Numbers.full(p.ratio()));
            }
            f.add(Numbers.joined(run.spikeRates(), ";"));
            f.add(c == null ? "" : c.neuron().spec());
            f.add(c == null ? "" : c.calibration().cliName());
            f.add(Numbers.full(run.actUsPerStep()));
            addInterval(f, run.returns().meanCi95());
            f.add(Numbers.full(run.returns().iqm()));
            addInterval(f, cell.vsAnn().aprCi95());
            f.add(Integer.toString(run.episodes().size()));
            f.add(Numbers.full(run.episodes().stream().mapToInt(e -> e.length()).average().orElse(Double.NaN)));
            f.add(Long.toString(run.episodes().stream().filter(e -> e.terminated()).count()));
            b.append(f.stream().map(Numbers::csvField).collect(Collectors.joining(","))).append('\n');
        }
        return b.toString();
    }

    private static void addInterval(List<String> f, Interval i) {
        f.add(i == null ? "" : Numbers.full(i.low()));
        f.add(i == null ? "" : Numbers.full(i.high()));
    }
}
