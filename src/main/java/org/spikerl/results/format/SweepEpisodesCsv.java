package org.spikerl.results.format;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;

/**
 * {@code sweep_episodes.csv}, tidy: one row per cell and episode. The cell's settings ({@code cell}
 * numbers the cells as in {@code sweep.csv}, 0 for the ANN, whose conversion columns are empty),
 * then the episode: {@code episode, seed, return, length, terminated, truncated, wall_s, sops,
 * spikes}. Numbers in full precision; booleans as {@code true}/{@code false}.
 */
public final class SweepEpisodesCsv {
    public static final List<String> COLUMNS = List.of("cell", "controller", "neuron", "threshold", "timesteps",
            "delay_setting", "delay_t0", "alpha", "v0_fraction", "delay_reduction", "calibration", "episode", "seed",
            "return", "length", "terminated", "truncated", "wall_s", "sops", "spikes");

    private SweepEpisodesCsv() {
    }

    public static String of(SweepResult sweep) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (int i = 0; i < sweep.cells().size(); i++) {
            SweepCell cell = sweep.cells().get(i);
            ConversionConfig c = cell.conversion();
            List<String> settings = new ArrayList<>();
            settings.add(Integer.toString(i));
            settings.add(cell.controller());
            settings.add(c == null ? "" : c.neuron().spec());
            settings.add(c == null ? "" : c.method().spec());
            settings.add(c == null ? "" : Integer.toString(c.timesteps()));
            settings.add(c == null ? "" : c.delay().spec());
            settings.add(c == null ? "" : Integer.toString(cell.t0()));
            settings.add(c == null ? "" : Numbers.full(c.alpha()));
            settings.add(c == null ? "" : Numbers.full(c.v0Fraction()));
            settings.add(c == null ? "" : c.delayReduction().cliName());
            settings.add(c == null ? "" : c.calibration().cliName());
            String prefix = settings.stream().map(Numbers::csvField).collect(Collectors.joining(","));
            for (Episode e : cell.run().episodes()) {
                b.append(prefix).append(',').append(e.index()).append(',').append(e.seed()).append(',')
                        .append(Numbers.full(e.ret())).append(',').append(e.length()).append(',')
                        .append(e.terminated()).append(',').append(e.truncated()).append(',')
                        .append(Numbers.full(e.seconds())).append(',').append(e.sops()).append(',')
                        .append(e.spikes()).append('\n');
            }
        }
        return b.toString();
    }
}
