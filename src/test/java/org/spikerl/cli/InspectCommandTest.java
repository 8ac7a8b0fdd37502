package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.actor.io.FileDigest;
import org.spikerl.actor.io.Fixtures;

/** {@code spikerl inspect} says what the importer makes of a file, without Python. */
class InspectCommandTest {

    /** The printed rows as key -> value. */
    private static Map<String, String> rows(CliCapture.Run run) {
        assertEquals(0, run.status(), run.err());
        return run.outLines().stream().collect(Collectors.toMap(l -> l.substring(0, 14).strip(),
                l -> l.substring(15), (a, b) -> a + "\n" + b));
    }

    @Test
    void cleanRlCheckpoint() {
        Path f = Fixtures.fixture("cleanrl_td3.cleanrl_model");
        Map<String, String> r = rows(CliCapture.cli("inspect", "--policy", f.toString()));
        assertEquals(FileDigest.sha256(f), r.get("sha256"));
        assertEquals("torch-state-dict (a tuple of 3 state dicts (a CleanRL checkpoint); the actor is the first,"
                + " the other 2 (critics) are ignored)", r.get("format"));
        assertEquals("cleanrl-td3", r.get("layout"));
        assertEquals("5-8-8-2 (3 dense layers, 16 hidden neurons, 120 MACs per action)", r.get("layers"));
        assertEquals("tanh(y) * (high - low) / 2 + (high + low) / 2; bounds stored: low [-1.0, -0.5] high [1.0, 2.0]",
                r.get("head"));
        assertEquals("yes", r.get("convertible"));
    }

    @Test
    void crpiSacNamesWhatItIgnores() {
        Map<String, String> r = rows(CliCapture.cli("inspect", "--policy",
                Fixtures.fixture("statedict_crpi_sac.pt").toString()));
        assertEquals("crpi-sac", r.get("layout"));
        assertEquals("fc_std (the Gaussian's spread)", r.get("ignored"));
        assertTrue(r.get("head").endsWith("bounds not stored: the environment's are used"), r.get("head"));
    }

    @Test
    void zooFolderStatistics() {
        Path zip = Fixtures.fixture("zoo/ppo/TinyBox-v0_1/TinyBox-v0.zip");
        Path pkl = zip.resolveSibling("TinyBox-v0").resolve("vecnormalize.pkl").toAbsolutePath().normalize();
        Map<String, String> r = rows(CliCapture.cli("inspect", "--policy", zip.toString()));
        assertEquals("clip((o - mean) / sqrt(var + 1.00e-06), -3, 3) over 5 entries; vecnormalize-pickle " + pkl
                + " (beside the zip (RL Zoo layout)), sha256 " + FileDigest.sha256(pkl), r.get("normalisation"));
        assertEquals("clip(y, low, high); bounds stored: low [-1.0, -0.5] high [1.0, 2.0]", r.get("head"));
    }

    @Test
    void refusedActivationIsShownWithTheFix() {
        Map<String, String> r = rows(CliCapture.cli("inspect", "--policy",
                Fixtures.fixture("sb3_ppo_tanh.zip").toString()));
        assertEquals("Tanh (the default of sb3-ppo)", r.get("activation"));
        assertTrue(r.get("convertible").startsWith("no: "), r.get("convertible"));
        assertTrue(r.get("convertible").contains("policy_kwargs=dict(activation_fn=torch.nn.ReLU)"), r.get("convertible"));
    }

    @Test
    void statisticsFileIsDescribed() {
        Map<String, String> r = rows(CliCapture.cli("inspect", "--policy",
                Fixtures.fixture("vecnormalize_protocol5.pkl").toString()));
        assertTrue(r.get("content").startsWith("observation statistics (vecnormalize-pickle), not an actor"),
                r.get("content"));
    }

    @Test
    void notAnActorIsOneLine(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("notes.txt");
        Files.writeString(f, "hello");
        String line = CliCapture.cli("inspect", "--policy", f.toString()).refusal();
        assertTrue(line.startsWith("spikerl: error: " + f + ": not an actor file"), line);
    }
}
