package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * SPEC section 10 (multi-threshold neuron [HMT]) and the residual of section 6 as
 * {@link MultiThresholdLayer} generalises it, against hand-computed traces. All values are binary
 * fractions, so float arithmetic is exact.
 */
class MultiThresholdLayerTest {

    /**
     * N = 2, theta = [1, 2, 0.5]: lambda = [1, .5], [2, 1], [.5, .25]; v0 = lambda_N / 2 =
     * [.25, .5, .125]. Events: neuron j level k is {@code j * 2 + k}.
     * <pre>
     *  t | neuron 0, z = .625             | neuron 1, z = 2.75                   | neuron 2, z = .125, .5, -1, .75
     *  1 | m1 .875: .5 -> e1; v .375      | m1 3.25: 2 -> 1.25, 1 -> .25: e2 e3;  | m1 .25 == lambda_2: e5; v 0
     *    |                                |   x = 3, v = 3.25 - 3 = .25           |
     *  2 | m1 1.0 == lambda_1: e0 (1.0 -  | m1 3.0: e2 e3, v 0                    | m1 .5 == lambda_1: e4 (0 < .25); v 0
     *    |   1 = 0 < .5: no e1); v 0      |                                       |
     *  3 | m1 .625: e1; v .125            | m1 2.75: 2 -> .75 < 1: e2 only; v .75 | m1 -1 < .25: no spike; v -1
     *  4 | m1 .75: e1; v .25              | m1 3.5: 2 -> 1.5, 1 -> .5: e2 e3; v .5| m1 -.25: v -.25
     * </pre>
     * Events per timestep in ascending number: [1 2 3 5], [0 2 3 4], [1 2], [1 2 3].
     * Spike events per neuron 4, 7, 2; sent = .5 + 1 + .5 + .5 = 2.5, 3 + 3 + 2 + 3 = 11, .25 + .5 = .75.
     * Neuron 1 shows up to 2^N - 1 = 3 lambda_N per timestep (x = 3 = 1.5 theta); {@code >=} fires at equality.
     */
    @Test
    void chargeFireResetTrace() {
        MultiThresholdLayer layer = new MultiThresholdLayer(new float[] {1f, 2f, 0.5f},
                new float[] {0.25f, 0.5f, 0.125f}, 2);
        assertEquals(3, layer.size());
        assertEquals(2, layer.levels());
        layer.beginControlStep();
        float[][] z = {{0.625f, 2.75f, 0.125f}, {0.625f, 2.75f, 0.5f}, {0.625f, 2.75f, -1f}, {0.625f, 2.75f, 0.75f}};
        float[][] expectV = {{0.375f, 0.25f, 0f}, {0f, 0f, 0f}, {0.125f, 0.75f, -1f}, {0.25f, 0.5f, -0.25f}};
        int[][] expectEvents = {{1, 2, 3, 5}, {0, 2, 3, 4}, {1, 2}, {1, 2, 3}};
        float[][] expectSent = {{0.5f, 3f, 0.25f}, {1.5f, 6f, 0.75f}, {2f, 8f, 0.75f}, {2.5f, 11f, 0.75f}};
        int[] events = new int[6];
        for (int t = 0; t < z.length; t++) {
            int fired = layer.step(z[t], events);
            String at = " at t=" + (t + 1);
            assertArrayEquals(expectV[t], layer.membrane(), "membrane" + at);
            assertEquals(expectEvents[t].length, fired, "events" + at);
            for (int k = 0; k < fired; k++) {
                assertEquals(expectEvents[t][k], events[k], "event " + k + at);
            }
            assertArrayEquals(expectSent[t], layer.sent(), "sent" + at);
        }
        assertArrayEquals(new int[] {4, 7, 2}, layer.spikeCounts());
        float[] emitted = new float[3];
        layer.emitted(emitted);
        assertArrayEquals(new float[] {2.5f, 11f, 0.75f}, emitted);
    }

