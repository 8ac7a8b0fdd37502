package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spikerl.cli.CliCapture.cli;
import static org.spikerl.cli.CliCapture.crpi;
import static org.spikerl.cli.CliCapture.entries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.sweep.MeasuredTimes;

/**
 * {@code spikerl sweep} end to end through the real bridge: a 2 x 2 grid (T 4 and 8, alpha 0 and
 * 0.5) on the CRPI Hopper-v4 actor, the files it writes and how their numbers hang together.
 */
class SweepCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The CSV header as documented in {@code Sweep}'s Javadoc. */
    private static final List<String> COLUMNS = List.of("controller", "threshold", "timesteps", "delay_setting",
            "delay_t0", "alpha", "v0_fraction", "delay_reduction", "mean_return", "std_return", "apr",
            "macs_per_step", "sops_per_step", "energy_pj_per_step_horowitz45", "energy_pj_per_step_bu2025",
            "energy_ratio_horowitz45", "energy_ratio_bu2025", "spike_rate_per_layer", "neuron", "calibration",
            "act_us_per_step");
    /** MACs of the Hopper actor 11-256-256-3: ANN forward pass, and the SNN's analog first layer. */
    private static final double ANN_MACS = 11 * 256 + 256 * 256 + 256 * 3;
    private static final double FIRST_LAYER_MACS = 11 * 256;

    private static Path config(Path dir) throws IOException {
        return CliCapture.hopperSweep(dir, "tiny.yaml", "IT sweep, two latencies and two residual factors", 4, 8);
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    /** PNG signature, then ImageIO reads a picture with a size. */
    private static void assertPng(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(b, 8),
                file + " starts with the PNG signature");
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " decodes");
        assertTrue(img.getWidth() > 0 && img.getHeight() > 0, file + " has a size");
    }


    @Test
    void concurrentCellsWriteTheTablesOfCellsOneAfterTheOther(@TempDir Path tmp) throws IOException {
        Path config = config(tmp);
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        CliCapture.Run a = cli("sweep", "--config", config.toString(), "--out", one.toString(), "--parallel-cells", "1");
        assertEquals(0, a.status(), a.err());
        CliCapture.Run b = cli("sweep", "--config", config.toString(), "--out", two.toString(), "--parallel-cells", "2");
        assertEquals(0, b.status(), b.err());
        for (String f : List.of("sweep.csv", "sweep_episodes.csv", "sweep.json", "sweep.md")) {
            assertEquals(MeasuredTimes.without(one.resolve(f)), MeasuredTimes.without(two.resolve(f)), f);
        }
        assertEquals(entries(one), entries(two));
        assertEquals(entries(one.resolve("cells")), entries(two.resolve("cells")));
        for (String row : entries(one.resolve("cells"))) {
            assertEquals(MeasuredTimes.without(one.resolve("cells").resolve(row)), MeasuredTimes.without(two.resolve("cells").resolve(row)),
                    row);
        }
        assertEquals(1, JSON.readTree(one.resolve("provenance.json").toFile()).get("parallel_cells").asInt());
        assertEquals(2, JSON.readTree(two.resolve("provenance.json").toFile()).get("parallel_cells").asInt());
    }

    @Test
    void tinyGridWritesConsistentTablesAndPlots(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("sweep");
        CliCapture.Run r = cli("sweep", "--config", config(tmp).toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("results: " + out.toAbsolutePath()), r.out());
        assertEquals(List.of("cells", "energy_ratio_vs_T.png", "provenance.json", "return_vs_T.png",
                "return_vs_energy.png", "sweep.csv", "sweep.json", "sweep.md", "sweep_episodes.csv"), entries(out));
        assertEquals(5, entries(out.resolve("cells")).size(), "one durable record per finished row");
        assertEquals(List.of("sweep", "tiny.yaml"), entries(tmp), "no staging folder left");

        // sweep.json: full precision, so the relations hold exactly.
        JsonNode s = JSON.readTree(out.resolve("sweep.json").toFile());
        assertEquals("Hopper-v4", s.get("env").asText());
        assertEquals(2, s.get("episodes").asInt());
        JsonNode rows = s.get("rows");
        assertEquals(5, rows.size(), "ANN + 2 T x 2 alpha");
        JsonNode ann = rows.get(0);
        assertEquals("ann", ann.get("controller").asText());
        assertEquals(ANN_MACS, ann.get("macs_per_step").asDouble(), 0.0);
        assertEquals(0, ann.get("sops_per_step").asDouble(), 0.0);
        assertEquals(1.0, ann.get("energy_ratio").get("horowitz45").asDouble(), 1e-12);
        double annMean = ann.get("mean_return").asDouble();
        assertTrue(annMean > 1000, "the CRPI Hopper actor hops: " + annMean);

        int[][] expectedGrid = {{4, 0}, {4, 5}, {8, 0}, {8, 5}}; // (T, 10 * alpha) in grid order
        for (int i = 1; i < 5; i++) {
            JsonNode row = rows.get(i);
            String what = "row " + i + ": " + row;
            assertEquals("snn", row.get("controller").asText(), what);
            assertEquals("max:neuron", row.get("method").asText(), what);
            assertTrue(row.get("timesteps").isInt() && row.get("alpha").isDouble(), "typed grid values; " + what);
            assertEquals(expectedGrid[i - 1][0], row.get("timesteps").asInt(), what);
            assertEquals(expectedGrid[i - 1][1] / 10.0, row.get("alpha").asDouble(), 0.0, what);
            assertEquals("0", row.get("delay").asText(), what);
            assertEquals(0, row.get("delay_t0").asInt(), what);
            double[] returns = doubles(row.get("returns"));
            assertEquals(2, returns.length, what);
            double mean = (returns[0] + returns[1]) / 2;
            assertEquals(mean, row.get("mean_return").asDouble(), 1e-9, what);
            assertEquals(row.get("mean_return").asDouble() / annMean, row.get("apr").asDouble(), 1e-15, what);
            assertEquals(FIRST_LAYER_MACS, row.get("macs_per_step").asDouble(), 0.0, "only layer 1 is analog; " + what);
            double sops = row.get("sops_per_step").asDouble();
            assertTrue(sops > 0, what);
            for (String preset : List.of("horowitz45", "bu2025")) {
                double ratio = row.get("energy_ratio").get(preset).asDouble();
                assertTrue(ratio > 0 && ratio < 1, preset + " energy ratio " + ratio + "; " + what);
            }
            assertEquals((4.6 * FIRST_LAYER_MACS + 0.9 * sops) / (4.6 * ANN_MACS),
                    row.get("energy_ratio").get("horowitz45").asDouble(), 1e-12, what);
            JsonNode rates = row.get("spike_rate_per_layer");
            assertEquals(2, rates.size(), what);
            for (JsonNode rate : rates) {
                assertTrue(rate.asDouble() > 0 && rate.asDouble() < 1, what);
            }
        }
        // Same thresholds, twice the timesteps: more spikes reach layers 2 and 3 per control step.
        for (int a = 1; a <= 2; a++) {
            double sops4 = rows.get(a).get("sops_per_step").asDouble();
            double sops8 = rows.get(a + 2).get("sops_per_step").asDouble();
            assertTrue(sops8 > sops4, "alpha row " + a + ": SOPs/step T=8 " + sops8 + " > T=4 " + sops4);
        }

        // sweep.csv: the version-1 columns first, then the added ones; the same rows as the JSON, in full.
        List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
        assertTrue(lines.get(0).startsWith(String.join(",", COLUMNS) + ","), lines.get(0));
        int width = lines.get(0).split(",").length;
        assertEquals(6, lines.size(), "header + ANN + 4 SNN rows");
        List<String[]> csv = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertEquals(width, f.length, line);
            csv.add(f);
        }
        int controller = COLUMNS.indexOf("controller");
        assertEquals("ann", csv.get(0)[controller]);
        assertEquals("", csv.get(0)[COLUMNS.indexOf("timesteps")]);
        assertEquals("1", csv.get(0)[COLUMNS.indexOf("apr")]);
        for (int i = 0; i < 5; i++) {
            String[] f = csv.get(i);
            JsonNode row = rows.get(i);
            assertEquals(i == 0 ? "ann" : "snn", f[controller]);
            for (String col : List.of("mean_return", "apr", "sops_per_step")) {
                double v = row.get(col).asDouble();
                assertEquals(v, Double.parseDouble(f[COLUMNS.indexOf(col)]), 0.0, col + " of row " + i);
            }
            assertEquals(row.get("energy_ratio").get("bu2025").asDouble(),
                    Double.parseDouble(f[COLUMNS.indexOf("energy_ratio_bu2025")]), 0.0, "row " + i);
            if (i > 0) {
                assertEquals(row.get("timesteps").asText(), f[COLUMNS.indexOf("timesteps")]);
                assertEquals("max:neuron", f[COLUMNS.indexOf("threshold")]);
                assertEquals(2, f[COLUMNS.indexOf("spike_rate_per_layer")].split(";").length);
                assertEquals("if", f[COLUMNS.indexOf("neuron")]);
                assertEquals("none", f[COLUMNS.indexOf("calibration")]);
            } else {
                assertEquals("", f[COLUMNS.indexOf("neuron")]);
            }
            // Time in act() per control step of the closed loop: measured, so only its sign is known.
            double act = Double.parseDouble(f[COLUMNS.indexOf("act_us_per_step")]);
            assertTrue(act > 0, "act_us_per_step of row " + i + ": " + act);
            assertEquals(row.get("act_us_per_step").asDouble(), act, 0.0, "row " + i);
        }

        String md = Files.readString(out.resolve("sweep.md"));
        assertTrue(md.contains("IT sweep, two latencies and two residual factors"), md);
        assertEquals(5, md.lines().filter(l -> l.startsWith("| ann ") || l.startsWith("| snn ")).count(), md);

        assertPng(out.resolve("return_vs_T.png"));
        assertPng(out.resolve("energy_ratio_vs_T.png"));
        assertPng(out.resolve("return_vs_energy.png"));
        assertTidyEpisodesReadByPandas(out, rows);

        JsonNode p = JSON.readTree(out.resolve("provenance.json").toFile());
        assertEquals(2000, p.get("config").get("calibration_steps").asInt());
        JsonNode grid = p.get("config").get("grid");
        assertEquals(4, grid.size(), "the grid is in the provenance: " + grid);
        for (int i = 0; i < 4; i++) {
            assertEquals(rows.get(i + 1).get("timesteps").asText(), grid.get(i).get("timesteps").asText());
            assertEquals(rows.get(i + 1).get("alpha").asText(), grid.get(i).get("alpha").asText());
        }
        assertEquals("Hopper-v4", p.get("config").get("env").asText());
        assertEquals(crpi("TD3_Hopper-v4_actor").toString(), p.get("policy_file").asText());
    }

    /**
     * sweep_episodes.csv as a researcher reads it: pandas (in the project's venv) loads it with
     * typed columns, one row per cell and episode, and its per-cell means are sweep.json's.
     */
    private static void assertTidyEpisodesReadByPandas(Path out, JsonNode rows) throws IOException {
        String script = """
                import json, sys
                import pandas as pd
                df = pd.read_csv(sys.argv[1])
                means = df.groupby("cell")["return"].mean()
                print(json.dumps({
                    "rows": len(df),
                    "dtypes": {c: str(t) for c, t in df.dtypes.items()},
                    "means": [float(means[c]) for c in sorted(means.index)],
                    "episodes_per_cell": sorted(set(df.groupby("cell").size().tolist())),
                    "timesteps": sorted(df["timesteps"].dropna().astype(int).unique().tolist()),
                    "controllers": sorted(df["controller"].unique().tolist()),
                }))
                """;
        Process p = new ProcessBuilder(System.getProperty("spikerl.python", "python3"), "-c", script,
                out.resolve("sweep_episodes.csv").toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        try {
            assertEquals(0, p.waitFor(), text);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        JsonNode r = JSON.readTree(text);
        assertEquals(5 * 2, r.get("rows").asInt(), "5 cells x 2 episodes: " + r);
        assertEquals("[2]", r.get("episodes_per_cell").toString());
        assertEquals("[4,8]", r.get("timesteps").toString());
        assertEquals("[\"ann\",\"snn\"]", r.get("controllers").toString());
        JsonNode types = r.get("dtypes");
        for (String col : List.of("return", "wall_s")) {
            assertEquals("float64", types.get(col).asText(), col + ": " + types);
        }
        for (String col : List.of("cell", "seed", "length", "sops", "spikes")) {
            assertEquals("int64", types.get(col).asText(), col + ": " + types);
        }
        for (String col : List.of("terminated", "truncated")) {
            assertEquals("bool", types.get(col).asText(), col + ": " + types);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(rows.get(i).get("mean_return").asDouble(), r.get("means").get(i).asDouble(),
                    1e-9 * Math.abs(rows.get(i).get("mean_return").asDouble()), "cell " + i);
        }
    }

    @Test
    void badConfigExitsWithOneLineAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), """
                description: typo in the grid
                env: Hopper-v4
                policy: ../shared/policies/crpi/TD3_Hopper-v4_actor
                grid:
                  thresholds: [max]
                """);
        Path out = tmp.resolve("out");
        String line = cli("sweep", "--config", bad.toString(), "--out", out.toString()).refusal();
        assertTrue(line.startsWith("spikerl: error: config " + bad + " (line 5): unknown field 'grid.thresholds';"
                + " expected one of ["), line);
        assertTrue(line.contains("threshold,") || line.contains("threshold]"), line);
        assertEquals(List.of("bad.yaml"), entries(tmp), "no results folder");

        Path missing = tmp.resolve("none.yaml");
        assertEquals("spikerl: error: config " + missing + " does not exist",
                cli("sweep", "--config", missing.toString()).refusal());
    }
}
