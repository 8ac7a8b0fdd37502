package org.spikerl.results.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.results.Bootstrap;
import org.spikerl.results.Comparison;
import org.spikerl.results.EnergyStats;
import org.spikerl.results.Interval;
import org.spikerl.results.ReturnStats;
import org.spikerl.results.RunSummary;

/**
 * {@code summary.json} of {@code spikerl eval}. The keys of format version 1 keep their names and
 * meaning ({@code episodes, returns, lengths, mean_return, std_return, steps_per_s, num_envs,
 * macs_per_step, sops_per_step, neuron_updates_per_step, energy_pj_per_step,
 * ann_energy_pj_per_step, energy_ratio, energy_pj_per_episode, spike_rate_per_layer}); version 2
 * adds {@code format_version}, {@code mean_return_ci95}, {@code iqm_return}, {@code interval_method},
 * the per-episode {@code terminated}, {@code truncated}, {@code episode_wall_s}, and, when an SNN is
 * compared with its ANN, {@code ann} (the ANN's returns on the same seeds), {@code apr} and
 * {@code apr_ci95}.
 */
public final class SummaryJson {
    private SummaryJson() {
    }

    /**
     * @param head run identity and controller settings, first in the file (env, policy, controller, ...)
     * @param run the run's summary
     * @param vsAnn the comparison with the ANN on the same seeds, or null
     * @param stopped for an incomplete run, what stopped it ({@code status}, {@code stopped_by},
     *        {@code error}, as {@code run.Interruption} gives them); null for a finished run
     */
    public static Map<String, Object> of(Map<String, Object> head, RunSummary run, Comparison vsAnn, long seed,
                                         int numEnvs, Bootstrap bootstrap, Map<String, Object> stopped) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", Formats.VERSION);
        m.putAll(head);
        if (stopped != null) {
            m.putAll(stopped);
        } else {
            m.put("status", run.complete() ? "complete" : "incomplete");
        }
        m.put("seed", seed);
        m.putAll(episodes(run));
        if (!run.complete()) {
            m.put("interval_method", bootstrap.describe());
            return m;
        }
        m.put("steps_per_s", run.stepsPerSecond());
        m.put("num_envs", numEnvs);
        m.putAll(energy(run.energy()));
        if (run.spikeRates().length > 0) {
            m.put("spike_rate_per_layer", run.spikeRates());
        }
        if (vsAnn != null) {
            Map<String, Object> ann = new LinkedHashMap<>(episodes(vsAnn.ann()));
            ann.put("steps_per_s", vsAnn.ann().stepsPerSecond());
            m.put("ann", ann);
            m.put("apr", vsAnn.apr());
            m.put("apr_ci95", interval(vsAnn.aprCi95()));
        }
        m.put("interval_method", bootstrap.describe() + (vsAnn != null ? "; APR paired over episode seeds" : ""));
        return m;
    }

    /**
     * {@code summary.json} of a run stopped part-way: as {@link #of} for an incomplete run, and,
     * for an SNN run stopped with (part of) its ANN baseline finished, that baseline's episode
     * part under {@code "ann"} (the key a finished run uses for it).
     *
     * @param ann the ANN baseline's finished episodes, or null (none, or no baseline)
     * @param stopped {@code status}, {@code stopped_by}, {@code error} and what else says where it stopped
     */
    public static Map<String, Object> incomplete(Map<String, Object> head, RunSummary run, RunSummary ann, long seed,
                                                 Bootstrap bootstrap, Map<String, Object> stopped) {
        Map<String, Object> m = of(head, run, null, seed, 0, bootstrap, stopped);
        if (ann != null) {
            Object method = m.remove("interval_method");
            m.put("ann", episodes(ann));
            m.put("interval_method", method);
        }
        return m;
    }

    /** The episode part: counts, per-episode lists, mean, std, interval and IQM of the return. */
    static Map<String, Object> episodes(RunSummary run) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Episode> eps = run.episodes();
        ReturnStats r = run.returns();
        m.put("episodes", eps.size());
        m.put("returns", r.returns());
        m.put("lengths", eps.stream().mapToInt(Episode::length).toArray());
        m.put("mean_return", Numbers.orNull(r.mean()));
        m.put("std_return", Numbers.orNull(r.std()));
        m.put("mean_return_ci95", interval(r.meanCi95()));
        m.put("iqm_return", Numbers.orNull(r.iqm()));
        m.put("terminated", eps.stream().map(Episode::terminated).toList());
        m.put("truncated", eps.stream().map(Episode::truncated).toList());
        m.put("episode_wall_s", eps.stream().map(e -> Numbers.orNull(e.seconds())).toList());
        return m;
    }

    /** Counts per control step and, per preset, the run's and the ANN's energy and their ratio. */
    static Map<String, Object> energy(EnergyStats e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("macs_per_step", e.macsPerStep());
        m.put("sops_per_step", e.sopsPerStep());
        m.put("neuron_updates_per_step", e.neuronUpdatesPerStep());
        Map<String, Double> snn = new LinkedHashMap<>();
        Map<String, Double> ann = new LinkedHashMap<>();
        Map<String, Double> ratio = new LinkedHashMap<>();
        Map<String, Double> perEpisode = new LinkedHashMap<>();
        for (EnergyStats.Priced p : e.presets()) {
            String name = p.preset().name();
            snn.put(name, p.pjPerStep());
            ann.put(name, p.annPjPerStep());
            ratio.put(name, p.ratio());
            perEpisode.put(name, p.pjPerEpisode());
        }
        m.put("energy_pj_per_step", snn);
        m.put("ann_energy_pj_per_step", ann);
        m.put("energy_ratio", ratio);
        m.put("energy_pj_per_episode", perEpisode);
        return m;
    }

    static Map<String, Double> interval(Interval i) {
        return i == null ? null : i.toMap();
    }
}
