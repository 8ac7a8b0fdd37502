package org.spikerl.results;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.moment.Mean;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.energy.EnergyReport;
import org.spikerl.energy.OpCounts;

/**
 * The numbers of one run as {@code summary.json} holds them. Keys carry units where they have
 * one ({@code energy_pj_per_step}, {@code steps_per_s}). {@code std_return} is the population
 * standard deviation (ddof = 0), as Stable-Baselines3's {@code evaluate_policy} reports it.
 */
public final class Summary {
    private Summary() {
    }

    public static double mean(double[] xs) {
        return new Mean().evaluate(xs);
    }

    public static double std(double[] xs) {
        return new StandardDeviation(false).evaluate(xs);
    }

    public static double[] returns(List<Episode> episodes) {
        return episodes.stream().mapToDouble(Episode::ret).toArray();
    }

    /** The episode part: returns, lengths, mean and std of the return. */
    public static Map<String, Object> episodes(List<Episode> episodes) {
        Map<String, Object> m = new LinkedHashMap<>();
        double[] r = returns(episodes);
        m.put("episodes", episodes.size());
        m.put("returns", r);
        m.put("lengths", episodes.stream().mapToInt(Episode::length).toArray());
        m.put("mean_return", r.length == 0 ? null : mean(r));
        m.put("std_return", r.length == 0 ? null : std(r));
        return m;
    }

    /**
     * Operation counts and energy per control step for every preset, next to the ANN's energy for
     * the same actor (SPEC section 7). For an ANN run the ratio is 1.
     *
     * @param annMacsPerStep MACs of one ANN forward pass of the same actor
     */
    public static Map<String, Object> energy(OpCounts counts, long annMacsPerStep, double meanEpisodeLength) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("macs_per_step", counts.macsPerStep());
        m.put("sops_per_step", counts.sopsPerStep());
        m.put("neuron_updates_per_step", counts.neuronUpdatesPerStep());
        Map<String, Double> snn = new LinkedHashMap<>();
        Map<String, Double> ann = new LinkedHashMap<>();
        Map<String, Double> ratio = new LinkedHashMap<>();
        Map<String, Double> perEpisode = new LinkedHashMap<>();
        for (EnergyReport r : EnergyReport.forAllPresets(counts, annMacsPerStep)) {
            String name = r.preset().name();
            snn.put(name, r.snnPjPerStep());
            ann.put(name, r.annPjPerStep());
            ratio.put(name, r.ratio());
            perEpisode.put(name, r.snnPjPerStep() * meanEpisodeLength);
        }
        m.put("energy_pj_per_step", snn);
        m.put("ann_energy_pj_per_step", ann);
        m.put("energy_ratio", ratio);
        m.put("energy_pj_per_episode", perEpisode);
        return m;
    }
}
