package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link NeuronLayer#stepConstantInput} against {@link NeuronLayer#step} on the same constant
 * input: the same events in the same order, membranes, spike counts, emitted output and next
 * start potential, bit for bit, for every neuron kind. The inputs include what the neuron list
 * has to get right: non-positive input with a start at or over the threshold (the neuron fires
 * although its input never rises), exactly-at-threshold starts, {@code -0}, zero and NaN.
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
    void neuronStartingOverItsThresholdFiresUnderNegativeInput() {
        float[] theta = {1f, 1f, 1f, 1f};
        float[] v0 = {1.5f, 1f, 0.5f, 1f};
        float[] z = {-0.25f, 0f, 0.75f, -2f};
        NeuronLayer layer = NeuronModel.IF.newLayer(theta, v0);
        layer.beginControlStep();
        int[] events = new int[4];
        int[][] expectEvents = {{0, 2}, {}, {2}};
        float[][] expectV = {{0.25f, 1f, 0.25f, -1f}, {0f, 1f, 1f, -3f}, {-0.25f, 1f, 0.75f, -5f}};
        for (int t = 0; t < 3; t++) {
            int fired = layer.stepConstantInput(z, events);
            assertArrayEquals(expectEvents[t], Arrays.copyOf(events, fired), "events at t=" + (t + 1));
            assertArrayEquals(expectV[t], layer.membrane(), "membrane at t=" + (t + 1));
        }
        assertArrayEquals(new int[] {1, 0, 2, 0}, layer.spikeCounts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"if", "signed", "mt:2", "mt:3"})
    void sameAsStepOnRandomConstantInputs(String kind) {
        NeuronModel model = NeuronModel.parse(kind);
        Random random = new Random(kind.hashCode());
        int size = 150;
        for (int trial = 0; trial < 40; trial++) {
            float[] theta = new float[size];
            float[] v0 = new float[size];
            float[] z = new float[size];
            for (int j = 0; j < size; j++) {
                theta[j] = 0.1f + random.nextFloat() * 2f;
                v0[j] = switch (j % 5) {
                    case 0 -> theta[j];
                    case 1 -> theta[j] * (1f + random.nextFloat());
                    case 2 -> -random.nextFloat() * theta[j];
                    default -> random.nextFloat() * theta[j];
                };
                z[j] = switch (j % 7) {
                    case 0 -> 0f;
                    case 1 -> -0f;
                    case 2 -> trial == 0 ? Float.NaN : -random.nextFloat();
                    default -> (float) (random.nextGaussian() * theta[j]);
                };
            }
            NeuronLayer stepped = model.newLayer(theta, v0);
            NeuronLayer listed = model.newLayer(theta, v0);
            int[] eventsA = new int[size * stepped.levels()];
            int[] eventsB = new int[size * stepped.levels()];
            float alpha = trial % 2 == 0 ? 0.5f : 0f;
            int total = 0;
            for (int control = 0; control < 3; control++) {
                stepped.beginControlStep();
                listed.beginControlStep();
                for (int t = 1; t <= 8; t++) {
                    int a = stepped.step(z, eventsA);
                    int b = listed.stepConstantInput(z, eventsB);
                    String at = kind + " trial " + trial + " control step " + control + " t=" + t;
                    assertArrayEquals(Arrays.copyOf(eventsA, a), Arrays.copyOf(eventsB, b), "events " + at);
                    assertArrayEquals(stepped.membrane(), listed.membrane(), "membrane " + at);
                    total += a;
                }
                assertEquals(stepped.endControlStep(alpha), listed.endControlStep(alpha));
                assertArrayEquals(stepped.spikeCounts(), listed.spikeCounts());
                float[] outA = new float[size];
                float[] outB = new float[size];
                stepped.emitted(outA);
                listed.emitted(outB);
                assertArrayEquals(outA, outB, kind + " emitted, trial " + trial);
                assertArrayEquals(stepped.initialPotential(), listed.initialPotential(),
                        kind + " next start, trial " + trial);
            }
            if (trial == 1) {
                // the comparison means something only if neurons fire
                assertTrue(total > size, kind + ": " + total + " events");
            }
        }
    }

    /**
     * A control step that starts with the constant-input path and goes on with {@link NeuronLayer#step}
     * (allowed, if not what the controller does) gives what {@code step} alone gives: the signed
     * layer's negative-spike gate, which the listed path does not keep, is rebuilt first. Neuron 0
     * fires twice on the listed path (v0 .5, z .75: 1.25 -> .25, 1.0 -> 0), then its input turns
     * to -1.5: at v = -1.5 <= -1 it has sent net output, so it sends a negative spike (event 1).
     */
    @ParameterizedTest
    @ValueSource(strings = {"if", "signed", "mt:2"})
    void stepAfterTheListedPathSeesTheSameState(String kind) {
        NeuronModel model = NeuronModel.parse(kind);
        float[] theta = {1f, 1f, 1f};
        float[] v0 = {0.5f, 0.5f, 1.5f};
        float[] constant = {0.75f, -0.25f, -0.5f};
        float[] later = {-1.5f, 0.5f, 2f};
        NeuronLayer stepped = model.newLayer(theta, v0);
        NeuronLayer listed = model.newLayer(theta, v0);
        stepped.beginControlStep();
        listed.beginControlStep();
        int[] a = new int[6];
        int[] b = new int[6];
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(Arrays.copyOf(a, stepped.step(constant, a)), Arrays.copyOf(b, listed.stepConstantInput(constant, b)));
        }
        for (int t = 0; t < 3; t++) {
            int na = stepped.step(later, a);
            int nb = listed.step(later, b);
            assertArrayEquals(Arrays.copyOf(a, na), Arrays.copyOf(b, nb), kind + " events at later step " + t);
            assertArrayEquals(stepped.membrane(), listed.membrane(), kind + " membrane at later step " + t);
            if (kind.equals("signed") && t == 0) {
                assertTrue(Arrays.stream(Arrays.copyOf(b, nb)).anyMatch(e -> e == 1), "negative spike of neuron 0");
            }
        }
    }
}
