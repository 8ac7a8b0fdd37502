package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NeuronLayer#stepConstantInput} against {@link NeuronLayer#step} on the same constant
 * input: the same events in the same order, membranes, spike counts, emitted output and next
 * start potential, bit for bit, for every neuron kind. The inputs include what the neuron list
 * has to get right: non-positive input with a start at or over the threshold (the neuron fires
 * although its input never rises), exactly-at-threshold starts, {@code -0}, zero and NaN, a new
 * input every control step, and episode resets.
 */
class ConstantInputStepTest {

    /**
     * theta = 1, v0 = [1.5, 1, 0.5, 1], z = [-0.25, 0, 0.75, -2], IF (fires on v > theta):
     * <pre>
     *  t | n0 (v0 over theta, z < 0)  | n1 (v0 == theta, z = 0) | n2                  | n3
     *  1 | 1.25 > 1: spike, v .25     | 1: no spike (strict)    | 1.25: spike, v .25  | -1
     *  2 | 0                          | 1                       | 1                   | -3
     *  3 | -.25                       | 1                       | 1.75: spike, v .75  | -5
     * </pre>
     * Events [0 2], [], [2]. The listed path must keep neuron 0 although its input is negative.
     */
    @Test
    void ifNeuronStartingOverItsThresholdFiresUnderNegativeInput() {
        NeuronLayer layer = NeuronModel.IF.newLayer(new float[] {1f, 1f, 1f, 1f}, new float[] {1.5f, 1f, 0.5f, 1f});
        float[] z = {-0.25f, 0f, 0.75f, -2f};
        int[][] expectEvents = {{0, 2}, {}, {2}};
        float[][] expectV = {{0.25f, 1f, 0.25f, -1f}, {0f, 1f, 1f, -3f}, {-0.25f, 1f, 0.75f, -5f}};
        traceConstant(layer, z, expectEvents, expectV);
        assertArrayEquals(new int[] {1, 0, 2, 0}, layer.spikeCounts());
    }

    /**
     * Signed, theta = 1, v0 = [1, 2.25, .5], z = [-.75, -.5, -1]; event 2j positive, 2j + 1 negative:
     * <pre>
     *  t | n0 (v0 == theta: listed)         | n1 (v0 over theta: listed)     | n2 (not listed)
     *  1 | .25: no spike (charge comes first)| 1.75: +, v .75, net 1          | -.5
     *  2 | -.5                              | .25                            | -1.5 <= -1, net 0: no spike
     *  3 | -1.25 <= -1, net 0: no spike     | -.25                           | -2.5
     *  4 | -2                               | -.75                           | -3.5
     *  5 | -2.75                            | -1.25 <= -1, net 1: -, v -.25  | -4.5
     * </pre>
     * Events [2], [], [], [], [3]: neuron 1 is listed for its start (its input is negative) and
     * undoes its spike when the membrane falls to -theta.
     */
    @Test
    void signedNeuronListedForItsStartSendsAndUndoesASpike() {
        NeuronLayer layer = NeuronModel.SIGNED.newLayer(new float[] {1f, 1f, 1f}, new float[] {1f, 2.25f, 0.5f});
        float[] z = {-0.75f, -0.5f, -1f};
        int[][] expectEvents = {{2}, {}, {}, {}, {3}};
        float[][] expectV = {{0.25f, 0.75f, -0.5f}, {-0.5f, 0.25f, -1.5f}, {-1.25f, -0.25f, -2.5f},
            {-2f, -0.75f, -3.5f}, {-2.75f, -0.25f, -4.5f}};
        traceConstant(layer, z, expectEvents, expectV);
        assertArrayEquals(new int[] {0, 2, 0}, layer.spikeCounts());
        assertArrayEquals(new int[] {0, 0, 0}, ((SignedLayer) layer).netSpikes());
    }

