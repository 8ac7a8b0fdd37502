package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.convert.ThresholdMethod.Granularity;
import org.spikerl.convert.ThresholdMethod.Ltb;
import org.spikerl.convert.ThresholdMethod.Max;
import org.spikerl.convert.ThresholdMethod.Percentile;

/** SPEC section 4 on the five observations of {@link TinyActors#FIVE}; numbers worked out in comments. */
class ThresholdMethodTest {
    private final CalibrationSet five = CalibrationSet.observe(TinyActors.identityFirst(), TinyActors.FIVE);

    /** Per neuron: max(1,2,3,4,-1) = 4, max(.5,0,-2,8,2) = 8; layer 2: max(.5,1,2,11,1) = 11. Per layer: 8, 8. */
    @Test
    void maxPerNeuronAndPerLayer() {
        float[][] neuron = new Max(Granularity.NEURON).calibrate(five);
        assertArrayEquals(new float[] {4, 8}, neuron[0]);
        assertArrayEquals(new float[] {11}, neuron[1]);
        float[][] layer = new Max(Granularity.LAYER).calibrate(five);
        assertArrayEquals(new float[] {8, 8}, layer[0]);
        assertArrayEquals(new float[] {11}, layer[1]);
    }

    /**
     * Positive values only, linear interpolation at rank P/100 * (n-1):
     * <pre>
     * P=50 per neuron: n0 [1,2,3,4] rank 1.5 -> 2.5; n1 [.5,2,8] rank 1 -> 2; layer 2 [.5,1,1,2,11] rank 2 -> 1
     * P=90 per layer:  layer 1 [.5,1,2,2,3,4,8] rank 5.4 -> 4 + .4*(8-4) = 5.6; layer 2 rank 3.6 -> 2 + .6*9 = 7.4
     * P=100 is the max of the positive values.
     * </pre>
     */
    @Test
    void percentileOfPositiveActivations() {
        float[][] p50 = new Percentile(50, Granularity.NEURON).calibrate(five);
        assertArrayEquals(new float[] {2.5f, 2f}, p50[0]);
        assertArrayEquals(new float[] {1f}, p50[1]);
        float[][] p90 = new Percentile(90, Granularity.LAYER).calibrate(five);
        assertArrayEquals(new float[] {5.6f, 5.6f}, p90[0], 1e-6f);
        assertArrayEquals(new float[] {7.4f}, p90[1], 1e-6f);
        float[][] p100 = new Percentile(100, Granularity.NEURON).calibrate(five);
        assertArrayEquals(new float[] {4, 8}, p100[0]);
    }