    /**
     * Firing period 2 ({@code mt:2@2}), T = 4, theta = [1, 2]: lambda = [1, .5], [2, 1];
     * v0 = lambda_2 / 2 = [.25, .5]; z = [.375, 1.25] at every timestep. Events {@code j * 2 + k}.
     * <pre>
     *  t | neuron 0                                | neuron 1
     *  1 | charge only: v .625                     | charge only: v 1.75
     *  2 | m1 1.0 == lambda_1: e0, m 0 < .5; v 0   | m1 3.0: 2 -> 1, 1 -> 0: e2 e3; v 0
     *  3 | charge only: v .375                     | charge only: v 1.25
     *  4 | m1 .75: 1 no, .5 -> e1; v .25           | m1 2.5: 2 -> e2, .5 < 1; v .5
     * </pre>
     * Events per timestep [], [0 2 3], [], [1 2]; spike events 2 and 3; sent 1.5 and 5. The next
     * control step (alpha 0) starts again at v0 and with a charge-only timestep.
     */
    @Test
    void firingPeriodChargesBetweenFiringTimesteps() {
        MultiThresholdLayer layer = new MultiThresholdLayer(new float[] {1f, 2f}, new float[] {0.25f, 0.5f}, 2, 2);
        float[] z = {0.375f, 1.25f};
        float[][] expectV = {{0.625f, 1.75f}, {0f, 0f}, {0.375f, 1.25f}, {0.25f, 0.5f}};
        int[][] expectEvents = {{}, {0, 2, 3}, {}, {1, 2}};
        int[] events = new int[4];
        for (int control = 0; control < 2; control++) {
            layer.beginControlStep();
            for (int t = 0; t < 4; t++) {
                int fired = control == 0 ? layer.step(z, events) : layer.stepConstantInput(z, events);
                String at = " at control step " + control + " t=" + (t + 1);
                assertArrayEquals(expectV[t], layer.membrane(), "membrane" + at);
                assertEquals(expectEvents[t].length, fired, "events" + at);
                for (int k = 0; k < fired; k++) {
                    assertEquals(expectEvents[t][k], events[k], "event " + k + at);
                }
            }
            assertArrayEquals(new int[] {2, 3}, layer.spikeCounts());
            assertArrayEquals(new float[] {1.5f, 5f}, layer.sent());
            assertEquals(5, layer.endControlStep(0f));
            assertArrayEquals(new float[] {0.25f, 0.5f}, layer.initialPotential());
        }
    }

    /**
     * Two control steps of T = 3 with alpha = 0.5, N = 3, theta = 4 for every neuron: lambda = 4, 2, 1,
     * v0 = lambda_3 / 2 = .5, residual clip +-lambda_3 / 2 = +-.5. Events {@code j * 3 + k}.
     * <pre>
     * step 1, every v_init = .5:
     *  n0, z = 1.25:  m1 1.75: 1 -> e2, v .75 | m1 2.0: 2 -> e1, v 0 | m1 1.25: e2, v .25.   sent 4
     *     d = .25 - .5 = -.25, lo = -4, m = -.25, r = -.125 (inside the clip) -> v_init .375
     *  n1, z = 7, 7, -20:  m1 7.5: 4 2 1 -> e3 e4 e5, x 7, v .5 | again, v .5 | m1 -19.5, v -19.5.  sent 14
     *     d = -20, lo = -14 -> m = -14, r = -7, clipped to -.5 -> v_init 0
     *  n2, z = 9 (saturated):  m1 9.5: e6 e7 e8, x 7, v 2.5 | 11.5 -> v 4.5 | 13.5 -> v 6.5.  sent 21
     *     d = 6, r = 3, clipped to .5 -> v_init 1
     *  n3, z = -1:  v -.5, -1.5, -2.5; sent 0: d = -3, lo = -0 -> m = -0, r = -0 -> v_init .5 + -0 = .5
     *  events per timestep: [2 3 4 5 6 7 8], [1 3 4 5 6 7 8], [2 6 7 8]; 3 + 6 + 9 + 0 = 18 in all
     * step 2, v_init = [.375, 0, 1, .5], same inputs:
     *  n0: m1 1.625: e2, v .625 | 1.875: e2, v .875 | 2.125: 2 -> e1, v .125.  d = -.25 -> v_init .375
     *  n1: m1 7: e3 e4 e5, v 0 | again | -20.  d = -20, lo = -14 -> -7 -> -.5 -> v_init 0
     *  n2: m1 10 -> v 3 | 12 -> 5 | 14 -> 7.  d = 6 -> .5 -> v_init 1
     *  n3: as in step 1 -> v_init .5
     * </pre>
     * Then an episode reset puts every v_init back to v0.
     */
    @Test
    void crossStepResidualWithClipAndEpisodeReset() {
        float[] theta = {4f, 4f, 4f, 4f};
        float[] v0 = {0.5f, 0.5f, 0.5f, 0.5f};
        MultiThresholdLayer layer = new MultiThresholdLayer(theta, v0, 3);
        float[][] z = {{1.25f, 7f, 9f, -1f}, {1.25f, 7f, 9f, -1f}, {1.25f, -20f, 9f, -1f}};
        int[][] expectEvents = {{2, 3, 4, 5, 6, 7, 8}, {1, 3, 4, 5, 6, 7, 8}, {2, 6, 7, 8}};
        int[] events = new int[12];

        layer.beginControlStep();
        for (int t = 0; t < z.length; t++) {
            int fired = layer.step(z[t], events);
            assertEquals(expectEvents[t].length, fired, "events at t=" + (t + 1));
            for (int k = 0; k < fired; k++) {
                assertEquals(expectEvents[t][k], events[k], "event " + k + " at t=" + (t + 1));
            }
        }
        assertArrayEquals(new float[] {0.25f, -19.5f, 6.5f, -2.5f}, layer.membrane());
        assertArrayEquals(new int[] {3, 6, 9, 0}, layer.spikeCounts());
        assertArrayEquals(new float[] {4f, 14f, 21f, 0f}, layer.sent());
        assertEquals(18, layer.endControlStep(0.5f));
        assertArrayEquals(new float[] {0.375f, 0f, 1f, 0.5f}, layer.initialPotential());

        layer.beginControlStep();
        assertArrayEquals(new float[] {0.375f, 0f, 1f, 0.5f}, layer.membrane(), "step 2 starts at v_init");
        assertArrayEquals(new int[4], layer.spikeCounts(), "counters zeroed");
        assertArrayEquals(new float[4], layer.sent(), "sent zeroed");
        int[] expectFired = {7, 7, 4};
        for (int t = 0; t < z.length; t++) {
            assertEquals(expectFired[t], layer.step(z[t], events), "events at t=" + (t + 1));
        }
        assertEquals(1, events[0], "n0 fires lambda_2 = 2 at t=3");
        assertArrayEquals(new float[] {0.125f, -20f, 7f, -2.5f}, layer.membrane());
        assertArrayEquals(new float[] {4f, 14f, 21f, 0f}, layer.sent());
        assertEquals(18, layer.endControlStep(0.5f));
        assertArrayEquals(new float[] {0.375f, 0f, 1f, 0.5f}, layer.initialPotential());

        layer.resetEpisode();
        assertArrayEquals(v0, layer.initialPotential());
        layer.beginControlStep();
        assertArrayEquals(v0, layer.membrane(), "episode start: r = 0");
    }

