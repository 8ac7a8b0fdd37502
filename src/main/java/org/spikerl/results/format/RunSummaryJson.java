package org.spikerl.results.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.results.Bootstrap;
import org.spikerl.results.EnergyStats;
import org.spikerl.results.ReturnStats;
import org.spikerl.results.RunSummary;

/**
 * A {@link RunSummary} as a JSON map and back, losslessly (JSON doubles read back to the same
 * double): what a sweep's journal keeps per finished row, so that a resumed sweep writes the same
 * files as an uninterrupted one. Only measured numbers are stored; the statistics (intervals,
 * IQM) and prices are recomputed on reading, with the same seeded bootstrap and the current
 * preset list.
 */
public final class RunSummaryJson {
    private RunSummaryJson() {
    }

    public static Map<String, Object> toMap(RunSummary run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("controller", run.controller());
        List<Map<String, Object>> eps = new ArrayList<>();
        for (Episode e : run.episodes()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("episode", e.index());
            x.put("seed", e.seed());
            x.put("return", e.ret());
            x.put("length", e.length());
            x.put("terminated", e.terminated());
            x.put("truncated", e.truncated());
            x.put("wall_s", Numbers.orNull(e.seconds()));
            x.put("sops", e.sops());
            x.put("spikes", e.spikes());
            eps.add(x);
        }
        m.put("episodes", eps);
        EnergyStats en = run.energy();
        m.put("macs_per_step", en.macsPerStep());
        m.put("sops_per_step", en.sopsPerStep());
        m.put("neuron_updates_per_step", en.neuronUpdatesPerStep());
        m.put("ann_macs_per_step", en.annMacsPerStep());
        m.put("spike_rate_per_layer", run.spikeRates());
        m.put("steps_per_s", Numbers.orNull(run.stepsPerSecond()));
        m.put("act_us_per_step", Numbers.orNull(run.actUsPerStep()));
        return m;
    }

    /** The inverse of {@link #toMap}; a missing or mistyped field throws (the caller names the file). */
    @SuppressWarnings("unchecked")
    public static RunSummary fromMap(Map<String, Object> m, Bootstrap bootstrap) {
        List<Episode> eps = new ArrayList<>();
        for (Map<String, Object> x : (List<Map<String, Object>>) m.get("episodes")) {
            eps.add(new Episode(((Number) x.get("episode")).intValue(), ((Number) x.get("seed")).longValue(),
                    num(x.get("return")), ((Number) x.get("length")).intValue(), (Boolean) x.get("terminated"),
                    (Boolean) x.get("truncated"), num(x.get("wall_s")), ((Number) x.get("sops")).longValue(),
                    ((Number) x.get("spikes")).longValue()));
        }
        double meanLength = eps.stream().mapToInt(Episode::length).average().orElse(0);
        EnergyStats energy = EnergyStats.of(num(m.get("macs_per_step")), num(m.get("sops_per_step")),
                num(m.get("neuron_updates_per_step")), ((Number) m.get("ann_macs_per_step")).longValue(), meanLength);
        double[] rates = ((List<Object>) m.get("spike_rate_per_layer")).stream().mapToDouble(RunSummaryJson::num)
                .toArray();
        return new RunSummary((String) m.get("controller"), List.copyOf(eps),
                ReturnStats.of(eps.stream().mapToDouble(Episode::ret).toArray(), bootstrap), energy, rates,
                num(m.get("steps_per_s")), num(m.get("act_us_per_step")));
    }

    private static double num(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
