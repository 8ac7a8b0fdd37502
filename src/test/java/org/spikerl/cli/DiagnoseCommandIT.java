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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spikerl diagnose} through the real bridge on the CRPI Hopper-v4 actor (11-256-256-3): every
 * output file, their shapes and the provenance; and on a converted controller file.
 */
class DiagnoseCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOPPER = crpi("TD3_Hopper-v4_actor");
    private static final List<String> FILES = List.of("action_error.csv", "action_error.png", "diagnosis.md",
            "divergence.csv", "divergence.png", "layers.csv", "provenance.json");
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    void diagnoseWritesEveryFile(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("diag");
        CliCapture.Run r = cli("diagnose", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--neuron", "if",
                "--timesteps", "8", "--calibration-steps", "2000", "--episodes", "1", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("results: " + out.toAbsolutePath()), r.out());
        // A conversion option was given: no tuning, one progress line per episode.
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).matches("diagnose: episode 0 \\(seed 2000\\): parted at step -?\\d+"), r.err());
        assertEquals(FILES, entries(out));
        assertEquals(List.of("diag"), entries(tmp), "no staging folder left");

        List<String> layers = Files.readAllLines(out.resolve("layers.csv"));
        assertEquals("layer,neuron,neurons,mean_abs_error,rmse,mean_signed_error,relative_error,"
                + "events_per_neuron_timestep", layers.get(0));
        assertEquals(3, layers.size(), "one row per hidden layer: " + layers);
        for (int l = 1; l <= 2; l++) {
            String[] f = layers.get(l).split(",");
            assertEquals(8, f.length, layers.get(l));
            assertEquals(Integer.toString(l), f[0]);
            assertEquals("if", f[1]);
            assertEquals("256", f[2]);
            double meanAbs = Double.parseDouble(f[3]);
            double rmse = Double.parseDouble(f[4]);
            double signed = Double.parseDouble(f[5]);
            double events = Double.parseDouble(f[7]);
            assertTrue(meanAbs > 0 && rmse >= meanAbs && Math.abs(signed) <= meanAbs, layers.get(l));
            assertTrue(events > 0 && events <= 1, "at most one spike per neuron and timestep: " + layers.get(l));
        }

        List<String> divergence = Files.readAllLines(out.resolve("divergence.csv"));
        assertEquals("seed,ann_return,ann_length,ann_terminated,snn_return,snn_length,snn_terminated,part_step,max_gap",
                divergence.get(0));
        assertEquals(2, divergence.size(), "one row per episode: " + divergence);
        String[] d = divergence.get(1).split(",");
        assertEquals("2000", d[0]);
        int annLength = Integer.parseInt(d[2]);
        int snnLength = Integer.parseInt(d[5]);
        assertTrue(annLength >= 1 && annLength <= 1000 && snnLength >= 1 && snnLength <= 1000, divergence.get(1));
        int part = Integer.parseInt(d[7]);
        assertTrue(part >= -1 && part < Math.min(annLength, snnLength), divergence.get(1));
        assertTrue(Double.parseDouble(d[8]) >= 0);

        List<String> actions = Files.readAllLines(out.resolve("action_error.csv"));
        assertEquals("step,action_error", actions.get(0));
        assertEquals(1 + 1000, actions.size(), "the first 1000 of 2000 recorded states");
        assertTrue(actions.stream().skip(1).allMatch(l -> Double.parseDouble(l.split(",")[1]) >= 0));

        for (String png : List.of("action_error.png", "divergence.png")) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 4);
            assertArrayEquals(PNG, head, png);
        }
        String md = Files.readString(out.resolve("diagnosis.md"));
        assertTrue(md.startsWith("# Diagnosis: Hopper-v4, TD3_Hopper-v4_actor"), md);
        assertTrue(md.contains("Network: neuron if, T = 8"), md);

        JsonNode p = JSON.readTree(out.resolve("provenance.json").toFile());
        JsonNode config = p.get("config");
        assertEquals("if", config.get("neuron").asText());
        assertEquals(8, config.get("timesteps").asInt());
        assertFalse(config.get("tuned").asBoolean());
        assertFalse(config.has("tuning"));
        assertEquals(1, config.get("episodes").asInt());
        assertEquals(2000, config.get("seed").asLong());
        assertEquals(2000, config.get("calibration_steps").asInt());
        assertEquals("diagnose", p.get("command").get(1).asText());
        assertTrue(p.has("versions") && p.has("policy_sha256"), p.toString());
    }

    /**
     * On a converted controller file the file's network is diagnosed; the calibration rollouts are
     * recorded for the layer view but never tuned (no conversion option is given, which would
     * otherwise turn the tuner on).
     */
    @Test
    void diagnoseAControllerFileWithoutTuning(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("hopper.ctrl");
        CliCapture.Run c = cli("convert", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--out", file.toString(),
                "--no-tune", "--neuron", "mt:2", "--timesteps", "4", "--calibration-steps", "2000");
        assertEquals(0, c.status(), c.err());
        Path out = tmp.resolve("diag");
        CliCapture.Run r = cli("diagnose", "--env", "Hopper-v4", "--policy", file.toString(), "--calibration-steps",
                "2000", "--episodes", "1", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.errLines().stream().noneMatch(l -> l.startsWith("tune: ")), r.err());
        assertEquals(FILES, entries(out));
        List<String> layers = Files.readAllLines(out.resolve("layers.csv"));
        assertEquals(3, layers.size());
        assertTrue(layers.get(1).startsWith("1,mt:2,256,") && layers.get(2).startsWith("2,mt:2,256,"), layers.toString());
        JsonNode config = JSON.readTree(out.resolve("provenance.json").toFile()).get("config");
        assertEquals(4, config.get("timesteps").asInt());
        assertEquals("mt:2", config.get("neuron").asText());
    }
}
