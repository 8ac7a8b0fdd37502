package org.spikerl.actor.io.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.spikerl.actor.io.Fixtures.assertClose;
import static org.spikerl.actor.io.Fixtures.doubles;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.actor.io.Fixtures;

/** libtorch (through DJL) and the Java forward pass agree on the same Actor, and both agree with PyTorch. */
class DjlForwardTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "crpi_TD3_Hopper-v4, TD3_Hopper-v4_actor",
        "crpi_TD3_Walker2d-v4, TD3_Walker2d-v4_actor",
        "safetensors_actor, safetensors_actor.safetensors", // with observation normalisation
    })
    void libtorchMatchesJavaForward(String reference, String file) {
        JsonNode ref = Fixtures.reference(reference);
        boolean crpi = reference.startsWith("crpi");
        ActorLoader.Options opts = ActorLoader.Options.defaults();
        if (ref.path("options").has("action_low")) {
            opts = opts.withActionBounds(doubles(ref.get("options").get("action_low")),
                    doubles(ref.get("options").get("action_high")));
        }
        Actor actor = ActorLoader.load(crpi ? Fixtures.crpiActor(file) : Fixtures.fixture(file), opts);
        Forward java = new Forward(actor);
        double[] actionJava = new double[actor.actionSize()];
        double[] actionDjl = new double[actor.actionSize()];
        JsonNode obs = ref.get("observations");
        try (DjlForward djl = new DjlForward(actor)) {
            for (int k = 0; k < obs.size(); k++) {
                double[] o = doubles(obs.get(k));
                java.act(o, actionJava);
                djl.act(o, actionDjl);
                float[] yDjl = djl.output();
                assertEquals(actor.actionSize(), yDjl.length);
                for (int i = 0; i < yDjl.length; i++) {
                    assertClose(java.output()[i], yDjl[i], "observation " + k + ": libtorch y[" + i + "] vs Java");
                    assertClose(actionJava[i], actionDjl[i], "observation " + k + ": libtorch action[" + i + "] vs Java");
                }
                assertClose(ref.get("y").get(k), yDjl, "observation " + k + ": libtorch y vs PyTorch");
            }
        }
    }
}
