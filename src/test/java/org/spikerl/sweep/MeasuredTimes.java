package org.spikerl.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Results files compared across runs without what is measured (act() times, wall times, loop
 * speed), which differ between any two runs. Shared by the core's tests and, through the core's
 * test jar, the spark module's.
 */
public final class MeasuredTimes {
    /** A comma outside double quotes (a threshold spec such as {@code "ltb-channel:c=1,batch=64"} is quoted). */
    private static final String CSV_COMMA = ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)";
    private static final List<String> CSV_COLUMNS = List.of("act_us_per_step", "wall_s");
    private static final List<String> JSON_KEYS = List.of("act_us_per_step\"", "\"seconds\"", "steps_per_s\"",
            "wall_s\"");

    private MeasuredTimes() {
    }

    /** The file's text with the measured CSV columns emptied, or the JSON lines that hold them dropped. */
    public static String without(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (file.toString().endsWith(".csv")) {
            List<String> header = List.of(lines.get(0).split(CSV_COMMA, -1));
            return lines.stream().map(l -> {
                String[] f = l.split(CSV_COMMA, -1);
                for (int i = 0; i < f.length && i < header.size(); i++) {
                    if (CSV_COLUMNS.contains(header.get(i))) {
                        f[i] = "";
                    }
                }
                return String.join(",", f);
            }).collect(Collectors.joining("\n"));
        }
        return lines.stream().filter(l -> JSON_KEYS.stream().noneMatch(l::contains)).collect(Collectors.joining("\n"));
    }

    /**
     * Two sweep folders hold the same results: the four tables equal without measured times, the
     * same files, the same {@code cells/} rows.
     */
    public static void assertSameSweep(Path expected, Path actual) throws IOException {
        for (String f : List.of("sweep.csv", "sweep_episodes.csv", "sweep.json", "sweep.md")) {
            org.junit.jupiter.api.Assertions.assertEquals(without(expected.resolve(f)), without(actual.resolve(f)), f);
        }
        org.junit.jupiter.api.Assertions.assertEquals(entries(expected), entries(actual));
        org.junit.jupiter.api.Assertions.assertEquals(entries(expected.resolve("cells")), entries(actual.resolve("cells")));
    }

    /** The names in a folder, sorted. */
    public static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
