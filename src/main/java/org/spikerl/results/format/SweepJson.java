package org.spikerl.results.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;

/**
 * {@code sweep.json}: the sweep and every cell at full precision, with the per-episode returns.
 * Grid values are typed (format version 2): {@code timesteps} an integer, {@code alpha} and
 * {@code v0_fraction} numbers; specs that may be words ({@code method}, {@code delay},
 * {@code neuron}) stay strings.
 */
public final class SweepJson {
    private SweepJson() {
    }

    public static Map<String, Object> of(SweepResult sweep) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", Formats.VERSION);
        m.put("description", sweep.description());
        m.put("env", sweep.env());
        m.put("policy", sweep.policy());
        m.put("policy_name", sweep.policyName());
        m.put("episodes", sweep.episodes());
        m.put("seed", sweep.seed());
        m.put("tuned", sweep.tuned());
        m.put("interval_method", sweep.bootstrap().describe() + "; APR paired over episode seeds");
        List<Map<String, Object>> list = new ArrayList<>();
        for (SweepCell cell : sweep.cells()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("controller", cell.controller());
            if (cell.conversion() != null) {
                x.putAll(settings(cell.conversion()));
                x.put("delay_t0", cell.t0());
            }
            var run = cell.run();
            x.put("mean_return", run.returns().mean());
            x.put("std_return", run.returns().std());
            x.put("mean_return_ci95", SummaryJson.interval(run.returns().meanCi95()));
            x.put("iqm_return", Numbers.orNull(run.returns().iqm()));
            x.put("apr", cell.apr());
            x.put("apr_ci95", SummaryJson.interval(cell.vsAnn().aprCi95()));
            x.put("returns", run.returns().returns());
            x.put("lengths", run.episodes().stream().mapToInt(e -> e.length()).toArray());
            x.put("terminated", run.episodes().stream().map(e -> e.terminated()).toList());
            Map<String, Object> energy = SummaryJson.energy(run.energy());
            x.put("macs_per_step", energy.get("macs_per_step"));
            x.put("sops_per_step", energy.get("sops_per_step"));
            x.put("energy_pj_per_step", energy.get("energy_pj_per_step"));
            x.put("energy_ratio", energy.get("energy_ratio"));
            x.put("spike_rate_per_layer", run.spikeRates());
            // Wall time in act() per control step inside the closed loop (all slots, one thread):
            // a loop measurement under whatever else runs, not a JMH number.
            x.put("act_us_per_step", Numbers.orNull(run.actUsPerStep()));
            if (cell.tuning() != null) {
                x.put("tuning", cell.tuning());
            }
            list.add(x);
        }
        m.put("rows", list);
        return m;
    }

    /** {@link ConversionConfig#describe()}'s keys with typed values. */
    public static Map<String, Object> settings(ConversionConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", c.method().spec());
        m.put("timesteps", c.timesteps());
        m.put("delay", c.delay().spec());
        m.put("delay_reduction", c.delayReduction().cliName());
        m.put("alpha", c.alpha());
        m.put("v0_fraction", c.v0Fraction());
        m.put("neuron", c.neuron().spec());
        m.put("calibration", c.calibration().cliName());
        return m;
    }
}
