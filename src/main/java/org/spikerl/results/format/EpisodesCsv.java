package org.spikerl.results.format;

import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.results.RunSummary;

/**
 * {@code episodes.csv}: one row per episode. Columns of format version 1: {@code episode, seed,
 * return, length}; version 2 adds {@code terminated, truncated, wall_s, sops, spikes} (wall time
 * from the episode's reset to its last step; SOPs and hidden-layer spikes its controller counted,
 * 0 for an ANN) and writes the return in full precision.
 */
public final class EpisodesCsv {
    public static final String HEADER = "episode,seed,return,length,terminated,truncated,wall_s,sops,spikes";

    private EpisodesCsv() {
    }

    public static String of(RunSummary run) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Episode e : run.episodes()) {
            b.append(e.index()).append(',').append(e.seed()).append(',').append(Numbers.full(e.ret())).append(',')
                    .append(e.length()).append(',').append(e.terminated()).append(',').append(e.truncated())
                    .append(',').append(Numbers.full(e.seconds())).append(',').append(e.sops()).append(',')
                    .append(e.spikes()).append('\n');
        }
        return b.toString();
    }
}
