package org.spikerl.results.format;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.results.Comparison;
import org.spikerl.results.EnergyStats;
import org.spikerl.results.Interval;
import org.spikerl.results.ReturnStats;
import org.spikerl.results.RunSummary;

/** The table {@code spikerl eval} prints: one line per episode, then the means with their intervals. */
public final class EvalReport {
    private EvalReport() {
    }

    /**
     * @param what how the run is named in the closing line, e.g. "hopper-v4-td3 on Hopper-v4"
     * @param vsAnn the ANN on the same seeds, or null
     */
    public static void print(PrintWriter out, String what, RunSummary run, Comparison vsAnn) {
        List<Episode> eps = run.episodes();
        if (vsAnn == null) {
            out.printf(Locale.ROOT, "%-8s %-6s %10s %8s %-10s%n", "episode", "seed", "return", "length", "end");
            for (Episode e : eps) {
                out.printf(Locale.ROOT, "%-8d %-6d %10.1f %8d %-10s%n", e.index(), e.seed(), e.ret(), e.length(),
                        end(e));
            }
        } else {
            List<Episode> ann = vsAnn.ann().episodes();
            out.printf(Locale.ROOT, "%-8s %-6s %10s %8s %-10s %10s %8s %-10s%n", "episode", "seed", "ANN return",
                    "length", "end", "SNN return", "length", "end");
            for (int i = 0; i < eps.size(); i++) {
                Episode a = ann.get(i);
                Episode e = eps.get(i);
                out.printf(Locale.ROOT, "%-8d %-6d %10.1f %8d %-10s %10.1f %8d %-10s%n", e.index(), e.seed(), a.ret(),
                        a.length(), end(a), e.ret(), e.length(), end(e));
            }
        }
        long first = eps.isEmpty() ? 0 : eps.get(0).seed();
        long last = eps.isEmpty() ? 0 : eps.get(eps.size() - 1).seed();
        if (vsAnn != null) {
            out.printf(Locale.ROOT, "ANN %s: %s, %.0f steps/s%n", what, returns(vsAnn.ann().returns()),
                    vsAnn.ann().stepsPerSecond());
        }
        out.printf(Locale.ROOT, "%s %s: %s over %d episodes (seeds %d..%d), %.0f steps/s%n",
                run.controller().toUpperCase(Locale.ROOT), what, returns(run.returns()), eps.size(), first, last,
                run.stepsPerSecond());
        if (vsAnn != null) {
            StringBuilder energy = new StringBuilder();
            for (EnergyPreset p : EnergyPreset.ALL) {
                EnergyStats.Priced priced = run.energy().under(p);
                energy.append(String.format(Locale.ROOT, ", E/E_ann %.3f (%s)", priced.ratio(), p.name()));
            }
            out.printf(Locale.ROOT, "APR %.3f%s%s%n", vsAnn.apr(), ci(vsAnn.aprCi95(), 3), energy);
        }
    }

    /** "mean return 3012.4 +- 20.1 [95% CI 2990.0, 3030.2], IQM 3015.0". */
    static String returns(ReturnStats r) {
        return String.format(Locale.ROOT, "mean return %.1f +- %.1f%s, IQM %.1f", r.mean(), r.std(), ci(r.meanCi95(), 1),
                r.iqm());
    }

    static String ci(Interval i, int digits) {
        return i == null ? "" : " [95% CI " + Numbers.fixed(i.low(), digits) + ", " + Numbers.fixed(i.high(), digits) + "]";
    }

    private static String end(Episode e) {
        return e.terminated() ? "terminated" : e.truncated() ? "truncated" : "-";
    }
}
