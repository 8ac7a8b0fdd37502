package org.spikerl.sweep;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spikerl.actor.Actor;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.progress.Progress;
import org.spikerl.results.format.SweepLog;
import org.spikerl.run.EnvSession;
import org.spikerl.sweep.Sweep.Row;

/**
 * A sweep as an engine sees it ({@link SweepEngine#evaluate}): the config, the actor and the
 * driver's own session (its env, its versions), the rows still missing, and where a finished row
 * goes ({@link #record}: the journal, on disk at once, the progress bar and the log). Rows may be
 * recorded from several threads and in any order; they are merged by index.
 */
public final class SweepJob {
    private final SweepConfig config;
    private final Path configFile;
    private final EnvSession session;
    private final SweepJournal journal;
    private final SweepEngine.Settings settings;
    private final Map<String, Object> provenance;
    private final PrintWriter log;
    private final Progress rowsBar;
    private final List<Integer> waitingForAnn = new ArrayList<>();
    private volatile int failedRow = -1;

    SweepJob(SweepConfig config, Path configFile, EnvSession session, SweepJournal journal,
             SweepEngine.Settings settings, Map<String, Object> provenance, PrintWriter log, Progress rowsBar) {
        this.config = config;
        this.configFile = configFile;
        this.session = session;
        this.journal = journal;
        this.settings = settings;
        this.provenance = provenance;
        this.log = log;
        this.rowsBar = rowsBar;
    }

    public SweepConfig config() {
        return config;
    }

    public Path configFile() {
        return configFile;
    }

    /** The driver's session: its vector env (for the calibration rollouts), actor and versions. */
    public EnvSession session() {
        return session;
    }

    public Actor actor() {
        return session.actor();
    }

    public SweepEngine.Settings settings() {
        return settings;
    }

    /** The run's provenance, to which an engine adds how it ran (written with the results). */
    public Map<String, Object> provenance() {
        return provenance;
    }

    public PrintWriter log() {
        return log;
    }

    SweepJournal journal() {
        return journal;
    }

    Progress rowsBar() {
        return rowsBar;
    }

    /** The conversion of row {@code index} (1..G) as the config's grid has it. */
    public ConversionConfig conversion(int index) {
        return config.grid().get(index - 1);
    }

    /** The finished row at {@code index} (0: the ANN), or null. */
    public Row row(int index) {
        return journal.get(index);
    }

    /** The rows not finished yet, ascending (0, the ANN, first when it is missing). */
    public List<Integer> missingRows() {
        List<Integer> rows = new ArrayList<>();
        if (journal.get(0) == null) {
            rows.add(0);
        }
        rows.addAll(missingCells());
        return rows;
    }

    /** The grid rows (1..G) not finished yet, ascending. */
    public List<Integer> missingCells() {
        return CellRunners.missingCells(journal, config.grid().size());
    }

    /**
     * Records a finished row: into the journal (on disk at once), the progress bar and the log
     * (a cell's line compares it with the ANN, so it waits for the ANN's row when that is not in yet).
     */
    public void record(int index, Row row) {
        journal.record(index, row);
        synchronized (this) {
            rowsBar.stepBy(1);
            if (index == 0) {
                log.printf(java.util.Locale.ROOT, "ANN: %s%n", SweepLog.returns(row.run()));
                for (int i : waitingForAnn) {
                    log.println(cellLine(journal.get(i), row));
                }
                waitingForAnn.clear();
            } else {
                Row ann = journal.get(0);
                if (ann == null) {
                    waitingForAnn.add(index);
                } else {
                    log.println(cellLine(row, ann));
                }
            }
            log.flush();
        }
    }

    private static String cellLine(Row row, Row ann) {
        return SweepLog.cell(Sweep.label(row.conversion()), SweepOutput.cell(ann, row));
    }

    /** Names the row whose failure {@link SweepEngine#evaluate} is about to throw (0: the ANN). */
    public void failedRow(int index) {
        failedRow = index;
    }

    int failedRow() {
        return failedRow;
    }
}