    /**
     * Neuron 1 is never positive (z = -1, -3): its theta 0 becomes the layer's largest threshold:
     * max -> n0 = 2; percentile 50 of [1, 2] -> 1.5; LTB c=.5 one batch -> .5 * 2*(1+2)/2 = 1.5.
     */
    @Test
    void neverActiveNeuronTakesTheLayerMax() {
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), new double[][] {{1, -1}, {2, -3}});
        assertArrayEquals(new float[] {2, 2}, new Max(Granularity.NEURON).calibrate(set)[0]);
        assertArrayEquals(new float[] {1.5f, 1.5f}, new Percentile(50, Granularity.NEURON).calibrate(set)[0]);
        assertArrayEquals(new float[] {1.5f, 1.5f}, new Ltb(Granularity.NEURON, 0.5, 2, 1, 0).calibrate(set)[0]);
    }

    @Test
    void layerWithoutActivityIsAnError() {
        CalibrationSet dead = CalibrationSet.observe(TinyActors.identityFirst(), new double[][] {{-1, -1}});
        SpikerlException e = assertThrows(SpikerlException.class, () -> new Max(Granularity.NEURON).calibrate(dead));
        assertEquals("threshold method max:neuron: hidden layer 1 has no positive activation on the calibration set,"
                + " expected at least one", e.getMessage());
    }

    /**
     * LTB on the two samples s1 = [1, 6], s2 = [3, -2] (z_1 = o), c = 0.5, batch = both samples.
     * <pre>
     * layer-wise, batch 1: theta1 = .5 * mean 2*ReLU over 4 values = .5 * 2*(1+6+3)/4 = 2.5
     *   a1 = clip(z1, 0, 2.5) = [1, 2.5], [2.5, 0]  ->  z2 = a0 + a1 - 1 = 2.5, 1.5
     *   theta2 = .5 * 2*(2.5 + 1.5)/2 = 2
     * batch 2: theta1 += .5 * 2*((6-2.5) + (3-2.5))/4 = 1   -> 3.5
     *   a1 = [1, 3.5], [3, 0]  ->  z2 = 3.5, 2;  theta2 += .5 * 2*(3.5-2)/2 = .75  -> 2.75 (z2 = 2 is not > 2)
     * channel-wise, batch 1: theta1 = .5 * [2*(1+3)/2, 2*6/2] = [2, 3]
     *   a1 = [1, 3], [2, 0] -> z2 = 3, 1;  theta2 = .5 * 2*(3+1)/2 = 2
     * batch 2: n0: .5 * 2*(3-2)/2 = .5 -> 2.5;  n1: .5 * 2*(6-3)/2 = 1.5 -> 4.5
     *   a1 = [1, 4.5], [2.5, 0] -> z2 = 4.5, 1.5;  theta2 += .5 * 2*(4.5-2)/2 = 1.25 -> 3.25
     * </pre>
     */
    @Test
    void ltbUpdatesLayerWiseAndChannelWise() {
        CalibrationSet two = CalibrationSet.observe(TinyActors.identityFirst(), new double[][] {{1, 6}, {3, -2}});
        float[][] layer1 = new Ltb(Granularity.LAYER, 0.5, 2, 1, 0).calibrate(two);
        assertArrayEquals(new float[] {2.5f, 2.5f}, layer1[0]);
        assertArrayEquals(new float[] {2f}, layer1[1]);
        float[][] layer2 = new Ltb(Granularity.LAYER, 0.5, 2, 2, 0).calibrate(two);
        assertArrayEquals(new float[] {3.5f, 3.5f}, layer2[0]);
        assertArrayEquals(new float[] {2.75f}, layer2[1]);

        float[][] channel1 = new Ltb(Granularity.NEURON, 0.5, 2, 1, 0).calibrate(two);
        assertArrayEquals(new float[] {2f, 3f}, channel1[0]);
        assertArrayEquals(new float[] {2f}, channel1[1]);
        float[][] channel2 = new Ltb(Granularity.NEURON, 0.5, 2, 2, 0).calibrate(two);
        assertArrayEquals(new float[] {2.5f, 4.5f}, channel2[0]);
        assertArrayEquals(new float[] {3.25f}, channel2[1]);

        // A batch larger than the set is the whole set.
        assertArrayEquals(channel2[0], new Ltb(Granularity.NEURON, 0.5, 50, 2, 0).calibrate(two)[0]);
    }

    /** Theta never decreases: more batches can only raise it, towards the per-neuron max. */
    @Test
    void ltbIsDeterministicAndBoundedByMoreBatches() {
        CalibrationSet set = CalibrationSet.observe(org.spikerl.SyntheticActors.random(5, 4, 12, 12, 2),
                org.spikerl.SyntheticActors.observations(6, 300, 4));
        Ltb few = new Ltb(Granularity.NEURON, 1, 16, 3, 9);
        assertArrayEquals(few.calibrate(set)[1], few.calibrate(set)[1], "same seed, same thresholds");
        float[][] more = new Ltb(Granularity.NEURON, 1, 16, 30, 9).calibrate(set);
        float[][] fewer = few.calibrate(set);
        float[][] max = new Max(Granularity.NEURON).calibrate(set);
        for (int j = 0; j < 12; j++) {
            assertTrue(more[0][j] >= fewer[0][j], "neuron " + j + ": more batches never lower theta");
            assertTrue(more[0][j] <= max[0][j] * 2, "neuron " + j + ": bounded by twice the max");
        }
    }

    @Test
    void parsesEverySpellingAndRoundTrips() {
        assertEquals(new Max(Granularity.NEURON), ThresholdMethod.parse("max"));
        assertEquals(new Max(Granularity.LAYER), ThresholdMethod.parse("max:layer"));
        assertEquals(new Max(Granularity.NEURON), ThresholdMethod.parse("max:neuron"));
        assertEquals(new Percentile(99.9, Granularity.LAYER), ThresholdMethod.parse("percentile:99.9"));
        assertEquals(new Percentile(99.9, Granularity.NEURON), ThresholdMethod.parse("percentile:99.9:neuron"));
        assertEquals(new Ltb(Granularity.LAYER, Ltb.DEFAULT_C, Ltb.DEFAULT_BATCH, Ltb.DEFAULT_BATCHES, 0),
                ThresholdMethod.parse("ltb"));
        assertEquals(new Ltb(Granularity.NEURON, 0.5, 64, 10, 3),
                ThresholdMethod.parse("ltb-channel:c=0.5,batch=64,batches=10,seed=3"));
        for (String s : new String[] {"max", "max:layer", "percentile:99.9", "percentile:50:neuron", "ltb",
            "ltb-channel:c=0.5,batch=64,batches=10,seed=3"}) {
            ThresholdMethod m = ThresholdMethod.parse(s);
            assertEquals(m, ThresholdMethod.parse(m.spec()), s);
        }
        assertEquals("percentile:99.9:layer", ThresholdMethod.parse("percentile:99.9").spec());
        assertEquals("ltb-channel:c=1,batch=100,batches=100,seed=0", ThresholdMethod.parse("ltb-channel").spec());
    }

    @Test
    void badSpellingsGiveOneLineErrors() {
        assertTrue(message("maximum").startsWith("threshold method 'maximum': unknown method, expected max"));
        assertEquals("threshold method percentile: P must be in (0, 100], got 0.0", message("percentile:0"));
        assertEquals("threshold method percentile: P must be in (0, 100], got 101.0", message("percentile:101"));
        assertEquals("threshold method 'percentile:abc': P = 'abc' is not a number", message("percentile:abc"));
        assertEquals("threshold method 'percentile': percentile needs P, e.g. percentile:99.9", message("percentile"));
        assertEquals("threshold method 'max:channel': granularity 'channel' unknown, expected layer or neuron",
                message("max:channel"));
        assertEquals("threshold method ltb: c must be finite and > 0, got 0.0", message("ltb:c=0"));
        assertEquals("threshold method ltb: batch must be >= 1, got 0", message("ltb:batch=0"));
        assertEquals("threshold method 'ltb:foo=1': unknown key 'foo', expected c, batch, batches or seed",
                message("ltb:foo=1"));
        assertEquals("threshold method 'ltb:c': 'c' is not key=value (keys: c, batch, batches, seed)", message("ltb:c"));
        assertEquals("threshold method 'ltb:batches=x': batches = 'x' is not an integer", message("ltb:batches=x"));
    }

    private static String message(String spec) {
        return assertThrows(SpikerlException.class, () -> ThresholdMethod.parse(spec)).getMessage();
    }
}
