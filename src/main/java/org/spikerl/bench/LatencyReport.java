package org.spikerl.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;
import org.spikerl.SpikerlException;

/**
 * The numbers of one {@code spikerl bench latency} run, read from JMH's results
 * ({@link #fromJmh}), and their two printed forms: the human table ({@link #printTable}) and the
 * machine line ({@link #jsonLine}), whose shape is fixed:
 * <pre>
 *   {"ann_us": 5.123, "djl_us": 31.456, "snn_us": {"4": 3.210, "8": 6.543, "16": 12.345, "32": 24.680}}
 * </pre>
 * Microseconds per action, mean over all measured iterations of all forks. Extra numbers (B/op,
 * percentiles) go in {@link #detailsJsonLine}, printed before it.
 *
 * @param ann Java ANN {@code act}
 * @param djl libtorch forward through DJL plus the Java head
 * @param snn SNN {@code act} per latency T, ascending T
 * @param sampled the per-call distribution of SNN {@code act} at {@link LatencySettings#SAMPLED_TIMESTEPS}
 */
public record LatencyReport(Row ann, Row djl, Map<Integer, Row> snn, Sampled sampled) {

    /**
     * One benchmark configuration in average-time mode.
     *
     * @param meanUs mean microseconds per call
     * @param errorUs half-width of JMH's 99.9% confidence interval (NaN with a single measured iteration)
     * @param allocBytesPerOp JMH gc profiler {@code gc.alloc.rate.norm}, bytes allocated per call (NaN if absent)
     * @param medianUs median over the measured iterations of all forks of the per-iteration mean: on a
     *        shared machine an iteration the benchmark thread spent partly descheduled drags the mean
     *        and its error, not the median
     */
    public record Row(double meanUs, double errorUs, double allocBytesPerOp, double medianUs) {
    }

    /** Sample-mode result: percentiles of single calls, in microseconds. */
    public record Sampled(int timesteps, double meanUs, double p50Us, double p99Us, double p999Us, long samples,
                          double allocBytesPerOp) {
    }

    /**
     * One JMH result reduced to what the report reads, so the assembly can be tested without JMH.
     *
     * @param method benchmark method name ({@code annAct}, {@code djlAct}, {@code snnAct}, {@code snnActSampled})
     * @param timesteps the {@code timesteps} parameter, or null
     * @param iterationMedian median of the measured iterations' scores
     */
    public record Measurement(String method, String timesteps, double score, double error, double allocBytesPerOp,
                              double iterationMedian, double p50, double p99, double p999, long samples) {
    }