    /** alpha = 0: the next control step starts from v0, whatever the residual would have been. */
    @Test
    void alphaZeroKeepsNoResidual() {
        float[] v0 = {0.25f, 0.5f};
        MultiThresholdLayer layer = new MultiThresholdLayer(new float[] {1f, 2f}, v0, 2);
        int[] events = new int[4];
        layer.beginControlStep();
        // n0: m1 1.125: 1 -> e0, .125 < .5; v .125.  n1: m1 -2.5, v -2.5.
        assertEquals(1, layer.step(new float[] {0.875f, -3f}, events));
        assertEquals(0, events[0]);
        assertArrayEquals(new float[] {0.125f, -2.5f}, layer.membrane());
        assertEquals(1, layer.endControlStep(0f));
        assertArrayEquals(v0, layer.initialPotential());
    }

    /**
     * A charge just below lambda_N takes the no-spike path: {@code v = m_1}, {@code sent} unchanged,
     * no event; the rest up to lambda_N exactly then fires the smallest level ({@code >=}).
     */
    @Test
    void belowTheSmallestThresholdNothingChanges() {
        MultiThresholdLayer layer = new MultiThresholdLayer(new float[] {1f}, new float[] {0f}, 3);
        int[] events = new int[3];
        layer.beginControlStep();
        // lambda = 1, .5, .25: m1 = .2499999 < .25 -> no spike.
        float justBelow = Math.nextDown(0.25f);
        assertEquals(0, layer.step(new float[] {justBelow}, events));
        assertEquals(justBelow, layer.membrane()[0]);
        assertEquals(0f, layer.sent()[0]);
        // + 2^-26 more reaches .25 exactly: lambda_3 fires (>=), v = .25 - .25 = 0.
        assertEquals(1, layer.step(new float[] {0.25f - justBelow}, events));
        assertEquals(2, events[0]);
        assertEquals(0f, layer.membrane()[0]);
        assertEquals(0.25f, layer.sent()[0]);
    }

    /**
     * A subnormal smallest threshold: theta = 12 * 2^-149 with N = 3 gives lambda_3 = 3 * 2^-149, and
     * 0.5 * lambda_3 = 1.5 * 2^-149 rounds (to even) to 2 * 2^-149, so twice it exceeds lambda_3: a
     * shortcut {@code m1 < 2 * (0.5 lambda_3)} would skip the spike that {@code m1 >= lambda_3} fires.
     */
    @Test
    void subnormalSmallestThresholdStillFiresAtEquality() {
        float minSub = Float.MIN_VALUE;
        float theta = 12 * minSub;
        MultiThresholdLayer layer = new MultiThresholdLayer(new float[] {theta}, new float[] {0f}, 3);
        int[] events = new int[3];
        layer.beginControlStep();
        assertEquals(1, layer.step(new float[] {3 * minSub}, events));
        assertEquals(2, events[0]);
        assertEquals(0f, layer.membrane()[0]);
    }

