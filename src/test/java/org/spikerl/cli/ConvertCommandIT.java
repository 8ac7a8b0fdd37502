package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spikerl.cli.CliCapture.cli;
import static org.spikerl.cli.CliCapture.crpi;
import static org.spikerl.cli.CliCapture.entries;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Delay;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

/**
 * {@code spikerl convert} and {@code eval --snn} through the real bridge on the CRPI Hopper-v4
 * actor: with {@code --no-tune} the converted file holds the documented fixed defaults and evaluates
 * exactly like converting on the fly with the same calibration; the SNN summary's fields (SPEC
 * section 7); without any conversion option both tune (small budgets here) and say so; refusals.
 *
 * <p>The two untuned runs that cost calibration rollouts (convert, and eval --snn) run once for the class.
 */
class ConvertCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOPPER = crpi("TD3_Hopper-v4_actor");
    /** Hopper actor 11-256-256-3. */
    private static final long ANN_MACS = 11 * 256 + 256 * 256 + 256 * 3;
    private static final long FIRST_LAYER_MACS = 11 * 256;

    @TempDir
    static Path shared;
    static Path controllerFile;
    static CliCapture.Run convertRun;
    static JsonNode snnSummary;

    @BeforeAll
    static void convertAndEvalOnTheFly() throws IOException {
        controllerFile = shared.resolve("hopper.ctrl");
        convertRun = cli("convert", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--out",
                controllerFile.toString(), "--calibration-steps", "2000", "--timesteps", "8", "--no-tune");
        Path out = shared.resolve("snn");
        CliCapture.Run r = cli("eval", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--snn",
                "--calibration-steps", "2000", "--episodes", "2", "--no-tune", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "not tuned: no progress lines");
        snnSummary = JSON.readTree(out.resolve("summary.json").toFile());
        snnOut = out;
    }

    static Path snnOut;

    /**
     * eval --snn runs the ANN of the same actor on the same seeds first: its returns are a plain
     * ANN eval's, and the APR (with its paired interval) and the energy ratio sit in summary.json.
     */
    @Test
    void evalSnnComparesWithTheAnnOnTheSameSeeds(@TempDir Path tmp) throws IOException {
        assertEquals(List.of("ann_episodes.csv", "episodes.csv", "provenance.json", "summary.json"), entries(snnOut));
        JsonNode ann = snnSummary.get("ann");
        CliCapture.Run plain = cli("eval", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--episodes", "2",
                "--out", tmp.resolve("ann").toString());
        assertEquals(0, plain.status(), plain.err());
        JsonNode annAlone = JSON.readTree(tmp.resolve("ann").resolve("summary.json").toFile());
        assertArrayEquals(doubles(annAlone.get("returns")), doubles(ann.get("returns")), 0.0);
        assertEquals(snnSummary.get("mean_return").asDouble() / ann.get("mean_return").asDouble(),
                snnSummary.get("apr").asDouble(), 0.0);
        JsonNode ci = snnSummary.get("apr_ci95");
        assertTrue(ci.get("low").asDouble() <= snnSummary.get("apr").asDouble()
                && snnSummary.get("apr").asDouble() <= ci.get("high").asDouble(), ci.toString());
        assertTrue(snnSummary.get("energy_ratio").get("horowitz45").asDouble() > 0);
        assertEquals(2, snnSummary.get("format_version").asInt());
    }

    private static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }

    @Test
    void convertWritesALoadableFileWithTheDefaults() {
        assertEquals(0, convertRun.status(), convertRun.err());
        assertEquals("", convertRun.err());
        List<String> lines = convertRun.outLines();
        assertEquals(2, lines.size(), convertRun.out());
        assertEquals("wrote " + controllerFile, lines.get(0));
        assertTrue(lines.get(1).matches("wall time \\d+\\.\\d\\d s: calibration rollouts \\d+\\.\\d\\d s, conversion "
                + "computation \\d+\\.\\d{3} s, file \\d+\\.\\d{3} s, start-up \\(bridge, actor\\) \\d+\\.\\d\\d s"),
                lines.get(1));

        ControllerFile.Loaded loaded = ControllerFile.read(controllerFile);
        SpikingActor net = loaded.network();
        ConversionConfig d = ConversionConfig.DEFAULTS;
        assertEquals(8, net.timesteps());
        assertEquals(((Delay.Fixed) d.delay()).t0(), net.delay());
        assertEquals(1, net.delay(), "documented default delay");
        assertEquals(0.5f, net.alpha(), "documented default alpha");
        assertEquals((float) d.alpha(), net.alpha());
        assertEquals((float) d.v0Fraction(), net.v0Fraction());
        assertEquals(2, net.hiddenLayers());
        assertEquals(256, net.thresholds(0).length);
        assertEquals(256, net.thresholds(1).length);
        assertFalse(allEqual(net.thresholds(0)), "per-neuron thresholds (max:neuron) differ between neurons");
        assertEquals(ANN_MACS, net.actor().macs());

        Map<String, Object> p = loaded.provenance();
        assertEquals(d.describe(), p.get("conversion"));
        Map<?, ?> calibration = (Map<?, ?>) p.get("calibration");
        assertEquals("Hopper-v4", calibration.get("env"));
        assertEquals(2000, ((Number) calibration.get("steps")).intValue());
        assertEquals(100_000L, ((Number) calibration.get("seed")).longValue());
        assertEquals(HOPPER.toString(), p.get("actor_file"));
    }

    /** Lines on stderr: at least one, every one a tuner progress line, the last one its choice. */
    private static void assertOnlyTuneLines(CliCapture.Run r) {
        List<String> err = r.errLines();
        assertFalse(err.isEmpty(), "the tuner reports progress");
        assertTrue(err.stream().allMatch(l -> l.startsWith("tune: ")), r.err());
        assertTrue(err.get(err.size() - 1).startsWith("tune: chose "), r.err());
    }

    /** No conversion option: convert tunes (a tuner option such as --tune-budget does not fix the conversion). */
    @Test
    void convertTunesByDefault(@TempDir Path tmp) {
        Path file = tmp.resolve("tuned.ctrl");
        CliCapture.Run r = cli("convert", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--out", file.toString(),
                "--calibration-steps", "2000", "--timesteps", "4", "--tune-budget", "10");
        assertEquals(0, r.status(), r.err());
        assertOnlyTuneLines(r);
        assertEquals("wrote " + file, r.outLines().get(0));
        ControllerFile.Loaded loaded = ControllerFile.read(file);
        Map<String, Object> p = loaded.provenance();
        Map<?, ?> tuning = (Map<?, ?>) p.get("tuning");
        assertEquals(p.get("conversion"), tuning.get("chosen"));
        assertEquals(loaded.network().neuron().spec(), ((Map<?, ?>) tuning.get("chosen")).get("neuron"));
        assertTrue(((Number) tuning.get("cost_episodes")).doubleValue() <= 10, tuning.toString());
        assertEquals(Boolean.TRUE, ((Map<?, ?>) ((Map<?, ?>) p.get("run")).get("config")).get("tuned"));
    }

    /** No conversion option: eval --snn tunes, and its summary says so and holds the search. */
    @Test
    void evalSnnTunesByDefault(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("tuned");
        CliCapture.Run r = cli("eval", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--snn",
                "--calibration-steps", "2000", "--timesteps", "4", "--tune-budget", "10", "--episodes", "1",
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertOnlyTuneLines(r);
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("snn", s.get("controller").asText());
        assertTrue(s.get("tuned").asBoolean(), s.toString());
        JsonNode tuning = s.get("tuning");
        JsonNode chosen = tuning.get("chosen");
        assertEquals(chosen.get("neuron").asText(), s.get("neuron").asText());
        assertEquals(chosen.get("method").asText(), s.get("threshold").asText());
        assertEquals(chosen.get("delay").asText(), s.get("delay_setting").asText());
        assertEquals(chosen.get("delay").asInt(), s.get("delay").asInt());
        assertEquals(Double.parseDouble(chosen.get("alpha").asText()), s.get("alpha").asDouble(), 1e-7);
        assertEquals(chosen.get("calibration").asText(), s.get("bias_calibration").asText());
        assertEquals(4, s.get("timesteps").asInt());
        assertTrue(tuning.get("cost_episodes").asDouble() <= 10, tuning.toString());
        assertEquals(1000, tuning.get("tuning_seed").asLong());
        assertTrue(tuning.get("candidates").size() > 100, "the default search");
        assertEquals(1, s.get("returns").size());
    }

    private static boolean allEqual(float[] xs) {
        for (float x : xs) {
            if (x != xs[0]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void convertedFileEvaluatesExactlyLikeEvalSnnWithTheSameCalibration(@TempDir Path tmp) throws IOException {
        assertEquals(0, convertRun.status(), convertRun.err());
        Path out = tmp.resolve("file");
        CliCapture.Run r = cli("eval", "--env", "Hopper-v4", "--policy", controllerFile.toString(), "--episodes", "2",
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode s = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("snn", s.get("controller").asText());
        assertEquals(8, s.get("timesteps").asInt());
        assertEquals(1, s.get("delay").asInt());
        assertEquals(0.5, s.get("alpha").asDouble(), 0.0);
        assertEquals("max:neuron", s.get("threshold").asText());
        assertEquals(ControllerFile.read(controllerFile).sha256(), s.get("controller_file_sha256").asText());
        // convert calibrates on 10 slots and eval --snn on 2: the rollouts do not depend on it, so the
        // networks and the closed loops are the same, bit for bit.
        double[] fromFile = doubles(s.get("returns"));
        assertEquals(2, fromFile.length);
        assertArrayEquals(doubles(snnSummary.get("returns")), fromFile, 0.0);
        assertEquals(snnSummary.get("sops_per_step").asDouble(), s.get("sops_per_step").asDouble(), 0.0);
    }

    @Test
    void evalSnnSummaryHasTheSpikingFields() {
        JsonNode s = snnSummary;
        assertEquals("snn", s.get("controller").asText());
        assertEquals(8, s.get("timesteps").asInt());
        assertEquals("max:neuron", s.get("threshold").asText());
        assertEquals(1, s.get("delay").asInt());
        assertEquals(0.5, s.get("alpha").asDouble(), 0.0);
        assertEquals(2, s.get("returns").size());
        assertEquals((double) FIRST_LAYER_MACS, s.get("macs_per_step").asDouble(), 0.0,
                "only the analog first layer multiplies");
        double sops = s.get("sops_per_step").asDouble();
        assertTrue(sops > 0, "sops_per_step " + sops);
        JsonNode rates = s.get("spike_rate_per_layer");
        assertEquals(2, rates.size(), rates.toString());
        for (JsonNode rate : rates) {
            assertTrue(rate.asDouble() > 0 && rate.asDouble() < 1, rates.toString());
        }
        JsonNode snn = s.get("energy_pj_per_step");
        JsonNode ann = s.get("ann_energy_pj_per_step");
        for (JsonNode m : List.of(snn, ann)) {
            assertEquals(List.of("horowitz45", "bu2025"), iterable(m.fieldNames()));
        }
        // SPEC 7: horowitz45 4.6 pJ/MAC, 0.9 pJ/SOP; bu2025 12.5 pJ/FLOP (2 FLOPs per MAC), 0.077 pJ/SOP.
        assertEquals(4.6 * 69_120, ann.get("horowitz45").asDouble(), 1e-6);
        assertEquals(4.6 * ANN_MACS, ann.get("horowitz45").asDouble(), 1e-6);
        assertEquals(2 * 12.5 * ANN_MACS, ann.get("bu2025").asDouble(), 1e-6);
        assertEquals(4.6 * FIRST_LAYER_MACS + 0.9 * sops, snn.get("horowitz45").asDouble(), 1e-6);
        assertEquals(25.0 * FIRST_LAYER_MACS + 0.077 * sops, snn.get("bu2025").asDouble(), 1e-6);
        assertTrue(snn.get("horowitz45").asDouble() < ann.get("horowitz45").asDouble());
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void convertedFileWithSnnIsRefused(@TempDir Path tmp) throws IOException {
        String line = cli("eval", "--env", "Hopper-v4", "--policy", controllerFile.toString(), "--snn",
                "--episodes", "1", "--out", tmp.resolve("run").toString()).refusal();
        assertTrue(line.contains(controllerFile + " is already a converted controller"), line);
        assertEquals(List.of(), entries(tmp), "no results folder");
    }

    @Test
    void convertForTheWrongEnvWritesNoFile(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("walker.ctrl");
        String line = cli("convert", "--env", "Walker2d-v4", "--policy", HOPPER.toString(), "--out",
                target.toString(), "--calibration-steps", "2000").refusal();
        assertTrue(line.contains(HOPPER.toString()) && line.contains("takes 11 observations and outputs 3 actions")
                && line.contains("Walker2d-v4 gives 17 observations and takes 6 actions"), line);
        assertEquals(List.of(), entries(tmp), "no file, no temporary file");
    }
}
