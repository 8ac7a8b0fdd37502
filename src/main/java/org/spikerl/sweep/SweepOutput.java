package org.spikerl.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.results.Bootstrap;
import org.spikerl.results.Comparison;
import org.spikerl.results.OutputException;
import org.spikerl.results.PolicyName;
import org.spikerl.results.RunDirectory;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;
import org.spikerl.results.format.SweepCsv;
import org.spikerl.results.format.SweepEpisodesCsv;
import org.spikerl.results.format.SweepJson;
import org.spikerl.results.format.SweepMarkdown;
import org.spikerl.results.format.SweepPlots;
import org.spikerl.run.Interruption;
import org.spikerl.sweep.Sweep.Row;
import org.spikerl.tune.TuneSettings;

/**
 * Writes a sweep's result files into its run folder and commits it: the complete result
 * ({@code sweep.csv}, {@code sweep_episodes.csv}, {@code sweep.md}, {@code sweep.json}, the three
 * plots, {@code provenance.json}), or, when the sweep stopped, the rows that finished with
 * {@code "status": "incomplete"} and what stopped it (no plots: they are drawn once the sweep is
 * resumed and complete). All of them from one {@link SweepResult}. When the disk cannot take
 * them, the table is printed so the numbers still reach the user.
 */
final class SweepOutput {
    /** The intervals of every sweep. */
    static final Bootstrap BOOTSTRAP = Bootstrap.DEFAULTS;

    private SweepOutput() {
    }

    /** A finished row compared with the ANN's row on the same seeds. */
    static SweepCell cell(Row ann, Row row) {
        return new SweepCell(row.conversion(), row.t0(), row.run(), Comparison.of(ann.run(), row.run(), BOOTSTRAP),
                row.tuning());
    }

    /** The results model of the finished rows (the ANN's row first). */
    static SweepResult result(SweepConfig config, List<Row> rows) {
        if (rows.get(0).conversion() != null) {
            throw new SpikerlException("sweep: the ANN row is missing; its cells cannot be compared");
        }
        List<SweepCell> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(cell(rows.get(0), r));
        }
        return new SweepResult(config.env(), config.policy().toString(), PolicyName.of(config.policy()),
                config.description(), config.episodes(), config.seed(), config.calibration().calibrationSteps(),
                config.calibration().calibrationSeed(),
                config.tuned().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList(),
                config.tuned().isEmpty() ? 0 : config.tuneBudget(), TuneSettings.DEFAULTS.seed(), BOOTSTRAP,
                List.copyOf(cells));
    }

    static Path writeComplete(RunDirectory run, SweepConfig config, List<Row> rows, Map<String, Object> provenance,
                              PrintWriter log) {
        SweepResult result = result(config, rows);
        try {
            Map<String, Object> json = SweepJson.of(result);
            json.put("status", "complete");
            run.writeText("sweep.csv", SweepCsv.of(result));
            run.writeText("sweep_episodes.csv", SweepEpisodesCsv.of(result));
            run.writeText("sweep.md", SweepMarkdown.of(result));
            run.writeJson("sweep.json", json);
            run.writeWith("return_vs_T.png", p -> SweepPlots.save(SweepPlots.returnVsT(result), p));
            run.writeWith("energy_ratio_vs_T.png", p -> SweepPlots.save(SweepPlots.energyRatioVsT(result), p));
            run.writeWith("return_vs_energy.png", p -> SweepPlots.save(SweepPlots.returnVsEnergy(result), p));
            provenance.put("status", "complete");
            run.writeJson("provenance.json", provenance);
            return run.commit();
        } catch (OutputException e) {
            printTable(result, log);
            throw new OutputException(e.getMessage() + " (the sweep table is printed above)", e);
        }
    }

    /**
     * Writes the finished rows as an incomplete result, commits it and throws the error that names
     * the {@code row} that was running, the rows kept and how to resume; with no finished row,
     * nothing is written.
     */
    static void keepIncomplete(RunDirectory run, SweepConfig config, SweepJournal journal,
                               Map<String, Object> provenance, Interruption why, String row, PrintWriter log,
                               RuntimeException cause) {
        String message = row + ": " + why.error();
        List<Row> rows = journal.rows();
        if (rows.isEmpty()) {
            throw rethrow(message + " (no row finished; nothing written)", cause);
        }
        int total = config.grid().size() + 1;
        SweepResult result = result(config, rows);
        Path where;
        try {
            Map<String, Object> json = SweepJson.of(result);
            Interruption stopped = new Interruption(why.stoppedBy(), message);
            json.putAll(stopped.fields());
            provenance.putAll(stopped.fields());
            run.writeText("sweep.csv", SweepCsv.of(result));
            run.writeText("sweep_episodes.csv", SweepEpisodesCsv.of(result));
            run.writeJson("sweep.json", json);
            run.writeJson("provenance.json", provenance);
            where = run.commit();
        } catch (OutputException e) {
            printTable(result, log);
            throw new OutputException(message + "; the " + rows.size() + " finished rows could not be kept ("
                    + e.getMessage() + "); their table is printed above", e);
        }
        throw rethrow(message + " (" + rows.size() + " of " + total + " rows finished, kept in " + where
                + "; to finish: spikerl sweep --resume " + where + ")", cause);
    }

    /** A new exception with {@code message}, of the same kind (bad output stays bad output). */
    private static SpikerlException rethrow(String message, RuntimeException cause) {
        return OutputException.find(cause) != null ? new OutputException(message, cause)
                : new SpikerlException(message, cause);
    }

    private static void printTable(SweepResult result, PrintWriter log) {
        log.print(SweepCsv.of(result));
        log.flush();
    }
}
