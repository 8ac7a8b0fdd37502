package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;

/** {@link NeuronPlan}: one neuron model for every hidden layer, or one per layer. */
class NeuronPlanTest {
    private static final NeuronModel MT2 = NeuronModel.multiThreshold(2);
    private static final NeuronModel MT3 = NeuronModel.multiThreshold(3);

    @Test
    void parsesUniformAndPerLayerPlansAndRoundTrips() {
        NeuronPlan u = NeuronPlan.parse("mt:2");
        assertTrue(u.isUniform());
        assertEquals(List.of(MT2), u.layers());
        assertEquals(NeuronPlan.uniform(MT2), u);

        NeuronPlan p = NeuronPlan.parse(" if , MT:3 ");
        assertFalse(p.isUniform());
        assertEquals(List.of(NeuronModel.IF, MT3), p.layers());
        assertEquals("if,mt:3", p.spec());

        for (String s : List.of("if", "signed", "mt:8", "if,mt:3", "mt:2,signed,if", "if,if")) {
            NeuronPlan plan = NeuronPlan.parse(s);
            assertEquals(s, plan.spec());
            assertEquals(plan, NeuronPlan.parse(plan.spec()));
        }
        assertEquals("if", NeuronPlan.IF.spec());
        assertEquals(NeuronPlan.uniform(NeuronModel.IF), NeuronPlan.IF);
    }

    @Test
    void badPartsNameTheModel() {
        assertEquals("neuron \"mt:9\": expected if, signed, mt:N or mt:N@P with N in 2..8 and firing period P in 1..16",
                assertThrows(SpikerlException.class, () -> NeuronPlan.parse("if,mt:9")).getMessage());
        assertEquals("neuron \"\": expected if, signed, mt:N or mt:N@P with N in 2..8 and firing period P in 1..16",
                assertThrows(SpikerlException.class, () -> NeuronPlan.parse("if,")).getMessage());
        assertEquals("neuron \"\": expected if, signed, mt:N or mt:N@P with N in 2..8 and firing period P in 1..16",
                assertThrows(SpikerlException.class, () -> NeuronPlan.parse(null)).getMessage());
        String none = "neuron plan: expected one neuron model, or one per hidden layer";
        assertEquals(none, assertThrows(SpikerlException.class, () -> new NeuronPlan(List.of())).getMessage());
        assertEquals(none, assertThrows(SpikerlException.class, () -> new NeuronPlan(null)).getMessage());
        assertEquals(none, assertThrows(SpikerlException.class,
                () -> new NeuronPlan(Arrays.asList(NeuronModel.IF, null))).getMessage());
    }

    @Test
    void periodIsTheLeastCommonMultipleOfTheLayers() {
        assertEquals(1, NeuronPlan.parse("mt:3,mt:6").period());
        assertEquals(2, NeuronPlan.parse("mt:3@2,mt:6").period());
        assertEquals(2, NeuronPlan.parse("mt:3@2").period());
        assertEquals(6, NeuronPlan.parse("mt:3@2,mt:2@3,if").period());
        assertEquals(4, NeuronPlan.parse("mt:3@4,mt:2@2").period());
    }

    @Test
    void planIsImmutable() {
        List<NeuronModel> given = new ArrayList<>(List.of(NeuronModel.IF, MT2));
        NeuronPlan p = new NeuronPlan(given);
        given.set(1, MT3);
        assertEquals(List.of(NeuronModel.IF, MT2), p.layers());
        assertThrows(UnsupportedOperationException.class, () -> p.layers().add(MT3));
    }

    @Test
    void layerOfAUniformAndOfAPerLayerPlan() {
        NeuronPlan u = NeuronPlan.uniform(MT3);
        for (int l = 0; l < 4; l++) {
            assertEquals(MT3, u.layer(l, 4));
        }
        NeuronPlan p = NeuronPlan.parse("if,mt:2,signed");
        assertEquals(NeuronModel.IF, p.layer(0, 3));
        assertEquals(MT2, p.layer(1, 3));
        assertEquals(NeuronModel.SIGNED, p.layer(2, 3));
        SpikerlException e = assertThrows(SpikerlException.class, () -> p.layer(0, 2));
        assertEquals("neuron plan if,mt:2,signed names 3 hidden layers, but the actor has 2", e.getMessage());
        u.check(1);
        u.check(7);
        p.check(3);
    }

    /** {@code lastLayer(first, last, hidden)}: first everywhere but the last hidden layer; uniform where that is the same. */
    @Test
    void lastLayerVariant() {
        assertEquals(NeuronPlan.parse("if,if,mt:4"), NeuronPlan.lastLayer(NeuronModel.IF, NeuronModel.multiThreshold(4), 3));
        assertEquals(NeuronPlan.parse("mt:2,mt:6"), NeuronPlan.lastLayer(MT2, NeuronModel.multiThreshold(6), 2));
        assertEquals(NeuronPlan.uniform(MT3), NeuronPlan.lastLayer(NeuronModel.IF, MT3, 1), "one hidden layer: the last model");
        assertEquals(NeuronPlan.uniform(MT2), NeuronPlan.lastLayer(MT2, MT2, 3), "same model: uniform");
        assertTrue(NeuronPlan.lastLayer(MT2, MT2, 3).isUniform());
    }

    /** 3-5-4-2 actor: two hidden layers. */
    private static final Actor ACTOR = SyntheticActors.random(3, 3, 5, 4, 2);
    private static final float[][] THETA = {SpikingActor.constant(5, 1f), SpikingActor.constant(4, 1f)};

    @Test
    void spikingActorRefusesAPlanOfAnotherLength() {
        for (String plan : List.of("if,mt:2,signed", "if,mt:2,if,if")) {
            SpikerlException e = assertThrows(SpikerlException.class,
                    () -> new SpikingActor(ACTOR, NeuronPlan.parse(plan), THETA, null, 4, 0, 0.5, 0.5));
            assertEquals("neuron plan " + plan + " names " + plan.split(",").length
                    + " hidden layers, but the actor has 2", e.getMessage());
        }
        assertEquals("spiking actor: the neuron model is missing", assertThrows(SpikerlException.class,
                () -> new SpikingActor(ACTOR, (NeuronPlan) null, THETA, null, 4, 0, 0.5, 0.5)).getMessage());
    }

    /**
     * "if,mt:3" on the 3-5-4-2 actor: layer 1 IF, layer 2 mt:3. The layers are built as planned, the start
     * potential of each uses its own unit (theta/2 for IF, lambda_3/2 = theta/8 for mt:3), and the
     * neuron updates count each layer's comparisons: T (5 * 1 + 4 * 3) = 4 * 17 = 68 per control step.
     */
    @Test
    void perLayerPlanBuildsEachLayersNeuron() {
        SpikingActor net = new SpikingActor(ACTOR, NeuronPlan.parse("if,mt:3"), THETA, null, 4, 0, 0.0, 0.5);
        assertEquals("if,mt:3", net.neuron().spec());
        assertEquals(NeuronModel.IF, net.neuron(0));
        assertEquals(MT3, net.neuron(1));
        assertEquals(0.5f, net.initialPotentials(0)[0]);
        assertEquals(0.125f, net.initialPotentials(1)[0]);
        SnnController c = new SnnController(net);
        assertInstanceOf(IfLayer.class, c.layer(0));
        assertInstanceOf(MultiThresholdLayer.class, c.layer(1));
        c.act(new double[] {0.5, -0.2, 0.9}, new double[2]);
        assertEquals(68, c.counts().neuronUpdates());
    }
}
