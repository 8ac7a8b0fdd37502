package org.spikerl.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.spikerl.SpikerlException;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.results.ResumeCheck;
import org.spikerl.results.RunDirectory;
import org.spikerl.results.format.RunSummaryJson;
import org.spikerl.sweep.Sweep.Row;

/**
 * The durable record of a sweep's finished rows: one file per row, {@code cells/row-NNNNNN.json}
 * (row 0 the ANN, row i the grid's i-th conversion), written atomically into the run folder the
 * moment the row is done. A stopped sweep's folder keeps them; {@code sweep --resume DIR} reads
 * them back (after {@link #checkSameRun} has compared configuration, actor hash and versions)
 * and evaluates only the rows that are missing. A row is stored at full precision (JSON doubles
 * round-trip exactly), so a resumed sweep writes the same tables as an uninterrupted one.
 * Thread-safe: rows may finish in any order.
 */
public final class SweepJournal {
    static final String FOLDER = "cells";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunDirectory run;
    private final Map<Integer, Row> done = new ConcurrentHashMap<>();

    private SweepJournal(RunDirectory run) {
        this.run = run;
    }

    /** A journal for a new sweep. */
    static SweepJournal fresh(RunDirectory run) {
        return new SweepJournal(run);
    }

    /**
     * A journal holding the rows of {@code previous} (a stopped sweep's folder), copied into
     * {@code run}. Refuses a row file that does not parse or whose conversion is not the one the
     * grid has at its index.
     */
    static SweepJournal resumed(RunDirectory run, Path previous, SweepConfig config) {
        SweepJournal j = new SweepJournal(run);
        Path cells = previous.resolve(FOLDER);
        if (!Files.isDirectory(cells)) {
            throw new SpikerlException(previous + " has no " + FOLDER + "/ folder: not a sweep folder this version can"
                    + " resume");
        }
        List<ConversionConfig> grid = config.grid();
        try (Stream<Path> files = Files.list(cells)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("row-\\d+\\.json")).sorted().toList()) {
                Map<String, Object> m;
                try {
                    m = JSON.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
                } catch (IOException e) {
                    throw new SpikerlException(f + ": not a readable sweep row (" + e.getMessage().lines().findFirst()
                            .orElse("") + ")", e);
                }
                int index = ((Number) m.get("row")).intValue();
                if (index < 0 || index > grid.size()) {
                    throw new SpikerlException(f + ": row " + index + " is outside the grid (rows 0.." + grid.size() + ")");
                }
                Row row;
                try {
                    row = fromMap(m);
                } catch (RuntimeException e) {
                    throw new SpikerlException(f + ": not a sweep row this version can read (" + e + ")", e);
                }
                if (index > 0 && config.tuned().isEmpty()
                        && !Objects.equals(grid.get(index - 1).describe(), row.conversion().describe())) {
                    throw new SpikerlException(f + ": row " + index + " is " + row.conversion().describe()
                            + " but the config's grid has " + grid.get(index - 1).describe() + " there");
                }
                j.record(index, row);
            }
        } catch (IOException e) {
            throw new SpikerlException("cannot read " + cells + ": " + e.getMessage(), e);
        }
        return j;
    }

    /** The finished row at {@code index}, or null. */
    Row get(int index) {
        return done.get(index);
    }

    int size() {
        return done.size();
    }

    /** The finished rows in grid order (the ANN first). */
    List<Row> rows() {
        return List.copyOf(new TreeMap<>(done).values());
    }

    /** Records a finished row, on disk at once. */
    void record(int index, Row row) {
        Map<String, Object> m = toMap(row);
        m.put("row", index);
        run.writeJson(String.format("%s/row-%06d.json", FOLDER, index), m);
        done.put(index, row);
    }

    /**
     * A finished row as one JSON text, losslessly (what the journal stores, without the index):
     * how an engine that evaluates rows elsewhere sends them back to the driver.
     */
    public static String toJson(Row row) {
        try {
            return JSON.writeValueAsString(toMap(row));
        } catch (IOException e) {
            throw new IllegalStateException("sweep row as JSON: " + e.getMessage(), e);
        }
    }

    /** The inverse of {@link #toJson}; a text that is not a sweep row throws, naming {@code where} it came from. */
    public static Row fromJson(String json, String where) {
        try {
            return fromMap(JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { }));
        } catch (IOException | RuntimeException e) {
            throw new SpikerlException(where + ": not a sweep row this version can read (" + e + ")", e);
        }
    }

    static Map<String, Object> toMap(Row r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("conversion", r.conversion() == null ? null : r.conversion().describe());
        m.put("t0", r.t0());
        m.put("run", RunSummaryJson.toMap(r.run()));
        m.put("tuning", r.tuning());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Row fromMap(Map<String, Object> m) {
        Map<String, String> conversion = (Map<String, String>) m.get("conversion");
        return new Row(conversion == null ? null : ConversionConfig.fromDescription(conversion),
                ((Number) m.get("t0")).intValue(),
                RunSummaryJson.fromMap((Map<String, Object>) m.get("run"), SweepOutput.BOOTSTRAP),
                (Map<String, Object>) m.get("tuning"));
    }

    /**
     * Refuses to resume {@code previous} unless its provenance has the same configuration, actor
     * SHA-256 and versions as the run about to start ({@code now}); the message names what differs.
     */
    static void checkSameRun(Path previous, Map<String, Object> now) {
        // The config file's name may be spelled differently on resume; its content (the grid) is compared.
        ResumeCheck.check(previous, now, "start a new sweep instead", "config_file");
    }
}