    /**
     * Subnormal levels that are not exact halves: theta = 13 * 2^-149, N = 3 gives lambda = 13, 6
     * (6.5 rounded to even), 3 (3.25 rounded) times 2^-149. A charge of 12 * 2^-149 fires levels 2
     * and 3 (12 < 13; 12 - 6 = 6 >= 3), x = 9, v = 3 * 2^-149; the digits of 12 / 3 = 4 would fire
     * level 1 instead, so the layer must take the loop.
     */
    @Test
    void subnormalLevelsThatAreNotHalvesTakeTheLevelLoop() {
        float minSub = Float.MIN_VALUE;
        MultiThresholdLayer layer = new MultiThresholdLayer(new float[] {13 * minSub}, new float[] {0f}, 3);
        int[] events = new int[3];
        layer.beginControlStep();
        assertEquals(2, layer.step(new float[] {12 * minSub}, events));
        assertEquals(1, events[0]);
        assertEquals(2, events[1]);
        assertEquals(3 * minSub, layer.membrane()[0]);
        assertEquals(9 * minSub, layer.sent()[0]);
    }

    /**
     * The step (a charge pass, then the levels of each neuron from the digits of
     * {@code m_1 / lambda_N}) against the level loop of the class Javadoc, written out here, for
     * N = 2..8 (every entry point of the unrolled event writes), on 130 neurons with charges on,
     * just under and just over every multiple {@code k lambda_N} up to {@code 2^N + 1} (where a
     * digit changes, and saturation), far above, NaN, +inf and below zero: same membranes, events in
     * the same order, same sent output and spike counts, at every timestep.
     */
    @Test
    void stepEqualsTheLevelLoopAtEveryMultipleOfTheSmallestLevel() {
        int size = 130;
        for (int n = 2; n <= NeuronModel.MAX_THRESHOLDS; n++) {
            java.util.Random rnd = new java.util.Random(7 + n);
            float[] theta = new float[size];
            float[] v0 = new float[size];
            for (int j = 0; j < size; j++) {
                theta[j] = (float) (0.05 + 3 * rnd.nextDouble());
                v0[j] = theta[j] / (float) (1 << n);
            }
            MultiThresholdLayer layer = new MultiThresholdLayer(theta, v0, n);
            layer.beginControlStep();
            float[] v = v0.clone();
            float[] sent = new float[size];
            int[] spikes = new int[size];
            int[] events = new int[size * n];
            for (int t = 0; t < 60; t++) {
                float[] z = new float[size];
                for (int j = 0; j < size; j++) {
                    float lamN = theta[j] / (float) (1 << (n - 1));
                    float target = (float) (lamN * (double) rnd.nextInt((1 << n) + 2));
                    float want = switch (rnd.nextInt(7)) {
                        case 0, 1 -> target;                         // on a multiple of lambda_N
                        case 2 -> Math.nextDown(target);
                        case 3 -> Math.nextUp(target);
                        case 4 -> theta[j] * (2 + 5 * rnd.nextFloat()); // saturated
                        case 5 -> rnd.nextInt(50) == 0 ? (rnd.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY)
                                : -lamN;
                        default -> (float) (rnd.nextDouble() * 2 * theta[j]);
                    };
                    z[j] = want - v[j];
                    if (!Float.isFinite(v[j])) {
                        z[j] = 0f;
                    }
                }
                int fired = layer.step(z, events);
                int expectFired = 0;
                int[] expectEvents = new int[size * n];
                for (int j = 0; j < size; j++) {
                    float m1 = v[j] + z[j];
                    float m = m1;
                    float x = 0f;
                    for (int i = 0; i < n; i++) {
                        float lam = theta[j] / (float) (1 << i);
                        if (m >= lam) {
                            m = m - lam;
                            x = x + lam;
                            expectEvents[expectFired++] = j * n + i;
                            spikes[j]++;
                        }
                    }
                    v[j] = m1 - x;
                    sent[j] = sent[j] + x;
                }
                String at = "N=" + n + " t=" + t;
                assertEquals(expectFired, fired, "events at " + at);
                for (int k = 0; k < fired; k++) {
                    assertEquals(expectEvents[k], events[k], "event " + k + " at " + at);
                }
                assertArrayEquals(v, layer.membrane(), "membrane at " + at);
                assertArrayEquals(sent, layer.sent(), "sent at " + at);
                assertArrayEquals(spikes, layer.spikeCounts(), "spikes at " + at);
            }
        }
    }
}