    /**
     * mt:2, theta = 1 (levels 1 and .5, events 2j and 2j + 1), v0 = [1.5, .25], z = [-.25, -.5]:
     * <pre>
     *  t | n0 (v0 over lambda_N, z < 0)              | n1 (below lambda_N, z < 0: never listed)
     *  1 | m 1.25: >= 1 spike, 1.25-1 = .25 < .5; v .25 | -.25
     *  2 | m 0                                        | -.75
     * </pre>
     * Events [0], [].
     */
    @Test
    void multiThresholdNeuronListedForItsStartFires() {
        NeuronLayer layer = NeuronModel.multiThreshold(2).newLayer(new float[] {1f, 1f}, new float[] {1.5f, 0.25f});
        traceConstant(layer, new float[] {-0.25f, -0.5f}, new int[][] {{0}, {}},
                new float[][] {{0.25f, -0.25f}, {0f, -0.75f}});
        assertArrayEquals(new int[] {1, 0}, layer.spikeCounts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"if", "signed", "mt:2", "mt:3", "mt:3@2", "mt:2@4"})
    void sameAsStepOnRandomInputsNewEveryControlStep(String kind) {
        NeuronModel model = NeuronModel.parse(kind);
        Random random = new Random(kind.hashCode());
        int size = 150;
        int totalEvents = 0;
        int negativeEvents = 0;
        for (int trial = 0; trial < 40; trial++) {
            float[] theta = new float[size];
            float[] v0 = new float[size];
            for (int j = 0; j < size; j++) {
                theta[j] = 0.1f + random.nextFloat() * 2f;
                v0[j] = switch (j % 5) {
                    case 0 -> theta[j];
                    case 1 -> theta[j] * (1f + random.nextFloat());
                    case 2 -> -random.nextFloat() * theta[j];
                    default -> random.nextFloat() * theta[j];
                };
            }
            NeuronLayer stepped = model.newLayer(theta, v0);
            NeuronLayer listed = model.newLayer(theta, v0);
            int[] eventsA = new int[size * stepped.levels()];
            int[] eventsB = new int[size * stepped.levels()];
            float alpha = trial % 2 == 0 ? 0.5f : 0f;
            for (int control = 0; control < 4; control++) {
                if (control == 2) {
                    stepped.resetEpisode();
                    listed.resetEpisode();
                }
                // A new input every control step: neurons go from z > 0 to z <= 0 and back, so a
                // list kept from the previous control step would miss some.
                float[] z = new float[size];
                for (int j = 0; j < size; j++) {
                    z[j] = switch ((j + control) % 7) {
                        case 0 -> 0f;
                        case 1 -> -0f;
                        case 2 -> trial == 0 && control == 0 ? Float.NaN : -random.nextFloat() * theta[j];
                        default -> (float) (random.nextGaussian() * theta[j]);
                    };
                }
                stepped.beginControlStep();
                listed.beginControlStep();
                for (int t = 1; t <= 8; t++) {
                    int a = stepped.step(z, eventsA);
                    int b = listed.stepConstantInput(z, eventsB);
                    String at = kind + " trial " + trial + " control step " + control + " t=" + t;
                    assertArrayEquals(Arrays.copyOf(eventsA, a), Arrays.copyOf(eventsB, b), "events " + at);
                    assertArrayEquals(stepped.membrane(), listed.membrane(), "membrane " + at);
                    totalEvents += a;
                    if (kind.equals("signed")) {
                        negativeEvents += (int) Arrays.stream(eventsA, 0, a).filter(e -> e % 2 == 1).count();
                    }
                }
                String at = kind + " trial " + trial + " control step " + control;
                assertEquals(stepped.endControlStep(alpha), listed.endControlStep(alpha), "events " + at);
                assertArrayEquals(stepped.spikeCounts(), listed.spikeCounts(), "spike counts " + at);
                float[] outA = new float[size];
                float[] outB = new float[size];
                stepped.emitted(outA);
                listed.emitted(outB);
                assertArrayEquals(outA, outB, "emitted " + at);
                assertArrayEquals(stepped.initialPotential(), listed.initialPotential(), "next start " + at);
            }
        }
        // The comparison means something only if neurons fire (and, for signed, undo spikes).
        assertTrue(totalEvents > 40 * size, kind + ": " + totalEvents + " events");
        if (kind.equals("signed")) {
            assertTrue(negativeEvents > 100, "signed: " + negativeEvents + " negative events");
        }
    }

