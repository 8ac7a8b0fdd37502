package org.spikerl.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.actor.AnnController;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.testing.FiveStepBackend;
import org.spikerl.testing.FiveStepEnv;
import org.spikerl.testing.TinyActor;

/** A whole sweep without Python: the five-step fake behind the backend seam. */
class SweepFakeBackendTest {
    @TempDir
    Path dir;

    @Test
    void sweepRunsTheGridOnTheBackendAndClosesIt() throws Exception {
        Path actor = TinyActor.write(dir);
        Path config = Files.writeString(dir.resolve("sweep.yaml"), """
                description: a sweep on the five-step fake
                env: fake-v0
                policy: %s
                episodes: 6
                seed: 0
                num_envs: 4
                calibration_steps: 40
                grid:
                  timesteps: [2, 4]
                """.formatted(actor));
        SweepConfig c = SweepConfig.load(config, dir);
        FiveStepBackend backend = new FiveStepBackend();
        Path out = dir.resolve("out");
        Path written = Sweep.run(c, config, out, List.of("sweep"), new PrintWriter(new StringWriter()), () -> backend);

        assertEquals(out, written);
        assertTrue(backend.closed, "the backend is closed at the end");
        assertEquals(1, backend.opened.size(), "one vector env for the ANN, the calibration and every cell");
        assertEquals(4, backend.opened.get(0).size);

        JsonNode sweep = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        JsonNode rows = sweep.get("rows");
        assertEquals(3, rows.size(), "the ANN and two grid cells");
        // The ANN row is the episode loop's own result for the same actor, env and seeds.
        FiveStepEnv env = new FiveStepEnv(1);
        EpisodeRunner.Result ann = EpisodeRunner.run(env, new AnnController(ActorLoader.load(actor,
                ActorLoader.Options.forEnv(env.spec()))), 6, 0, EpisodeRunner.Listener.NONE);
        assertEquals(ann.episodes().stream().mapToDouble(EpisodeRunner.Episode::ret).average().orElseThrow(),
                rows.get(0).get("mean_return").asDouble(), 1e-12);
        // The tidy file: one line per cell and episode after the header.
        assertEquals(1 + 3 * 6, Files.readAllLines(out.resolve("sweep_episodes.csv")).size());
        JsonNode provenance = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
        assertTrue(provenance.toString().contains("\"fake\":\"5\""), "the backend's versions in provenance: " + provenance);
    }

    @Test
    void aConfigsNormalizationFileIsAppliedToEveryRowAndRecordedWithItsHash() throws Exception {
        Path actor = TinyActor.write(dir);
        Files.createDirectories(dir.resolve("cfg"));
        Path stats = Files.writeString(dir.resolve("stats.json"), "{\"obs_mean\": [0.5, -0.5], \"obs_var\": [4.0, 0.25],"
                + " \"epsilon\": 1e-8, \"clip_obs\": 10}");
        Path config = Files.writeString(dir.resolve("cfg/sweep.yaml"), """
                description: a sweep with observation statistics
                env: fake-v0
                policy: %s
                normalization: ../stats.json
                episodes: 4
                seed: 0
                num_envs: 2
                calibration_steps: 40
                grid:
                  timesteps: [4]
                """.formatted(actor));
        SweepConfig c = SweepConfig.load(config, dir);
        Path out = dir.resolve("out");
        Sweep.run(c, config, out, List.of("sweep"), new PrintWriter(new StringWriter()), FiveStepBackend::new);

        JsonNode provenance = new ObjectMapper().readTree(out.resolve("provenance.json").toFile());
        JsonNode n = provenance.get("normalization");
        assertEquals("json", n.get("kind").asText(), provenance.toString());
        assertEquals(stats.toString(), n.get("file").asText());
        assertEquals(org.spikerl.actor.io.FileDigest.sha256(stats), n.get("sha256").asText());
        assertEquals(stats.toString(), provenance.get("config").get("normalization").asText());
        // The ANN row ran the normalised actor: the loop's result for it, not the bare actor's.
        FiveStepEnv env = new FiveStepEnv(1);
        ActorLoader.Options opts = ActorLoader.Options.forEnv(env.spec());
        double normalised = EpisodeRunner.run(env, new AnnController(ActorLoader.load(actor, opts.withNormalization(stats))),
                4, 0, EpisodeRunner.Listener.NONE).episodes().stream().mapToDouble(EpisodeRunner.Episode::ret).average()
                .orElseThrow();
        double bare = EpisodeRunner.run(env, new AnnController(ActorLoader.load(actor, opts)), 4, 0,
                EpisodeRunner.Listener.NONE).episodes().stream().mapToDouble(EpisodeRunner.Episode::ret).average()
                .orElseThrow();
        assertTrue(normalised != bare, "the statistics change the actions: " + normalised);
        JsonNode rows = new ObjectMapper().readTree(out.resolve("sweep.json").toFile()).get("rows");
        assertEquals(normalised, rows.get(0).get("mean_return").asDouble(), 1e-12);
    }
}
