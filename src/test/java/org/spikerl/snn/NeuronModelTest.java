package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

/** {@link NeuronModel}: parsing, its CLI form, spike levels, the unit threshold and the start potential. */
class NeuronModelTest {

    @Test
    void parsesTheThreeKindsAndRoundTrips() {
        assertSame(NeuronModel.IF, NeuronModel.parse("if"));
        assertSame(NeuronModel.SIGNED, NeuronModel.parse(" Signed "));
        assertEquals(NeuronModel.multiThreshold(3), NeuronModel.parse("MT:3"));
        assertEquals(NeuronModel.multiThreshold(2), NeuronModel.parse("mt:02"));
        for (String spec : new String[] {"if", "signed", "mt:2", "mt:3", "mt:8"}) {
            NeuronModel m = NeuronModel.parse(spec);
            assertEquals(spec, m.spec());
            assertEquals(m, NeuronModel.parse(m.spec()));
            assertEquals(ResetMode.SUBTRACT, m.reset());
        }
        assertEquals(NeuronModel.Kind.MULTI_THRESHOLD, NeuronModel.parse("mt:5").kind());
        assertEquals(5, NeuronModel.parse("mt:5").thresholds());
    }

    @Test
    void rejectsOtherTextWithOneLine() {
        for (String bad : new String[] {"mt:1", "mt:9", "mt:", "mt:x", "mt:100", "mt:-2", "mt", "lif", "", "if2",
                "mt:3@0", "mt:3@17", "mt:3@", "mt:3@x", "mt:3@2@2", "if@2", "signed@2", "mt@2"}) {
            SpikerlException e = assertThrows(SpikerlException.class, () -> NeuronModel.parse(bad), bad);
            assertEquals("neuron \"" + bad + "\": expected if, signed, mt:N or mt:N@P with N in 2..8 and firing period P in 1..16", e.getMessage());
        }
        assertEquals("neuron \"null\": expected if, signed, mt:N or mt:N@P with N in 2..8 and firing period P in 1..16",
                assertThrows(SpikerlException.class, () -> NeuronModel.parse(null)).getMessage());
    }

    @Test
    void firingPeriodParsesCountsAndIsOnlyForMultiThreshold() {
        NeuronModel p = NeuronModel.parse("mt:3@2");
        assertEquals(NeuronModel.multiThreshold(3, 2), p);
        assertEquals(2, p.period());
        assertEquals("mt:3@2", p.spec());
        assertEquals("mt:3", NeuronModel.parse("mt:3@1").spec(), "period 1 is the plain mt neuron");
        assertEquals(NeuronModel.multiThreshold(3), NeuronModel.parse("mt:3@1"));
        assertEquals(1, NeuronModel.IF.period());
        assertEquals(4, p.firingTimesteps(8));
        assertEquals(4 * 7, p.maxStepsPerControlStep(8), "4 firing timesteps of up to 2^3 - 1 steps");
        assertEquals(8 * 7, NeuronModel.multiThreshold(3).maxStepsPerControlStep(8));
        assertEquals(32, p.stepsPerTheta(8), "the quantum stays lambda_3 = theta / 4 of T = 8 timesteps");
        assertEquals(12, p.comparisonsPerControlStep(8), "3 comparisons at each of 4 firing timesteps");
        assertEquals(24, NeuronModel.multiThreshold(3).comparisonsPerControlStep(8));
        assertEquals(16, NeuronModel.SIGNED.comparisonsPerControlStep(8));
        p.checkTimesteps(8);
        assertEquals("neuron mt:3@2: the firing period 2 must divide T, got T = 5",
                assertThrows(SpikerlException.class, () -> p.checkTimesteps(5)).getMessage());
        assertEquals("neuron model: only mt neurons take a firing period, got if with 2", assertThrows(SpikerlException.class,
                () -> new NeuronModel(NeuronModel.Kind.IF, ResetMode.SUBTRACT, 1, 2)).getMessage());
        assertEquals("neuron model: the firing period must be in 1..16, got 0",
                assertThrows(SpikerlException.class, () -> NeuronModel.multiThreshold(3, 0)).getMessage());
        assertEquals("neuron model: the firing period must be in 1..16, got 17",
                assertThrows(SpikerlException.class, () -> NeuronModel.multiThreshold(3, 17)).getMessage());
        MultiThresholdLayer layer = (MultiThresholdLayer) p.newLayer(new float[] {1f}, new float[] {0.125f});
        assertEquals(3, layer.levels());
    }

