package org.spikerl.results.format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.results.EnergyStats;
import org.spikerl.results.Interval;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;

/** {@code sweep.md}: the sweep for people, means with their 95% intervals. */
public final class SweepMarkdown {
    private SweepMarkdown() {
    }

    public static String of(SweepResult sweep) {
        EnergyPreset headline = EnergyStats.headline();
        StringBuilder b = new StringBuilder();
        b.append("# Sweep: ").append(sweep.env()).append(", ").append(sweep.policyName()).append("\n\n");
        b.append(sweep.description()).append("\n\n");
        b.append(String.format(Locale.ROOT, "%d episodes, seeds %d..%d; calibration: %d ANN control steps from seed %d. "
                        + "APR = mean SNN return / mean ANN return on the same seeds. Energy per control step (SPEC 7); "
                        + "ratio = SNN / ANN. Brackets: 95%% intervals (%s; APR paired over episode seeds).%n%n",
                sweep.episodes(), sweep.seed(), sweep.seed() + sweep.episodes() - 1, sweep.calibrationSteps(),
                sweep.calibrationSeed(), sweep.bootstrap().describe()));
        b.append(sweep.isTuned() ? tuned(sweep, headline) : compact(sweep, headline));
        b.append("## All rows\n\n| controller | neuron | threshold | T | delay (t0) | alpha | mean return [95% CI] | std "
                + "| IQM | APR [95% CI] | SOPs/step | energy pJ/step (" + headline.name() + ")");
        for (EnergyPreset p : EnergyPreset.ALL) {
            b.append(" | E ratio ").append(p.name());
        }
        b.append(" | spike rate per layer |\n|").append("---|".repeat(13 + EnergyPreset.ALL.size())).append('\n');
        for (SweepCell cell : sweep.cells()) {
            ConversionConfig c = cell.conversion();
            var run = cell.run();
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.1f | %.1f | %s | %.0f | %.0f",
                    cell.controller(), c == null ? "" : c.neuronLabel(), c == null ? "" : c.method().spec(),
                    c == null ? "" : c.timesteps(), c == null ? "" : c.delay().spec() + " (" + cell.t0() + ")",
                    c == null ? "" : Numbers.full(c.alpha()), withCi(run.returns().mean(), run.returns().meanCi95(), 1),
                    run.returns().std(), run.returns().iqm(), withCi(cell.apr(), cell.vsAnn().aprCi95(), 3),
                    run.energy().sopsPerStep(), run.energy().under(headline).pjPerStep()));
            for (EnergyStats.Priced p : run.energy().presets()) {
                b.append(String.format(Locale.ROOT, " | %.3f", p.ratio()));
            }
            b.append(" | ").append(rates(run.spikeRates())).append(" |\n");
        }
        return b.toString();
    }

    /**
     * Per neuron, threshold method and delay, for each T: alpha 0 and the alpha with the highest mean
     * return, selected on this sweep's own evaluation episodes (as the CRPI reference reports its
     * best alpha): an oracle, optimistic by construction, and the header says so.
     */
    static String compact(SweepResult sweep, EnergyPreset headline) {
        Map<String, Map<Integer, List<SweepCell>>> groups = new LinkedHashMap<>();
        for (SweepCell cell : sweep.snnCells()) {
            ConversionConfig c = cell.conversion();
            String key = c.neuronLabel() + " | " + c.method().spec() + " | " + c.delay().spec();
            groups.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(c.timesteps(), t -> new ArrayList<>())
                    .add(cell);
        }
        var ann = sweep.ann().run().returns();
        StringBuilder b = new StringBuilder("## Alpha 0 and best alpha\n\n");
        b.append(String.format(Locale.ROOT, "ANN: mean return %s. Best alpha (oracle) = highest mean return among this "
                + "sweep's alphas on these same evaluation episodes, so its APR is biased upwards.%n%n",
                withCi(ann.mean(), ann.meanCi95(), 1)));
        b.append("| neuron | threshold | delay | T | alpha 0: return [95% CI] | APR [95% CI] | E ratio (" + headline.name()
                + ") | spike rates | best alpha (oracle) | return [95% CI] | APR [95% CI] | E ratio | spike rates |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (var g : groups.entrySet()) {
            for (var t : g.getValue().entrySet()) {
                SweepCell zero = t.getValue().stream().filter(r -> r.conversion().alpha() == 0).findFirst().orElse(null);
                SweepCell best = t.getValue().stream().max(Comparator.comparingDouble(r -> r.run().meanReturn()))
                        .orElseThrow();
                b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", g.getKey(), t.getKey(),
                        zero == null ? "- | - | - | -" : cells(zero, headline),
                        Numbers.full(best.conversion().alpha()) + " | " + cells(best, headline)));
            }
        }
        return b.append('\n').toString();
    }

    /** One line per row, with what the tuner chose on the tuning episodes. */
    static String tuned(SweepResult sweep, EnergyPreset headline) {
        var ann = sweep.ann().run().returns();
        StringBuilder b = new StringBuilder("## Rows\n\n");
        b.append(String.format(Locale.ROOT, "ANN: mean return %s. Chosen per row by the tuner on tuning episodes (seeds "
                        + "%d and up, budget %d episodes), never on these episodes: %s.%n%n",
                withCi(ann.mean(), ann.meanCi95(), 1), sweep.tuningSeed(), sweep.tuneBudget(),
                String.join(", ", sweep.tuned())));
        b.append("| neuron | threshold | T | delay (t0) | alpha | return [95% CI] | APR [95% CI] | E ratio ("
                + headline.name() + ") | spike rates |\n|---|---|---|---|---|---|---|---|---|\n");
        for (SweepCell cell : sweep.snnCells()) {
            ConversionConfig c = cell.conversion();
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s (%d) | %s | %s |%n", c.neuronLabel(),
                    c.method().spec(), c.timesteps(), c.delay().spec(), cell.t0(), Numbers.full(c.alpha()),
                    cells(cell, headline)));
        }
        return b.append('\n').toString();
    }

    private static String cells(SweepCell cell, EnergyPreset headline) {
        return String.format(Locale.ROOT, "%s | %s | %.3f | %s", withCi(cell.run().meanReturn(),
                        cell.run().returns().meanCi95(), 1), withCi(cell.apr(), cell.vsAnn().aprCi95(), 3),
                cell.run().energy().under(headline).ratio(), rates(cell.run().spikeRates()));
    }

    /** "3012.4 [2990.0, 3030.2]", or the value alone without an interval. */
    static String withCi(double value, Interval ci, int digits) {
        String v = Numbers.fixed(value, digits);
        return ci == null ? v : v + " [" + Numbers.fixed(ci.low(), digits) + ", " + Numbers.fixed(ci.high(), digits) + "]";
    }

    private static String rates(double[] r) {
        return DoubleStream.of(r).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).collect(Collectors.joining(" / "));
    }
}
