package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;

/**
 * The branch-free residual ({@link LayerState#nextStart}) against the ternaries of SPEC 6 and
 * {@code envs/snn_reference.py} where {@code Math.max} and a ternary part: a NaN membrane, and the
 * sign of a zero start potential.
 */
class ResidualEdgeCasesTest {

    /**
     * Neuron 0 gets a NaN input, neuron 1 a normal one (z = 0.75, theta = 1, v0 = 0.5: v = 1.25
     * fires, ends at 0.25; d = 0.25 - 0.5 = -0.25, lo = -1, r = 0.5 * -0.25 = -0.125, v_init =
     * 0.375). The ternary {@code d > lo ? d : lo} takes lo for the NaN d: v_init = v0 + clip(0.5 * lo)
     * with lo = -theta * 0 = -0, r = -0, v_init = 0.5; then the next control step starts from 0.5
     * again (z = -0.25: v = 0.25, below every threshold). Math.max alone would leave v_init NaN for the rest of the episode.
     */
    @Test
    void nanMembraneStartsTheNextStepFromAFinitePotentialInEveryKind() {
        float[] theta = {1f, 1f};
        for (NeuronModel kind : List.of(NeuronModel.IF, NeuronModel.SIGNED, NeuronModel.multiThreshold(2))) {
            float[] v0 = {0.5f, 0.5f};
            NeuronLayer layer = kind.newLayer(theta, v0);
            int[] events = new int[theta.length * layer.levels()];
            layer.resetEpisode();
            layer.beginControlStep();
            layer.step(new float[] {Float.NaN, 0.75f}, events);
            assertTrue(Float.isNaN(layer.membrane()[0]), kind.spec() + ": the NaN input reached the membrane");
            layer.endControlStep(0.5f);
            float[] start = layer.initialPotential();
            assertEquals(Float.floatToIntBits(0.5f), Float.floatToIntBits(start[0]),
                    kind.spec() + ": v_init of the NaN neuron is v0 + clip(alpha * lo), as the ternary gives");
            if (kind.equals(NeuronModel.IF)) {
                assertEquals(0.375f, start[1], 0f, "the other neuron's residual is the usual one");
            }
            layer.beginControlStep();
            layer.step(new float[] {-0.25f, 0f}, events);
            assertEquals(0.25f, layer.membrane()[0], 0f, kind.spec() + ": the next step charges from v0 again");
        }
    }

    /** A v0 fraction of -0 (inside [0, 1] for every range check) gives v0 = +0, never -0. */
    @Test
    void negativeZeroFractionGivesPositiveZeroStartPotentials() {
        Actor actor = SyntheticActors.random(3, 4, 8, 8, 2);
        float[][] theta = {SpikingActor.constant(8, 1f), SpikingActor.constant(8, 0.5f)};
        SpikingActor net = new SpikingActor(actor, theta, 4, 1, 0.5, -0.0);
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(net.v0Fraction()));
        for (int l = 0; l < net.hiddenLayers(); l++) {
            for (float v : net.initialPotentials(l)) {
                assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(v), "layer " + (l + 1));
            }
        }
    }
}
