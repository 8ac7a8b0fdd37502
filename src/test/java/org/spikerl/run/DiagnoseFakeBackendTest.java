package org.spikerl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.actor.io.FileDigest;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.testing.FiveStepBackend;
import org.spikerl.testing.FiveStepEnv;
import org.spikerl.testing.TinyActor;

/** {@code diagnose} without Python: a normalisation file is applied to the actor and recorded with its hash. */
class DiagnoseFakeBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private SnnOptions options() {
        return new SnnOptions(ConversionConfig.fromDescription(Map.of("timesteps", "4")), 30,
                SnnOptions.DEFAULT_CALIBRATION_SEED);
    }

    private Path diagnose(Path actor, Path normalization, String name) {
        return Diagnose.run(FiveStepEnv.ID, actor, normalization, options(), 2, 2000, dir.resolve(name),
                List.of("diagnose"), new PrintWriter(new StringWriter()), FiveStepBackend::new);
    }

    @Test
    void theNormalizationFileIsUsedAndRecorded() throws IOException {
        Path actor = TinyActor.write(dir);
        Path stats = Files.writeString(dir.resolve("stats.json"), "{\"obs_mean\": [0.5, -0.5], \"obs_var\": [4.0, 0.25],"
                + " \"epsilon\": 1e-8, \"clip_obs\": 10}");
        Path with = diagnose(actor, stats, "with");
        Path without = diagnose(actor, null, "without");
        JsonNode p = JSON.readTree(with.resolve("provenance.json").toFile());
        JsonNode n = p.get("normalization");
        assertEquals("json", n.get("kind").asText(), p.toString());
        assertEquals(stats.toAbsolutePath().toString(), n.get("file").asText());
        assertEquals(FileDigest.sha256(stats), n.get("sha256").asText());
        assertEquals(stats.toString(), p.get("config").get("normalization").asText());
        JsonNode bare = JSON.readTree(without.resolve("provenance.json").toFile());
        assertTrue(bare.get("normalization").isNull(), bare.toString());
        assertFalse(bare.get("config").has("normalization"));
        // The closed-loop comparison ran the normalised actor: its returns differ from the bare actor's.
        assertNotEquals(Files.readString(without.resolve("divergence.csv")), Files.readString(with.resolve("divergence.csv")));
    }

    @Test
    void aControllerFileWithANormalizationFileIsRefusedBeforeAnythingStarts() throws IOException {
        Path actor = TinyActor.write(dir);
        Path ctrl = Conversion.run(FiveStepEnv.ID, actor, options(), dir.resolve("tiny.ctrl"), List.of("convert"),
                FiveStepBackend::new).file();
        Path stats = Files.writeString(dir.resolve("stats.json"), "{}");
        SpikerlException e = assertThrows(SpikerlException.class, () -> diagnose(ctrl, stats, "out"));
        assertEquals(ctrl + " is a converted controller, which carries its own observation normalisation;"
                + " --normalization applies to actor files", e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