    @Test
    void constructorChecksKindResetAndThresholds() {
        assertEquals("neuron model: mt needs 2..8 thresholds, got 1",
                assertThrows(SpikerlException.class, () -> NeuronModel.multiThreshold(1)).getMessage());
        assertEquals("neuron model: mt needs 2..8 thresholds, got 9",
                assertThrows(SpikerlException.class, () -> NeuronModel.multiThreshold(9)).getMessage());
        assertEquals("neuron model: if has 1 threshold, got 2", assertThrows(SpikerlException.class,
                () -> new NeuronModel(NeuronModel.Kind.IF, ResetMode.SUBTRACT, 2)).getMessage());
        assertEquals("neuron model: signed has 1 threshold, got 0", assertThrows(SpikerlException.class,
                () -> new NeuronModel(NeuronModel.Kind.SIGNED, ResetMode.SUBTRACT, 0)).getMessage());
        assertEquals("neuron model: kind is missing, expected if, mt:N or signed", assertThrows(SpikerlException.class,
                () -> new NeuronModel(null, ResetMode.SUBTRACT, 1)).getMessage());
        assertEquals("neuron model: reset must be subtract, got null", assertThrows(SpikerlException.class,
                () -> new NeuronModel(NeuronModel.Kind.IF, null, 1)).getMessage());
    }

    @Test
    void levelsComparisonsAndLevelValues() {
        NeuronModel mt3 = NeuronModel.multiThreshold(3);
        assertEquals(1, NeuronModel.IF.levels());
        assertEquals(3, mt3.levels());
        assertEquals(2, NeuronModel.SIGNED.levels());
        assertEquals(1, NeuronModel.IF.comparisons());
        assertEquals(3, mt3.comparisons());
        assertEquals(2, NeuronModel.SIGNED.comparisons());

        assertEquals(3f, NeuronModel.IF.levelValue(3f, 0));
        assertEquals(3f, mt3.levelValue(3f, 0));
        assertEquals(1.5f, mt3.levelValue(3f, 1));
        assertEquals(0.75f, mt3.levelValue(3f, 2));
        assertEquals(3f, NeuronModel.SIGNED.levelValue(3f, 0));
        assertEquals(-3f, NeuronModel.SIGNED.levelValue(3f, 1));
        // a division by a power of two is exact: theta / 4 keeps every bit of an arbitrary theta
        float theta = 0.7387592f;
        assertEquals(Float.floatToIntBits(theta) - (2 << 23), Float.floatToIntBits(mt3.levelValue(theta, 2)));
    }

    @Test
    void unitAndStartPotential() {
        NeuronModel mt3 = NeuronModel.multiThreshold(3);
        assertEquals(3f, NeuronModel.IF.unit(3f));
        assertEquals(3f, NeuronModel.SIGNED.unit(3f));
        assertEquals(0.75f, mt3.unit(3f), "lambda_3 = theta / 4");
        assertEquals(1.5f, NeuronModel.IF.startPotential(3f, 0.5f));
        assertEquals(1.5f, NeuronModel.SIGNED.startPotential(3f, 0.5f));
        assertEquals(0.375f, mt3.startPotential(3f, 0.5f), "[HMT]: lambda_N / 2");
        assertEquals(0f, mt3.startPotential(3f, 0f));
        // float32, unit first, then the fraction: (0.1f / 2) * 0.3f
        float expect = (0.1f / 2f) * 0.3f;
        assertEquals(expect, NeuronModel.multiThreshold(2).startPotential(0.1f, 0.3f));
    }

    @Test
    void maxOutputAndQuantisationSteps() {
        assertEquals(1.0, NeuronModel.IF.maxOutputPerTimestep());
        assertEquals(1.0, NeuronModel.SIGNED.maxOutputPerTimestep());
        assertEquals(1.5, NeuronModel.multiThreshold(2).maxOutputPerTimestep());
        assertEquals(1.75, NeuronModel.multiThreshold(3).maxOutputPerTimestep());
        assertEquals(8, NeuronModel.IF.stepsPerTheta(8));
        assertEquals(32, NeuronModel.multiThreshold(3).stepsPerTheta(8));
    }

    @Test
    void newLayerMatchesTheKind() {
        float[] theta = {1f, 2f};
        float[] v0 = {0.5f, 1f};
        assertInstanceOf(IfLayer.class, NeuronModel.IF.newLayer(theta, v0));
        assertInstanceOf(SignedLayer.class, NeuronModel.SIGNED.newLayer(theta, v0));
        NeuronLayer mt = NeuronModel.multiThreshold(4).newLayer(theta, v0);
        assertInstanceOf(MultiThresholdLayer.class, mt);
        assertEquals(4, mt.levels());
        assertEquals(2, mt.size());
    }
}
