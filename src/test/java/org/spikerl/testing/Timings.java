package org.spikerl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Result files with their wall-clock measurements taken out, for tests that compare two runs of
 * the same work (a resumed sweep with an uninterrupted one): the measurements differ in every
 * run, everything else must not.
 */
public final class Timings {
    /** The CSV columns that are wall-clock measurements (act() time per step, episode wall time). */
    public static final List<String> CSV_COLUMNS = List.of("act_us_per_step", "wall_s");

    private Timings() {
    }

    /**
     * The text of {@code file} without its measurements: in a CSV table the {@link #CSV_COLUMNS}
     * are blanked (found by the header's names, so the other columns still line up); in any
     * other file (JSON, Markdown) every line that holds one of {@code jsonKeys} as a quoted name
     * is dropped. Lines are joined with '\n'.
     */
    public static String strip(Path file, String... jsonKeys) throws IOException {
        List<String> lines = Files.readString(file).lines().toList();
        if (file.toString().endsWith(".csv")) {
            List<String> header = List.of(lines.get(0).split(",", -1));
            return lines.stream().map(l -> {
                String[] f = l.split(",", -1);
                for (int i = 0; i < f.length && i < header.size(); i++) {
                    if (CSV_COLUMNS.contains(header.get(i))) {
                        f[i] = "";
                    }
                }
                return String.join(",", f);
            }).collect(Collectors.joining("\n"));
        }
        return lines.stream().filter(l -> Arrays.stream(jsonKeys).noneMatch(k -> l.contains("\"" + k + "\"")))
                .collect(Collectors.joining("\n"));
    }
}
