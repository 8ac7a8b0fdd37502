package org.spikerl.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import org.spikerl.sweep.Sweep.Row;

/** The sweep's tables: CSV for tools, Markdown for people, JSON with everything. Units in column names. */
final class SweepTables {
    private SweepTables() {
    }

    private static final String[] COLUMNS = {"controller", "threshold", "timesteps", "delay_setting", "delay_t0",
        "alpha", "v0_fraction", "delay_reduction", "mean_return", "std_return", "apr", "macs_per_step",
        "sops_per_step", "energy_pj_per_step_horowitz45", "energy_pj_per_step_bu2025", "energy_ratio_horowitz45",
        "energy_ratio_bu2025", "spike_rate_per_layer", "neuron", "calibration", "act_us_per_step"};

    static String csv(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Row r : rows) {
            var c = r.conversion();
            List<String> f = new ArrayList<>();
            f.add(r.controller());
            f.add(c == null ? "" : c.method().spec());
            f.add(c == null ? "" : Integer.toString(c.timesteps()));
            f.add(c == null ? "" : c.delay().spec());
            f.add(c == null ? "" : Integer.toString(r.t0()));
            f.add(c == null ? "" : num(c.alpha()));
            f.add(c == null ? "" : num(c.v0Fraction()));
            f.add(c == null ? "" : c.delayReduction().cliName());
            f.add(num(r.meanReturn()));
            f.add(num(r.stdReturn()));
            f.add(num(r.apr()));
            f.add(num(r.macsPerStep()));
            f.add(num(r.sopsPerStep()));
            f.add(num(r.energyPjPerStep().get("horowitz45")));
            f.add(num(r.energyPjPerStep().get("bu2025")));
            f.add(num(r.energyRatio().get("horowitz45")));
            f.add(num(r.energyRatio().get("bu2025")));
            f.add(DoubleStream.of(r.spikeRates()).mapToObj(SweepTables::num).collect(Collectors.joining(";")));
            f.add(c == null ? "" : c.neuron().spec());
            f.add(c == null ? "" : c.calibration().cliName());
            f.add(Double.isNaN(r.actUsPerStep()) ? "" : num(r.actUsPerStep()));
            b.append(f.stream().map(s -> s.contains(",") ? '"' + s + '"' : s).collect(Collectors.joining(",")))
                    .append('\n');
        }
        return b.toString();
    }

    static String markdown(SweepConfig config, List<Row> rows) {
        StringBuilder b = new StringBuilder();
        b.append("# Sweep: ").append(config.env()).append(", ").append(config.policy().getFileName()).append("\n\n");
        b.append(config.description()).append("\n\n");
        b.append(String.format(Locale.ROOT, "%d episodes, seeds %d..%d; calibration: %d ANN control steps from seed %d. "
                        + "APR = mean SNN return / mean ANN return. Energy per control step (SPEC 7); ratio = SNN / ANN.%n%n",
                config.episodes(), config.seed(), config.seed() + config.episodes() - 1,
                config.calibration().calibrationSteps(), config.calibration().calibrationSeed()));
        if (config.tuned().isEmpty()) {
            b.append(compact(rows));
        } else {
            b.append(tunedTable(config, rows));
        }
        b.append("## All rows\n\n");
        b.append("| controller | neuron | threshold | T | delay (t0) | alpha | mean return | std | APR | SOPs/step | "
                + "energy pJ/step (horowitz45) | E ratio horowitz45 | E ratio bu2025 | spike rate per layer |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            var c = r.conversion();
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1f | %.1f | %.3f | %.0f | %.0f | %.3f | %.3f | %s |%n",
                    r.controller(), c == null ? "" : c.neuronLabel(), c == null ? "" : c.method().spec(), c == null ? "" : c.timesteps(),
                    c == null ? "" : c.delay().spec() + " (" + r.t0() + ")", c == null ? "" : num(c.alpha()),
                    r.meanReturn(), r.stdReturn(), r.apr(), r.sopsPerStep(), r.energyPjPerStep().get("horowitz45"),
                    r.energyRatio().get("horowitz45"), r.energyRatio().get("bu2025"),
                    DoubleStream.of(r.spikeRates()).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x))
                            .collect(Collectors.joining(" / "))));
        }
        return b.toString();
    }

    /**
     * Per neuron, threshold method and delay, for each T: alpha 0 and the alpha with the highest mean
     * return (selected on this run's own episodes, as the CRPI reference reports its best alpha:
     * an oracle, and the header says so).
     */
    static String compact(List<Row> rows) {
        Row ann = rows.get(0);
        Map<String, Map<Integer, List<Row>>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.conversion() != null) {
                String key = r.conversion().neuronLabel() + " | " + r.conversion().method().spec() + " | "
                        + r.conversion().delay().spec();
                groups.computeIfAbsent(key, k -> new java.util.TreeMap<>())
                        .computeIfAbsent(r.conversion().timesteps(), t -> new ArrayList<>()).add(r);
            }
        }
        StringBuilder b = new StringBuilder("## Alpha 0 and best alpha\n\n");
        b.append(String.format(Locale.ROOT, "ANN: mean return %.1f +- %.1f. Best alpha (oracle) = highest mean return "
                + "among this sweep's alphas on these same episodes.%n%n", ann.meanReturn(), ann.stdReturn()));
        b.append("| neuron | threshold | delay | T | alpha 0: return | APR | E ratio | spike rates | best alpha (oracle) "
                + "| return | APR | E ratio | spike rates |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (var g : groups.entrySet()) {
            for (var t : g.getValue().entrySet()) {
                Row zero = t.getValue().stream().filter(r -> r.conversion().alpha() == 0).findFirst().orElse(null);
                Row best = t.getValue().stream().max(java.util.Comparator.comparingDouble(Row::meanReturn)).orElseThrow();
                b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", g.getKey(), t.getKey(),
                        zero == null ? "- | - | - | -" : cells(zero), num(best.conversion().alpha()) + " | " + cells(best)));
            }
        }
        return b.append('\n').toString();
    }

    /** One line per row, with what the tuner chose on the tuning episodes. */
    static String tunedTable(SweepConfig config, List<Row> rows) {
        Row ann = rows.get(0);
        StringBuilder b = new StringBuilder("## Rows\n\n");
        b.append(String.format(Locale.ROOT, "ANN: mean return %.1f +- %.1f. Chosen per row by the tuner on tuning "
                        + "episodes (seeds %d and up, budget %d episodes), never on these episodes: %s.%n%n",
                ann.meanReturn(), ann.stdReturn(), org.spikerl.tune.TuneSettings.DEFAULTS.seed(), config.tuneBudget(),
                config.tuned().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))));
        b.append("| neuron | threshold | T | delay (t0) | alpha | return | APR | E ratio | spike rates |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            var c = r.conversion();
            if (c == null) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s (%d) | %s | %s |%n", c.neuronLabel(), c.method().spec(),
                    c.timesteps(), c.delay().spec(), r.t0(), num(c.alpha()), cells(r)));
        }
        return b.append('\n').toString();
    }


    private static String cells(Row r) {
        return String.format(Locale.ROOT, "%.1f | %.3f | %.3f | %s", r.meanReturn(), r.apr(),
                r.energyRatio().get("horowitz45"), DoubleStream.of(r.spikeRates())
                        .mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).collect(Collectors.joining(" / ")));
    }

    static Map<String, Object> json(SweepConfig config, List<Row> rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", config.description());
        m.put("env", config.env());
        m.put("policy", config.policy().toString());
        m.put("episodes", config.episodes());
        m.put("seed", config.seed());
        m.put("tuned", config.tuned().stream().map(a -> a.name().toLowerCase(Locale.ROOT)).toList());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("controller", r.controller());
            if (r.conversion() != null) {
                x.putAll(r.conversion().describe());
                x.put("delay_t0", r.t0());
            }
            x.put("mean_return", r.meanReturn());
            x.put("std_return", r.stdReturn());
            x.put("apr", r.apr());
            x.put("returns", r.returns());
            x.put("macs_per_step", r.macsPerStep());
            x.put("sops_per_step", r.sopsPerStep());
            x.put("energy_pj_per_step", r.energyPjPerStep());
            x.put("energy_ratio", r.energyRatio());
            x.put("spike_rate_per_layer", r.spikeRates());
            // Wall time in act() per control step inside the closed loop (all slots, one thread):
            // a loop measurement under whatever else runs, not a JMH number.
            x.put("act_us_per_step", Double.isNaN(r.actUsPerStep()) ? null : r.actUsPerStep());
            if (r.tuning() != null) {
                x.put("tuning", r.tuning());
            }
            list.add(x);
        }
        m.put("rows", list);
        return m;
    }

    static String num(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", x)).stripTrailingZeros().toPlainString();
    }
}
