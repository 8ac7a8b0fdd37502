package org.spikerl.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikerl.actor.Actor;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.actor.io.FileDigest;
import org.spikerl.actor.io.Fixtures;

/** provenance.json says which observation statistics an actor ran with, by file and SHA-256. */
class ProvenanceNormalizationTest {

    @Test
    void statisticsFoundBesideAZooZipAreRecorded() {
        Path zip = Fixtures.fixture("zoo/ppo/TinyBox-v0_1/TinyBox-v0.zip");
        Path pkl = zip.resolveSibling("TinyBox-v0").resolve("vecnormalize.pkl").toAbsolutePath().normalize();
        Actor actor = ActorLoader.load(zip, ActorLoader.Options.defaults());
        Map<String, Object> p = Provenance.of(List.of("spikerl", "eval"), Map.of(), zip, actor, Map.of(), Path.of("."));
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) p.get("normalization");
        assertEquals("vecnormalize-pickle", n.get("kind"));
        assertEquals(pkl.toString(), n.get("file"));
        assertEquals(FileDigest.sha256(pkl), n.get("sha256"));
        assertEquals("beside the zip (RL Zoo layout)", n.get("found"));
        assertEquals(FileDigest.sha256(zip), p.get("policy_sha256"));
    }

    @Test
    void noStatisticsIsNull() {
        Path f = Fixtures.fixture("statedict_crpi_style.pt");
        Actor actor = ActorLoader.load(f, ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1}, new double[] {1, 1}));
        Map<String, Object> p = Provenance.of(List.of("spikerl"), Map.of(), f, actor, Map.of(), Path.of("."));
        assertNull(p.get("normalization"));
    }
}
