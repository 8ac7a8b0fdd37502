package org.spikerl.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.results.OutputException;
import org.spikerl.results.RunDirectory;
import org.spikerl.run.Interruption;
import org.spikerl.sweep.Sweep.Row;

/**
 * Writes a sweep's result files into its run folder and commits it: the complete result
 * ({@code sweep.csv}, {@code sweep.md}, {@code sweep.json}, the two plots, {@code provenance.json}),
 * or, when the sweep stopped, the rows that finished with {@code "status": "incomplete"} and
 * what stopped it (no plots: they are drawn once the sweep is resumed and complete). When the
 * disk cannot take them, the table is printed so the numbers still reach the user.
 */
final class SweepOutput {
    private SweepOutput() {
    }

    static Path writeComplete(RunDirectory run, SweepConfig config, List<Row> rows, Map<String, Object> provenance,
                              PrintWriter log) {
        try {
            Map<String, Object> json = SweepTables.json(config, rows);
            json.put("status", "complete");
            run.writeText("sweep.csv", SweepTables.csv(rows));
            run.writeText("sweep.md", SweepTables.markdown(config, rows));
            run.writeJson("sweep.json", json);
            run.writeWith("return_vs_T.png", p -> SweepPlots.returnVsT(config, rows, p));
            run.writeWith("energy_ratio_vs_T.png", p -> SweepPlots.energyVsT(config, rows, p));
            provenance.put("status", "complete");
            run.writeJson("provenance.json", provenance);
            return run.commit();
        } catch (OutputException e) {
            printTable(rows, log);
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
        Path where;
        try {
            Map<String, Object> json = SweepTables.json(config, rows);
            Interruption stopped = new Interruption(why.stoppedBy(), message);
            json.putAll(stopped.fields());
            provenance.putAll(stopped.fields());
            run.writeText("sweep.csv", SweepTables.csv(rows));
            run.writeJson("sweep.json", json);
            run.writeJson("provenance.json", provenance);
            where = run.commit();
        } catch (OutputException e) {
            printTable(rows, log);
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

    private static void printTable(List<Row> rows, PrintWriter log) {
        if (!rows.isEmpty()) {
            log.print(SweepTables.csv(rows));
            log.flush();
        }
    }
}