    /**
     * A control step that mixes the two paths gives what {@link NeuronLayer#step} alone gives:
     * the listed path after {@code step} (the list is made from the state {@code step} left) and
     * {@code step} after the listed path (the signed layer's negative-spike gate, which the listed
     * path does not keep, is rebuilt).
     */
    @ParameterizedTest
    @ValueSource(strings = {"if", "signed", "mt:2", "mt:3@2"})
    void pathsMixedInOneControlStepGiveWhatStepGives(String kind) {
        NeuronModel model = NeuronModel.parse(kind);
        float[] theta = {1f, 1f, 1f};
        float[] v0 = {0.5f, 0.5f, 1.5f};
        float[][] inputs = {{0.75f, -0.25f, -0.5f}, {-1.5f, 0.5f, 2f}, {-0.75f, -0.25f, -1f}};
        int[] order = {0, 0, 1, 1, 1, 2, 2, 2};
        boolean[] listedPath = {true, true, false, false, false, true, true, true};
        NeuronLayer stepped = model.newLayer(theta, v0);
        NeuronLayer mixed = model.newLayer(theta, v0);
        stepped.beginControlStep();
        mixed.beginControlStep();
        int[] a = new int[6];
        int[] b = new int[6];
        // The listed path's contract: one input per control step; so each input change starts a
        // new control step for the listed calls, and both layers follow the same life cycle.
        for (int t = 0; t < order.length; t++) {
            if (t > 0 && order[t] != order[t - 1] && listedPath[t]) {
                stepped.endControlStep(0f);
                mixed.endControlStep(0f);
                stepped.beginControlStep();
                mixed.beginControlStep();
            }
            float[] z = inputs[order[t]];
            int na = stepped.step(z, a);
            int nb = listedPath[t] ? mixed.stepConstantInput(z, b) : mixed.step(z, b);
            assertArrayEquals(Arrays.copyOf(a, na), Arrays.copyOf(b, nb), kind + " events at call " + t);
            assertArrayEquals(stepped.membrane(), mixed.membrane(), kind + " membrane at call " + t);
        }
        assertArrayEquals(stepped.spikeCounts(), mixed.spikeCounts(), kind + " spike counts");
    }

    /**
     * Signed, theta 1, v0 .5: {@code step} with .75 fires (v .25, net 1); the listed path then
     * starts with input -1.5 in the same control step: v -1.25 <= -1 with net 1, a negative spike
     * (event 1), which a list made only from the membrane (-1.25 is not over theta) would miss.
     */
    @Test
    void listAfterStepKeepsASignedNeuronThatHasSentOutput() {
        NeuronLayer layer = NeuronModel.SIGNED.newLayer(new float[] {1f}, new float[] {0.5f});
        layer.beginControlStep();
        int[] events = new int[2];
        assertEquals(1, layer.step(new float[] {0.75f}, events));
        assertEquals(0, events[0]);
        assertEquals(1, layer.stepConstantInput(new float[] {-1.5f}, events));
        assertEquals(1, events[0], "negative spike of neuron 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"if", "signed", "mt:2"})
    void thresholdsMustBeFiniteAndPositive(String kind) {
        NeuronModel model = NeuronModel.parse(kind);
        float[] v0 = {0f, 0f};
        for (float bad : new float[] {Float.POSITIVE_INFINITY, Float.NaN, 0f, -1f}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.newLayer(new float[] {1f, bad}, v0));
            assertTrue(e.getMessage().contains("neuron 1"), e.getMessage());
        }
    }

    @Test
    void multiThresholdRejectsAThresholdWhoseSmallestLevelUnderflows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NeuronModel.multiThreshold(2).newLayer(new float[] {Float.MIN_VALUE}, new float[] {0f}));
        assertTrue(e.getMessage().contains("underflows"), e.getMessage());
    }

    private static void traceConstant(NeuronLayer layer, float[] z, int[][] expectEvents, float[][] expectV) {
        layer.beginControlStep();
        int[] events = new int[z.length * layer.levels()];
        for (int t = 0; t < expectEvents.length; t++) {
            int fired = layer.stepConstantInput(z, events);
            assertArrayEquals(expectEvents[t], Arrays.copyOf(events, fired), "events at t=" + (t + 1));
            assertArrayEquals(expectV[t], layer.membrane(), "membrane at t=" + (t + 1));
        }
    }
}
