package org.spikerl.results.format;

import java.util.Locale;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.results.EnergyStats;
import org.spikerl.results.RunSummary;
import org.spikerl.results.SweepCell;

/** The line {@code spikerl sweep} prints after each cell. */
public final class SweepLog {
    private SweepLog() {
    }

    /** "mean return 3012.4 +- 20.1 [95% CI 2990.0, 3030.2], IQM 3015.0". */
    public static String returns(RunSummary run) {
        return EvalReport.returns(run.returns());
    }

    /** The cell's label, delay, return with interval, APR with interval and energy ratio. */
    public static String cell(String label, SweepCell cell) {
        EnergyPreset p = EnergyStats.headline();
        return String.format(Locale.ROOT, "%-60s t0=%-2d %s  APR %.3f%s  E/E_ann %.3f (%s)", label, cell.t0(),
                returns(cell.run()), cell.apr(), EvalReport.ci(cell.vsAnn().aprCi95(), 3),
                cell.run().energy().under(p).ratio(), p.name());
    }
}
