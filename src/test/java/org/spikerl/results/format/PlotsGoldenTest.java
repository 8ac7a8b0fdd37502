package org.spikerl.results.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.spikerl.results.Bootstrap;
import org.spikerl.results.Comparison;
import org.spikerl.results.RunSummary;
import org.spikerl.results.SweepCell;
import org.spikerl.results.SweepResult;

/**
 * The sweep's plots: what each chart holds (titles, series, colours, markers, data) against a
 * golden description, and the PNGs themselves written to target/plots for a person to look at.
 */
class PlotsGoldenTest {
    static final Path PNG_DIR = Path.of("target/plots");

    /** A text description of a chart: everything a reader sees except pixels. */
    static String describe(XYChart chart) {
        StringBuilder b = new StringBuilder();
        b.append("title: ").append(chart.getTitle()).append('\n');
        b.append("x axis: ").append(chart.getXAxisTitle()).append(chart.getStyler().isXAxisLogarithmic() ? " [log]" : "")
                .append('\n');
        b.append("y axis: ").append(chart.getYAxisTitle()).append('\n');
        for (XYSeries s : chart.getSeriesMap().values()) {
            b.append(String.format(Locale.ROOT, "series '%s' %s legend=%s marker=%s line=%s fill=%s%n", s.getName(),
                    s.getXYSeriesRenderStyle(), s.isShowInLegend(),
                    s.getMarker() == null ? "-" : s.getMarker().getClass().getSimpleName(), hex(s.getLineColor()),
                    hex(s.getFillColor())));
            b.append("  x: ").append(nums(s.getXData())).append('\n');
            b.append("  y: ").append(nums(s.getYData())).append('\n');
        }
        return b.toString();
    }

    private static String hex(java.awt.Color c) {
        return c == null ? "-" : String.format("#%02x%02x%02x%02x", c.getRed(), c.getGreen(), c.getBlue(), c.getAlpha());
    }

    private static String nums(double[] xs) {
        return DoubleStream.of(xs).mapToObj(x -> String.format(Locale.ROOT, "%.6g", x)).collect(Collectors.joining(" "));
    }

    private static void saveAndCheck(XYChart chart, String name) throws IOException {
        Files.createDirectories(PNG_DIR);
        Path png = PNG_DIR.resolve(name);
        SweepPlots.save(chart, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(600, img.getHeight());
    }

    @Test
    void returnVsT() throws IOException {
        XYChart chart = SweepPlots.returnVsT(Fixtures.sweep());
        Golden.assertMatches("plot_return_vs_T.txt", describe(chart));
        saveAndCheck(chart, "return_vs_T.png");
    }

    @Test
    void energyRatioVsT() throws IOException {
        XYChart chart = SweepPlots.energyRatioVsT(Fixtures.sweep());
        Golden.assertMatches("plot_energy_ratio_vs_T.txt", describe(chart));
        saveAndCheck(chart, "energy_ratio_vs_T.png");
    }

    @Test
    void returnVsEnergy() throws IOException {
        XYChart chart = SweepPlots.returnVsEnergy(Fixtures.sweep());
        Golden.assertMatches("plot_return_vs_energy.txt", describe(chart));
        saveAndCheck(chart, "return_vs_energy.png");
    }

    /** The log2 axis reads as T at powers of two and stays blank between them. */
    @Test
    void log2TicksReadAsT() {
        assertEquals("4", SweepPlots.log2Tick(SweepPlots.log2(4)));
        assertEquals("64", SweepPlots.log2Tick(6.0));
        assertEquals("", SweepPlots.log2Tick(2.5));
    }

    /** Eight settings (4 alphas x 2 methods) x 3 T: every line its own colour and marker; short legend names. */
    @Test
    void manySettingsStayApart() throws IOException {
        RunSummary ann = Fixtures.ann();
        List<SweepCell> cells = new ArrayList<>();
        cells.add(new SweepCell(null, 0, ann, Comparison.of(ann, ann, Bootstrap.DEFAULTS), null));
        for (String method : List.of("max:neuron", "percentile:99.9:neuron")) {
            for (int t : new int[] {4, 16, 64}) {
                for (double alpha : new double[] {0, 0.25, 0.5, 1}) {
                    RunSummary snn = Fixtures.snn(0.6 + 0.005 * t + 0.05 * alpha + (method.startsWith("max") ? 0 : 0.03),
                            t, 30L * t, 3L * t);
                    var c = org.spikerl.convert.ConversionConfig.fromDescription(java.util.Map.of("method", method,
                            "timesteps", Integer.toString(t), "delay", "0", "alpha", Double.toString(alpha)));
                    cells.add(new SweepCell(c, 0, snn, Comparison.of(ann, snn, Bootstrap.DEFAULTS), null));
                }
            }
        }
        SweepResult sweep = new SweepResult("Walker2d-v4", "policies/walker2d-v4-td3/model.zip", "walker2d-v4-td3",
                "eight settings", 4, 0, 2000, 100_000, List.of(), 0, 1000, Bootstrap.DEFAULTS, cells);
        for (XYChart chart : List.of(SweepPlots.returnVsT(sweep), SweepPlots.energyRatioVsT(sweep),
                SweepPlots.returnVsEnergy(sweep))) {
            Set<String> styles = new HashSet<>();
            int shown = 0;
            for (XYSeries s : chart.getSeriesMap().values()) {
                if (s.isShowInLegend() && !s.getName().equals("ANN")) {
                    shown++;
                    assertTrue(styles.add(s.getLineColor() + "/" + s.getMarker().getClass()), s.getName());
                    assertFalse(s.getName().contains("alpha 0.0"), "short numbers: " + s.getName());
                    assertTrue(s.getName().length() <= 40, "short legend: " + s.getName());
                }
            }
            assertEquals(8, shown, chart.getTitle());
        }
        saveAndCheck(SweepPlots.returnVsT(sweep), "many_return_vs_T.png");
        saveAndCheck(SweepPlots.energyRatioVsT(sweep), "many_energy_ratio_vs_T.png");
        saveAndCheck(SweepPlots.returnVsEnergy(sweep), "many_return_vs_energy.png");
    }
}
