package org.spikerl.results.format;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.results.EnergyStats;
import org.spikerl.results.Interval;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;

/**
 * The sweep's plots, drawn with XChart:
 * <ul>
 *   <li>{@code return_vs_T.png}: mean return against T on a log2 axis, one line per setting, its
 *       95% interval as a band (as bars on lines shifted sideways, with more than
 *       {@link #MAX_BANDS} lines); the ANN a dashed black line with its own band;</li>
 *   <li>{@code energy_ratio_vs_T.png}: SNN / ANN energy per control step (the first preset of
 *       {@link EnergyPreset#ALL}) against T, lines shifted sideways a little so none hides another;</li>
 *   <li>{@code return_vs_energy.png}: mean return against energy per action, one point per cell with
 *       its interval as a vertical bar, the points of one setting joined in T order and labelled
 *       with T; the ANN a black diamond.</li>
 * </ul>
 * Settings are told apart by colour (Paul Tol's colour-blind-safe "muted" scheme, SRON technical
 * note SRON/EPS/TN/09-002) and marker together; legend names give only the settings that vary
 * within the sweep. With more than {@link #MAX_SERIES} settings, each shows alpha 0 and its best
 * alpha per T (the oracle of {@code sweep.md}).
 */
public final class SweepPlots {
    static final int MAX_SERIES = 8;
    static final List<Color> COLOURS = List.of(new Color(0xCC6677), new Color(0x332288), new Color(0x117733),
            new Color(0x88CCEE), new Color(0x882255), new Color(0x44AA99), new Color(0x999933), new Color(0xAA4499),
            new Color(0xDDCC77));
    static final List<Marker> MARKERS = List.of(SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
            SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
            SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE);
    static final int MAX_BANDS = 4;
    private static final double DODGE = 0.04;

    private SweepPlots() {
    }

    public static XYChart returnVsT(SweepResult sweep) {
        XYChart chart = log2Chart(sweep, title(sweep, "mean return vs latency T"), "mean return (95% interval bands)");
        List<Integer> ts = timesteps(sweep);
        var ann = sweep.ann().run().returns();
        double[] x = {log2(ts.get(0)), log2(ts.get(ts.size() - 1))};
        if (ann.meanCi95() != null) {
            band(chart, "ANN band", x, new Interval[] {ann.meanCi95(), ann.meanCi95()}, Color.GRAY);
        }
        XYSeries a = chart.addSeries("ANN", x, new double[] {ann.mean(), ann.mean()});
        a.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        a.setLineColor(Color.BLACK).setLineStyle(dashed());
        Map<String, TreeMap<Integer, SweepCell>> all = series(sweep);
        // Bands stay readable for a few lines; beyond that they bury each other, so the intervals
        // become bars, shifted sideways with their line.
        boolean bands = all.size() <= MAX_BANDS;
        if (!bands) {
            chart.setXAxisTitle("T (timesteps per control step, log2 scale; lines shifted sideways to stay visible)");
            chart.setYAxisTitle("mean return (bars: 95% intervals)");
        }
        int i = 0;
        for (Map.Entry<String, TreeMap<Integer, SweepCell>> s : all.entrySet()) {
            double shift = bands ? 0 : (i - (all.size() - 1) / 2.0) * DODGE;
            double[] xs = s.getValue().keySet().stream().mapToDouble(t -> log2(t) + shift).toArray();
            List<SweepCell> cells = new ArrayList<>(s.getValue().values());
            Interval[] ci = cells.stream().map(c -> c.run().returns().meanCi95()).toArray(Interval[]::new);
            Color colour = COLOURS.get(i % COLOURS.size());
            if (bands && cells.size() > 1 && java.util.Arrays.stream(ci).allMatch(java.util.Objects::nonNull)) {
                band(chart, s.getKey() + " band", xs, ci, colour);
            } else if (!bands) {
                for (int k = 0; k < xs.length; k++) {
                    bar(chart, s.getKey() + " bar " + k, xs[k], ci[k], colour);
                }
            }
            line(chart, s.getKey(), xs, cells.stream().mapToDouble(c -> c.run().meanReturn()).toArray(), i++);
        }
        return chart;
    }

    public static XYChart energyRatioVsT(SweepResult sweep) {
        EnergyPreset p = EnergyStats.headline();
        XYChart chart = log2Chart(sweep, title(sweep, "SNN / ANN energy per control step (" + p.name() + ")"),
                "energy ratio");
        chart.setXAxisTitle("T (timesteps per control step, log2 scale; lines shifted sideways to stay visible)");
        Map<String, TreeMap<Integer, SweepCell>> all = series(sweep);
        int i = 0;
        for (Map.Entry<String, TreeMap<Integer, SweepCell>> s : all.entrySet()) {
            double shift = (i - (all.size() - 1) / 2.0) * DODGE;
            double[] xs = s.getValue().keySet().stream().mapToDouble(t -> log2(t) + shift).toArray();
            line(chart, s.getKey(), xs,
                    s.getValue().values().stream().mapToDouble(c -> c.run().energy().under(p).ratio()).toArray(), i++);
        }
        return chart;
    }

