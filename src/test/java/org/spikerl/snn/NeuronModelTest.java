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
        for (String bad : new String[] {"mt:1", "mt:9", "mt:", "mt:x", "mt:100", "mt:-2", "mt", "lif", "", "if2"}) {
            SpikerlException e = assertThrows(SpikerlException.class, () -> NeuronModel.parse(bad), bad);
            assertEquals("neuron \"" + bad + "\": expected if, signed or mt:N with N in 2..8", e.getMessage());
        }
        assertEquals("neuron \"null\": expected if, signed or mt:N with N in 2..8",
                assertThrows(SpikerlException.class, () -> NeuronModel.parse(null)).getMessage());
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
