package org.spikerl.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.sweep.Sweep.Row;

/**
 * PNG plots of a sweep: mean return vs T per conversion (threshold, delay, alpha) with the ANN as
 * a horizontal line, and the SNN/ANN energy ratio (horowitz45) vs T. With more alphas than fit on
 * one plot, each (threshold, delay) shows alpha 0 and its best alpha per T.
 */
final class SweepPlots {
    private static final int MAX_SERIES = 8;

    private SweepPlots() {
    }

    static void returnVsT(SweepConfig config, List<Row> rows, Path png) {
        XYChart chart = chart(config.env() + ": mean return vs latency T", "mean return");
        Row ann = rows.get(0);
        List<Integer> ts = config.timesteps().stream().sorted().toList();
        addLine(chart, "ANN", ts, ts.stream().map(t -> ann.meanReturn()).toList(), true);
        for (var e : series(config, rows, Row::meanReturn).entrySet()) {
            addLine(chart, e.getKey(), new ArrayList<>(e.getValue().keySet()), new ArrayList<>(e.getValue().values()), false);
        }
        save(chart, png);
    }

    static void energyVsT(SweepConfig config, List<Row> rows, Path png) {
        XYChart chart = chart(config.env() + ": SNN / ANN energy per control step (horowitz45)", "energy ratio");
        for (var e : series(config, rows, r -> r.energyRatio().get("horowitz45")).entrySet()) {
            addLine(chart, e.getKey(), new ArrayList<>(e.getValue().keySet()), new ArrayList<>(e.getValue().values()), false);
        }
        save(chart, png);
    }

    interface Metric {
        double of(Row r);
    }

    /** Series name -> (T -> value); collapses alphas to "alpha 0" and "best alpha" when there are too many. */
    private static Map<String, TreeMap<Integer, Double>> series(SweepConfig config, List<Row> rows, Metric metric) {
        Map<String, TreeMap<Integer, Double>> all = new LinkedHashMap<>();
        if (!config.tuned().isEmpty()) {
            // Tuned rows: the chosen settings differ per T, so one line per grid setting that is not tuned.
            for (Row r : rows) {
                ConversionConfig c = r.conversion();
                if (c != null) {
                    String fixed = fixedName(config, c);
                    all.computeIfAbsent(fixed, k -> new TreeMap<>()).put(c.timesteps(), metric.of(r));
                }
            }
            return all;
        }
        for (Row r : rows) {
            ConversionConfig c = r.conversion();
            if (c != null) {
                all.computeIfAbsent(name(c, "alpha " + c.alpha()), k -> new TreeMap<>()).put(c.timesteps(), metric.of(r));
            }
        }
        if (all.size() <= MAX_SERIES) {
            return all;
        }
        Map<String, TreeMap<Integer, Double>> reduced = new LinkedHashMap<>();
        Map<String, TreeMap<Integer, Double>> bestReturn = new LinkedHashMap<>();
        for (Row r : rows) {
            ConversionConfig c = r.conversion();
            if (c == null) {
                continue;
            }
            if (c.alpha() == 0) {
                reduced.computeIfAbsent(name(c, "alpha 0"), k -> new TreeMap<>()).put(c.timesteps(), metric.of(r));
            }
            String best = name(c, "best alpha");
            TreeMap<Integer, Double> br = bestReturn.computeIfAbsent(best, k -> new TreeMap<>());
            Double seen = br.get(c.timesteps());
            if (seen == null || r.meanReturn() > seen) {
                br.put(c.timesteps(), r.meanReturn());
                reduced.computeIfAbsent(best, k -> new TreeMap<>()).put(c.timesteps(), metric.of(r));
            }
        }
        return reduced;
    }

    /** "SNN, tuned on tuning seeds" plus the grid's own values of the axes the tuner does not choose. */
    private static String fixedName(SweepConfig config, ConversionConfig c) {
        StringBuilder b = new StringBuilder("SNN, tuned");
        var t = config.tuned();
        if (!t.contains(SweepConfig.TunedAxis.NEURON)) {
            b.append(", ").append(c.neuron().spec());
        }
        if (!t.contains(SweepConfig.TunedAxis.CALIBRATION)) {
            b.append(", calibration ").append(c.calibration().cliName());
        }
        if (!t.contains(SweepConfig.TunedAxis.THRESHOLD)) {
            b.append(", ").append(c.method().spec());
        }
        if (!t.contains(SweepConfig.TunedAxis.DELAY)) {
            b.append(", delay ").append(c.delay().spec());
        }
        if (!t.contains(SweepConfig.TunedAxis.ALPHA)) {
            b.append(", alpha ").append(c.alpha());
        }
        return b.toString();
    }

    private static String name(ConversionConfig c, String alpha) {
        return c.method().spec() + ", delay " + c.delay().spec() + ", " + alpha;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle("T (timesteps per control step)")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    private static void addLine(XYChart chart, String name, List<Integer> x, List<Double> y, boolean dashed) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(dashed ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        if (dashed) {
            s.setLineColor(java.awt.Color.BLACK);
            s.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[] {8f, 6f}, 0f));
        }
    }

    private static void save(XYChart chart, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + png, e);
        }
    }
}