    public static XYChart returnVsEnergy(SweepResult sweep) {
        EnergyPreset p = EnergyStats.headline();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (SweepCell c : sweep.cells()) {
            lo = Math.min(lo, c.run().energy().under(p).pjPerStep());
            hi = Math.max(hi, c.run().energy().under(p).pjPerStep());
        }
        // A log axis only across more than a decade: within one, XChart's log axis has no tick labels.
        boolean log = lo > 0 && hi / lo > 10;
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title(title(sweep, "mean return vs energy per action"))
                .xAxisTitle("energy per action, pJ per control step (" + p.name() + (log ? ", log scale" : "") + ")")
                .yAxisTitle("mean return (bars: 95% intervals; labels: T)").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(log);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        int i = 0;
        Map<Integer, double[]> labelAt = new TreeMap<>();
        for (Map.Entry<String, TreeMap<Integer, SweepCell>> s : series(sweep).entrySet()) {
            List<SweepCell> cells = new ArrayList<>(s.getValue().values());
            double[] xs = cells.stream().mapToDouble(c -> c.run().energy().under(p).pjPerStep()).toArray();
            double[] ys = cells.stream().mapToDouble(c -> c.run().meanReturn()).toArray();
            Color colour = COLOURS.get(i % COLOURS.size());
            for (int k = 0; k < cells.size(); k++) {
                Interval ci = cells.get(k).run().returns().meanCi95();
                bar(chart, s.getKey() + " bar " + k, xs[k], ci, colour);
                double top = ci != null ? ci.high() : ys[k];
                labelAt.merge(cells.get(k).conversion().timesteps(), new double[] {xs[k], top},
                        (a, b) -> new double[] {a[0], Math.max(a[1], b[1])});
            }
            line(chart, s.getKey(), xs, ys, i++).setLineStyle(new BasicStroke(1f));
        }
        SweepCell ann = sweep.ann();
        double annX = ann.run().energy().under(p).pjPerStep();
        bar(chart, "ANN bar", annX, ann.run().returns().meanCi95(), Color.BLACK);
        XYSeries a = chart.addSeries("ANN", new double[] {annX}, new double[] {ann.run().meanReturn()});
        a.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter).setMarker(SeriesMarkers.DIAMOND);
        a.setMarkerColor(Color.BLACK);
        for (Map.Entry<Integer, double[]> t : labelAt.entrySet()) {
            chart.addAnnotation(new AnnotationText("T=" + t.getKey(), t.getValue()[0], t.getValue()[1], false));
        }
        return chart;
    }

    /** Writes {@code chart} as a PNG file. */
    public static void save(XYChart chart, Path png) throws IOException {
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Legend name -> (T -> cell). Untuned sweeps: one series per setting other than T; collapsed to
     * alpha 0 and the best alpha per T when there are more than {@link #MAX_SERIES}. Tuned sweeps:
     * one series per setting of the axes the tuner does not choose.
     */
    static Map<String, TreeMap<Integer, SweepCell>> series(SweepResult sweep) {
        List<SweepCell> cells = sweep.snnCells();
        Legend legend = Legend.of(cells.stream().map(SweepCell::conversion).toList(), sweep.tuned());
        Map<String, TreeMap<Integer, SweepCell>> all = new LinkedHashMap<>();
        for (SweepCell c : cells) {
            all.computeIfAbsent(legend.name(c.conversion(), true), k -> new TreeMap<>())
                    .put(c.conversion().timesteps(), c);
        }
        if (sweep.isTuned() || all.size() <= MAX_SERIES) {
            return all;
        }
        Map<String, TreeMap<Integer, SweepCell>> reduced = new LinkedHashMap<>();
        for (SweepCell c : cells) {
            String base = legend.name(c.conversion(), false);
            int t = c.conversion().timesteps();
            if (c.conversion().alpha() == 0) {
                reduced.computeIfAbsent(join(base, "alpha 0"), k -> new TreeMap<>()).put(t, c);
            }
            TreeMap<Integer, SweepCell> best = reduced.computeIfAbsent(join(base, "best alpha"), k -> new TreeMap<>());
            best.merge(t, c, (x, y) -> y.run().meanReturn() > x.run().meanReturn() ? y : x);
        }
        return reduced;
    }

    /** Which settings vary among the cells, and names that give only those. */
    record Legend(boolean neuron, boolean method, boolean shortMethod, boolean delay, boolean alpha,
                  boolean calibration, boolean v0) {
        static Legend of(List<ConversionConfig> cs, List<String> tuned) {
            boolean method = varies(cs, c -> c.method().spec()) && !tuned.contains("threshold");
            boolean shortMethod = distinct(cs, c -> c.method().spec()) == distinct(cs, c -> shortMethod(c));
            return new Legend(varies(cs, c -> c.neuron().spec()) && !tuned.contains("neuron"), method, shortMethod,
                    varies(cs, c -> c.delay().spec()) && !tuned.contains("delay"),
                    varies(cs, c -> c.alpha()) && !tuned.contains("alpha"),
                    varies(cs, c -> c.calibration().cliName()) && !tuned.contains("calibration"),
                    varies(cs, c -> c.v0Fraction()));
        }

        String name(ConversionConfig c, boolean withAlpha) {
            List<String> parts = new ArrayList<>();
            if (neuron) {
                parts.add(c.neuronLabel());
            }
            if (method) {
                parts.add(shortMethod ? shortMethod(c) : c.method().spec());
            }
            if (delay) {
                parts.add("delay " + c.delay().spec());
            }
            if (calibration) {
                parts.add("calibration " + c.calibration().cliName());
            }
            if (v0) {
                parts.add("v0 " + Numbers.full(c.v0Fraction()));
            }
            if (alpha && withAlpha) {
                parts.add("alpha " + Numbers.full(c.alpha()));
            }
            return parts.isEmpty() ? "SNN" : "SNN " + String.join(", ", parts);
        }

        private static String shortMethod(ConversionConfig c) {
            String s = c.method().spec();
            int colon = s.indexOf(':');
            return colon < 0 ? s : s.substring(0, colon);
        }

        private static boolean varies(List<ConversionConfig> cs, Function<ConversionConfig, Object> f) {
            return distinct(cs, f) > 1;
        }

        private static int distinct(List<ConversionConfig> cs, Function<ConversionConfig, Object> f) {
            Set<Object> seen = new LinkedHashSet<>();
            cs.forEach(c -> seen.add(f.apply(c)));
            return seen.size();
        }
    }

    private static String join(String base, String alpha) {
        return base.equals("SNN") ? "SNN " + alpha : base + ", " + alpha;
    }

    static String title(SweepResult sweep, String what) {
        return sweep.policyName() + " on " + sweep.env() + ": " + what + (sweep.isTuned() ? " (tuned)" : "");
    }

    private static List<Integer> timesteps(SweepResult sweep) {
        List<Integer> ts = sweep.snnCells().stream().map(c -> c.conversion().timesteps()).distinct().sorted().toList();
        return ts.isEmpty() ? List.of(1) : ts;
    }

    private static XYChart log2Chart(SweepResult sweep, String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title)
                .xAxisTitle("T (timesteps per control step, log2 scale)").yAxisTitle(yTitle).build();
        style(chart);
        // x holds log2(T); ticks read as T at whole powers of two and stay blank between them.
        chart.setCustomXAxisTickLabelsFormatter(SweepPlots::log2Tick);
        // Room for the sideways shifts, ending on whole powers of two: XChart lays out no ticks
        // when the labels of the axis ends are blank.
        List<Integer> ts = timesteps(sweep);
        chart.getStyler().setXAxisMin(Math.floor(log2(ts.get(0))) - 1)
                .setXAxisMax(Math.ceil(log2(ts.get(ts.size() - 1))) + 1);
        return chart;
    }

    /** Tick label at {@code x = log2(T)}: T at whole powers of two, blank between them. */
    static String log2Tick(double x) {
        return Math.abs(x - Math.rint(x)) < 1e-9 ? Numbers.full(Math.pow(2, Math.rint(x))) : "";
    }

    private static void style(XYChart chart) {
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setMarkerSize(9);
    }

    private static XYSeries line(XYChart chart, String name, double[] x, double[] y, int i) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line).setMarker(MARKERS.get(i % MARKERS.size()));
        Color c = COLOURS.get(i % COLOURS.size());
        s.setLineColor(c);
        s.setMarkerColor(c);
        s.setLineStyle(new BasicStroke(2f));
        return s;
    }

    /** A translucent polygon between the intervals' low and high ends; not in the legend. */
    private static void band(XYChart chart, String name, double[] x, Interval[] ci, Color colour) {
        int n = x.length;
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int k = 0; k < n; k++) {
            px[k] = x[k];
            py[k] = ci[k].high();
            px[2 * n - 1 - k] = x[k];
            py[2 * n - 1 - k] = ci[k].low();
        }
        XYSeries s = chart.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea).setMarker(SeriesMarkers.NONE);
        Color fill = new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 45);
        s.setFillColor(fill);
        s.setLineColor(fill);
        s.setLineStyle(new BasicStroke(1f));
        s.setShowInLegend(false);
    }

    /** A vertical bar over one point's interval; not in the legend. */
    private static void bar(XYChart chart, String name, double x, Interval ci, Color colour) {
        if (ci == null) {
            return;
        }
        XYSeries s = chart.addSeries(name, new double[] {x, x}, new double[] {ci.low(), ci.high()});
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineStyle(new BasicStroke(1.5f));
        s.setShowInLegend(false);
    }

    private static BasicStroke dashed() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f);
    }

    static double log2(int t) {
        return Math.log(t) / Math.log(2);
    }


}
