package org.spikerl.actor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.spikerl.actor.io.Fixtures.assertClose;
import static org.spikerl.actor.io.Fixtures.doubles;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;
import org.spikerl.actor.ObservationNorm;

/**
 * The RL Zoo's agents in {@code ../shared/policies/zoo}, loaded as downloaded, against the outputs
 * of SB3's own {@code predict} ({@code envs/make_fixtures.py}); the VecNormalize pickle read in
 * Java against the statistics SB3 unpickles; the fixture zoo folder and its statistics pickled
 * with protocol 5.
 */
class ZooActorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"zoo_sac_HalfCheetah-v3, sb3-sac, false", "zoo_tqc_Walker2d-v3, sb3-sac, false",
            "zoo_ppo_Hopper-v3, sb3-ppo, true"})
    void zooAgentsMatchSb3Predict(String name, String layout, boolean normalised) {
        JsonNode ref = Fixtures.reference(name);
        Path zip = Fixtures.shared(ref.get("actor").asText());
        assertEquals(ref.get("sha256").asText(), FileDigest.sha256(zip));
        Actor actor = ActorLoader.load(zip, ActorLoader.Options.defaults());
        assertEquals("sb3-zip (" + layout + ") " + zip.toAbsolutePath().normalize()
                + (normalised ? " + obs norm " + zip.resolveSibling(zip.getFileName().toString().replace(".zip", ""))
                        .resolve("vecnormalize.pkl").toAbsolutePath().normalize() : ""), actor.source());
        if (normalised) {
            JsonNode vn = ref.get("vecnormalize");
            ObservationNorm n = actor.norm();
            assertNotNull(n, "statistics read from the pickle beside the zip");
            // Exactly SB3's float64 values: the pickle is decoded, not recomputed.
            assertArrayEquals(doubles(vn.get("obs_mean")), n.mean(), 0.0);
            assertArrayEquals(doubles(vn.get("obs_var")), n.var(), 0.0);
            assertEquals(vn.get("epsilon").asDouble(), n.eps(), 0.0);
            assertEquals(vn.get("clip_obs").asDouble(), n.clip(), 0.0);
            assertEquals("vecnormalize-pickle", n.origin().kind());
            assertEquals(vn.get("sha256").asText(), n.origin().sha256());
        } else {
            assertNull(actor.norm());
        }
        Forward f = new Forward(actor);
        double[] action = new double[actor.actionSize()];
        JsonNode obs = ref.get("observations");
        for (int k = 0; k < obs.size(); k++) {
            f.act(doubles(obs.get(k)), action);
            assertClose(ref.get("y").get(k), f.output(), name + " y of observation " + k);
            assertClose(ref.get("action").get(k), action, name + " action of observation " + k);
        }
    }

    @Test
    void protocol5PickleGivesTheSameStatistics(@TempDir Path tmp) throws IOException {
        // The zip alone, away from its zoo folder, with the statistics pickled as Python 3.14 pickles by default.
        Path zip = tmp.resolve("TinyBox-v0.zip");
        Files.copy(Fixtures.fixture("zoo/ppo/TinyBox-v0_1/TinyBox-v0.zip"), zip);
        assertNull(ActorLoader.load(zip, ActorLoader.Options.defaults()).norm());
        Path pkl = Fixtures.fixture("vecnormalize_protocol5.pkl");
        Actor actor = ActorLoader.load(zip, ActorLoader.Options.defaults().withNormalization(pkl));
        assertEquals("--normalization", actor.norm().origin().how());
        ObservationNorm zoo = ActorLoader.readNormalization(Fixtures.fixture("zoo/ppo/TinyBox-v0_1/TinyBox-v0/vecnormalize.pkl"));
        assertArrayEquals(zoo.mean(), actor.norm().mean(), 0.0);
        assertArrayEquals(zoo.var(), actor.norm().var(), 0.0);
        assertEquals(3.0, actor.norm().clip());
        assertEquals(1e-6, actor.norm().eps());
        ActorLoaderTest.assertMatchesReference(actor, Fixtures.reference("zoo_ppo"));
    }

    @Test
    void explicitNormalizationWinsOverTheZooFolder() {
        Path zip = Fixtures.fixture("zoo/ppo/TinyBox-v0_1/TinyBox-v0.zip");
        Actor found = ActorLoader.load(zip, ActorLoader.Options.defaults());
        assertEquals("beside the zip (RL Zoo layout)", found.norm().origin().how());
        Actor given = ActorLoader.load(zip, ActorLoader.Options.defaults()
                .withNormalization(Fixtures.fixture("vecnormalize_protocol5.pkl")));
        assertEquals("--normalization", given.norm().origin().how());
    }
}
