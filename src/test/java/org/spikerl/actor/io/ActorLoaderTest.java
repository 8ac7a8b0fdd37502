package org.spikerl.actor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spikerl.actor.io.Fixtures.assertClose;
import static org.spikerl.actor.io.Fixtures.doubles;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.Forward;

/** Every format loads to the layers, head and normalisation PyTorch used, and computes the same outputs. */
class ActorLoaderTest {

    /** Loads a fixture with the options its reference file records. */
    static Actor loadWithReferenceOptions(Path file, JsonNode ref) {
        JsonNode o = ref.path("options");
        ActorLoader.Options opts = ActorLoader.Options.defaults();
        if (o.has("action_low")) {
            opts = opts.withActionBounds(doubles(o.get("action_low")), doubles(o.get("action_high")));
        }
        return ActorLoader.load(file, opts);
    }

    /** Layers as [[in, out], ...], head type and bounds, and forward outputs against PyTorch. */
    static void assertMatchesReference(Actor actor, JsonNode ref) {
        JsonNode layers = ref.get("layers");
        assertEquals(layers.size(), actor.layers().size(), "number of layers");
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = actor.layers().get(l);
            assertEquals(layers.get(l).get(0).asInt(), d.in(), "layer " + (l + 1) + " inputs");
            assertEquals(layers.get(l).get(1).asInt(), d.out(), "layer " + (l + 1) + " outputs");
        }
        JsonNode head = ref.get("head");
        double[] low = doubles(head.get("low"));
        double[] high = doubles(head.get("high"));
        if (head.get("type").asText().equals("tanh")) {
            ActionHead.Tanh t = assertInstanceOf(ActionHead.Tanh.class, actor.head());
            for (int i = 0; i < low.length; i++) {
                assertEquals((high[i] - low[i]) / 2, t.scale()[i], 1e-12, "tanh scale " + i);
                assertEquals((high[i] + low[i]) / 2, t.bias()[i], 1e-12, "tanh bias " + i);
            }
        } else {
            ActionHead.Clip c = assertInstanceOf(ActionHead.Clip.class, actor.head());
            assertArrayEquals(low, c.low(), 1e-12);
            assertArrayEquals(high, c.high(), 1e-12);
        }
        Forward f = new Forward(actor);
        double[] action = new double[actor.actionSize()];
        JsonNode obs = ref.get("observations");
        for (int k = 0; k < obs.size(); k++) {
            f.act(doubles(obs.get(k)), action);
            assertClose(ref.get("y").get(k), f.output(), "y of observation " + k);
            assertClose(ref.get("action").get(k), action, "action of observation " + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "statedict_crpi_style, statedict_crpi_style.pt, torch-state-dict, crpi-td3, false",
        "statedict_crpi_sac, statedict_crpi_sac.pt, torch-state-dict, crpi-sac, false",
        "cleanrl_td3, cleanrl_td3.cleanrl_model, torch-state-dict, cleanrl-td3, false",
        "cleanrl_ddpg, cleanrl_ddpg.cleanrl_model, torch-state-dict, cleanrl-td3, false",
        "cleanrl_sac_actor, cleanrl_sac_actor.pt, torch-state-dict, cleanrl-sac, false",
        "statedict_sequential_shared, statedict_sequential_shared.pt, torch-state-dict, sequential, false",
        "statedict_float64, statedict_float64.pt, torch-state-dict, crpi-td3, false",
        "statedict_float16, statedict_float16.pt, torch-state-dict, crpi-td3, false",
        "sb3_td3, sb3_td3.zip, sb3-zip, sb3-td3, false",
        "sb3_ddpg, sb3_ddpg.zip, sb3-zip, sb3-td3, false",
        "sb3_sac, sb3_sac.zip, sb3-zip, sb3-sac, false",
        "sb3_tqc, sb3_tqc.zip, sb3-zip, sb3-sac, false",
        "sb3_ppo_relu, sb3_ppo_relu.zip, sb3-zip, sb3-ppo, false",
        "sb3_a2c_relu, sb3_a2c_relu.zip, sb3-zip, sb3-ppo, false",
        "sb3_ppo_vecnorm, sb3_ppo_vecnorm.zip, sb3-zip, sb3-ppo, true",
        "zoo_ppo, zoo/ppo/TinyBox-v0_1/TinyBox-v0.zip, sb3-zip, sb3-ppo, true",
        "torchscript_mlp, torchscript_mlp.pt, torchscript, sequential, false",
        "safetensors_actor, safetensors_actor.safetensors, safetensors, sidecar, true",
    })
    void fixtureLoadsAndMatchesPyTorch(String name, String file, String format, String layout, boolean normalised) {
        JsonNode ref = Fixtures.reference(name);
        Path path = Fixtures.fixture(file);
        assertEquals(format, ActorLoader.detectFormat(path));
        Actor actor = loadWithReferenceOptions(path, ref);
        assertTrue(actor.source().startsWith(format + " (" + layout + ") "), actor.source());
        if (normalised) {
            assertNotNull(actor.norm(), "observation normalisation");
        } else {
            assertNull(actor.norm(), "observation normalisation");
        }
        assertMatchesReference(actor, ref);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Hopper-v4", "Walker2d-v4"})
    void crpiActorsMatchPyTorch(String task) {
        JsonNode ref = Fixtures.reference("crpi_TD3_" + task);
        Path path = Fixtures.crpiActor("TD3_" + task + "_actor");
        Actor actor = loadWithReferenceOptions(path, ref);
        assertEquals("torch-state-dict", ActorLoader.detectFormat(path));
        assertMatchesReference(actor, ref);
    }

    @Test
    void formatIsToldByContentNotByName(@TempDir Path tmp) throws IOException {
        Path misnamed = tmp.resolve("actor.safetensors");
        Files.copy(Fixtures.fixture("sb3_td3.zip"), misnamed);
        assertEquals("sb3-zip", ActorLoader.detectFormat(misnamed));
        assertMatchesReference(ActorLoader.load(misnamed, ActorLoader.Options.defaults()), Fixtures.reference("sb3_td3"));

        Path noExtension = tmp.resolve("policy");
        Files.copy(Fixtures.fixture("torchscript_mlp.pt"), noExtension);
        JsonNode ref = Fixtures.reference("torchscript_mlp");
        assertMatchesReference(loadWithReferenceOptions(noExtension, ref), ref);
    }

    @Test
    void explicitNormSidecarIsUsed(@TempDir Path tmp) throws IOException {
        // The zip alone, away from its sidecar, has no normalisation; pointing at the sidecar restores it.
        Path zip = tmp.resolve("model.zip");
        Files.copy(Fixtures.fixture("sb3_ppo_vecnorm.zip"), zip);
        assertNull(ActorLoader.load(zip, ActorLoader.Options.defaults()).norm());
        Actor actor = ActorLoader.load(zip, ActorLoader.Options.defaults()
                .withNormalization(Fixtures.fixture("sb3_ppo_vecnorm.vecnormalize.json")));
        assertEquals(2.5, actor.norm().clip());
        assertEquals(1e-8, actor.norm().eps());
        assertMatchesReference(actor, Fixtures.reference("sb3_ppo_vecnorm"));
    }

    @Test
    void sb3BoundsAgreeingWithTheEnvAreAccepted() {
        JsonNode head = Fixtures.reference("sb3_sac").get("head");
        Actor actor = ActorLoader.load(Fixtures.fixture("sb3_sac.zip"), ActorLoader.Options.defaults()
                .withActionBounds(doubles(head.get("low")), doubles(head.get("high"))));
        assertMatchesReference(actor, Fixtures.reference("sb3_sac"));
    }

    @Test
    void stateDictKeepsFileOrderAndIgnoresBuffers() {
        Map<String, Tensor> t = TorchPickle.readStateDict(ZipArchive.open(Fixtures.fixture("statedict_crpi_style.pt")));
        assertEquals(java.util.List.of("l1.weight", "l1.bias", "l2.weight", "l2.bias", "l3.weight", "l3.bias",
                "neuron1.thre", "neuron1.act_buffer", "neuron2.thre", "neuron2.act_buffer"), java.util.List.copyOf(t.keySet()));
        assertArrayEquals(new int[] {8, 5}, t.get("l1.weight").shape());
        assertEquals(3, ActorLoader.load(Fixtures.fixture("statedict_crpi_style.pt"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1}, new double[] {1, 1})).layers().size());
    }
}