    /** Secondary result of JMH's {@code GCProfiler}: bytes allocated per benchmark call. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";

    public LatencyReport {
        snn = new TreeMap<>(snn);
    }

    /** Reads JMH's run results of {@link ActLatency}. */
    public static LatencyReport fromJmh(Collection<RunResult> results) {
        List<Measurement> ms = new ArrayList<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Result<?> primary = r.getPrimaryResult();
            Result<?> alloc = r.getSecondaryResults().get(ALLOC_NORM);
            Statistics st = primary.getStatistics();
            boolean sampled = method.equals("snnActSampled");
            List<Double> iterations = new ArrayList<>();
            for (BenchmarkResult fork : r.getBenchmarkResults()) {
                for (IterationResult it : fork.getIterationResults()) {
                    iterations.add(it.getPrimaryResult().getScore());
                }
            }
            ms.add(new Measurement(method, r.getParams().getParam("timesteps"), primary.getScore(),
                    primary.getScoreError(), alloc != null ? alloc.getScore() : Double.NaN, median(iterations),
                    sampled ? st.getPercentile(50) : Double.NaN, sampled ? st.getPercentile(99) : Double.NaN,
                    sampled ? st.getPercentile(99.9) : Double.NaN, sampled ? st.getN() : 0));
        }
        return from(ms);
    }

    /** Assembles the report; every configuration of {@link ActLatency} must be present exactly once. */
    public static LatencyReport from(List<Measurement> measurements) {
        Row ann = null;
        Row djl = null;
        Sampled sampled = null;
        Map<Integer, Row> snn = new TreeMap<>();
        for (Measurement m : measurements) {
            Row row = new Row(m.score(), m.error(), m.allocBytesPerOp(), m.iterationMedian());
            switch (m.method()) {
                case "annAct" -> ann = once(ann, row, m);
                case "djlAct" -> djl = once(djl, row, m);
                case "snnAct" -> {
                    int t = timesteps(m);
                    if (snn.put(t, row) != null) {
                        throw new SpikerlException("JMH results: snnAct at T=" + t + " appears twice");
                    }
                }
                case "snnActSampled" -> sampled = once(sampled, new Sampled(LatencySettings.SAMPLED_TIMESTEPS,
                        m.score(), m.p50(), m.p99(), m.p999(), m.samples(), m.allocBytesPerOp()), m);
                default -> throw new SpikerlException("JMH results: unexpected benchmark " + m.method());
            }
        }
        List<String> missing = new ArrayList<>();
        if (ann == null) {
            missing.add("annAct");
        }
        if (djl == null) {
            missing.add("djlAct");
        }
        for (int t : LatencySettings.TIMESTEPS) {
            if (!snn.containsKey(t)) {
                missing.add("snnAct T=" + t);
            }
        }
        if (sampled == null) {
            missing.add("snnActSampled");
        }
        if (!missing.isEmpty()) {
            throw new SpikerlException("JMH results: missing " + String.join(", ", missing));
        }
        if (!snn.keySet().equals(new TreeSet<>(LatencySettings.TIMESTEPS))) {
            throw new SpikerlException("JMH results: snnAct ran at T=" + snn.keySet() + ", expected "
                    + LatencySettings.TIMESTEPS);
        }
        return new LatencyReport(ann, djl, snn, sampled);
    }

    /** The middle value, or the mean of the two middle values; NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static <T> T once(T previous, T value, Measurement m) {
        if (previous != null) {
            throw new SpikerlException("JMH results: " + m.method() + " appears twice");
        }
        return value;
    }

    private static int timesteps(Measurement m) {
        try {
            return Integer.parseInt(m.timesteps());
        } catch (NumberFormatException e) {
            throw new SpikerlException("JMH results: snnAct has timesteps '" + m.timesteps() + "', expected an integer");
        }
    }

    /** The documented last line of {@code --json} output. */
    public String jsonLine() {
        StringJoiner s = new StringJoiner(", ", "{", "}");
        for (Map.Entry<Integer, Row> e : snn.entrySet()) {
            s.add("\"" + e.getKey() + "\": " + number(e.getValue().meanUs()));
        }
        return "{\"ann_us\": " + number(ann.meanUs()) + ", \"djl_us\": " + number(djl.meanUs())
                + ", \"snn_us\": " + s + "}";
    }

    /** Everything else as one JSON object: iteration medians, errors, B/op, the sampled percentiles. */
    public String detailsJsonLine() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("ann_median_us", number(ann.medianUs()));
        f.put("djl_median_us", number(djl.medianUs()));
        StringJoiner snnMedian = new StringJoiner(", ", "{", "}");
        for (Map.Entry<Integer, Row> e : snn.entrySet()) {
            snnMedian.add("\"" + e.getKey() + "\": " + number(e.getValue().medianUs()));
        }
        f.put("snn_median_us", snnMedian.toString());
        f.put("ann_error_us", number(ann.errorUs()));
        f.put("djl_error_us", number(djl.errorUs()));
        StringJoiner snnErr = new StringJoiner(", ", "{", "}");
        StringJoiner snnAlloc = new StringJoiner(", ", "{", "}");
        for (Map.Entry<Integer, Row> e : snn.entrySet()) {
            snnErr.add("\"" + e.getKey() + "\": " + number(e.getValue().errorUs()));
            snnAlloc.add("\"" + e.getKey() + "\": " + number(e.getValue().allocBytesPerOp()));
        }
        f.put("snn_error_us", snnErr.toString());
        f.put("ann_alloc_bytes_per_op", number(ann.allocBytesPerOp()));
        f.put("djl_alloc_bytes_per_op", number(djl.allocBytesPerOp()));
        f.put("snn_alloc_bytes_per_op", snnAlloc.toString());
        String t = "snn_t" + sampled.timesteps();
        f.put(t + "_p50_us", number(sampled.p50Us()));
        f.put(t + "_p99_us", number(sampled.p99Us()));
        f.put(t + "_p999_us", number(sampled.p999Us()));
        f.put(t + "_samples", Long.toString(sampled.samples()));
        StringJoiner s = new StringJoiner(", ", "{", "}");
        f.forEach((k, v) -> s.add("\"" + k + "\": " + v));
        return s.toString();
    }

    /** Three decimals, or JSON null for a value JMH could not give (e.g. an error from one iteration). */
    static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "null";
    }

    /** Per-T facts about the converted network on the benchmark's input (from the parent, untimed). */
    public record SnnProfile(int timesteps, int delay, double[] spikeRates, double sopsPerStep) {
    }

    /**
     * The human table: mean and 99.9% error per benchmark, the median iteration, bytes allocated per call and per
     * iteration, and for the SNN the readout delay, spike rates and synaptic operations per action
     * on the same observations; then the sampled percentiles and the latency target.
     *
     * <p>B/iter ({@code B/op * calls per iteration}) tells harness from code: JMH's own
     * per-iteration bookkeeping is a constant few KB per iteration whatever the call costs, so a
     * zero-allocation {@code act()} shows as that constant, spread over the calls as B/op below 1.
     */
    public void printTable(PrintWriter out, Map<Integer, SnnProfile> profiles, double targetUs, int iterationMillis) {
        String head = String.format(Locale.ROOT, "%-20s %9s %9s %9s %10s %9s %4s %-13s %9s", "benchmark", "mean us",
                "+- us", "median us", "B/op", "B/iter", "t0", "spike rate", "SOPs/act");
        out.println(head);
        out.println("-".repeat(head.length()));
        row(out, "ann act (java)", ann, iterationMillis, "", "", "");
        row(out, "djl forward + head", djl, iterationMillis, "", "", "");
        for (Map.Entry<Integer, Row> e : snn.entrySet()) {
            SnnProfile p = profiles.get(e.getKey());
            String rates = "";
            if (p != null) {
                StringJoiner r = new StringJoiner("/");
                for (double v : p.spikeRates()) {
                    r.add(String.format(Locale.ROOT, "%.3f", v));
                }
                rates = r.toString();
            }
            row(out, "snn act T=" + e.getKey(), e.getValue(), iterationMillis,
                    p != null ? Integer.toString(p.delay()) : "", rates,
                    p != null ? String.format(Locale.ROOT, "%.0f", p.sopsPerStep()) : "");
        }
        out.printf(Locale.ROOT, "snn act T=%d per call (sampled, %d calls): p50 %s us, p99 %s us, p99.9 %s us,"
                        + " mean %s us%n", sampled.timesteps(), sampled.samples(), fixed(sampled.p50Us()),
                fixed(sampled.p99Us()), fixed(sampled.p999Us()), fixed(sampled.meanUs()));
        Row target = snn.get(LatencySettings.SAMPLED_TIMESTEPS);
        if (target != null && Double.isFinite(targetUs)) {
            out.printf(Locale.ROOT, "target: snn act T=%d <= %s us per action: %s (mean %s us)%n",
                    LatencySettings.SAMPLED_TIMESTEPS, fixed(targetUs),
                    target.meanUs() <= targetUs ? "met" : "NOT met", fixed(target.meanUs()));
        }
    }

    private static void row(PrintWriter out, String name, Row r, int iterationMillis, String delay, String rates,
                            String sops) {
        out.printf(Locale.ROOT, "%-20s %9s %9s %9s %10s %9s %4s %-13s %9s%n", name, fixed(r.meanUs()),
                fixed(r.errorUs()), fixed(r.medianUs()), fixed(r.allocBytesPerOp()), bytes(r.allocBytesPerOp() * iterationMillis * 1000.0 / r.meanUs()), delay,
                rates, sops);
    }

    /** {@code 5.9 KB}, {@code 104 MB}; binary units. */
    static String bytes(double b) {
        if (!Double.isFinite(b)) {
            return "n/a";
        }
        String[] units = {"B", "KB", "MB", "GB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, b < 10 && u > 0 ? "%.1f %s" : "%.0f %s", b, units[u]);
    }

    private static String fixed(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a";
    }
}
