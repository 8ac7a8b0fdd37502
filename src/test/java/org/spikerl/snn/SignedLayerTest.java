package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * SPEC section 10 (signed spikes with memory [SNM]) and the residual of section 6 as
 * {@link SignedLayer} generalises it, against hand-computed traces. Values are binary fractions,
 * so float arithmetic is exact (except where a test says otherwise).
 */
class SignedLayerTest {

    /**
     * theta = [1, 2, 1], v0 = theta/2 = [.5, 1, .5]. Event 2j = positive spike of neuron j, 2j + 1 = negative.
     * <pre>
     *  t | n0: z                          | n1: z                              | n2: z
     *  1 | .75: v 1.25 >= 1: +, v .25, n1 | 1: v 2 == theta: + (>=), v 0, n1   | -1: v -.5
     *  2 | -.5: v -.25                    | 1: v 1                             | -1: v -1.5 <= -1 but net 0: no spike
     *  3 | -1: v -1.25 <= -1: -, v -.25,  | 1: v 2: +, v 0, net 2              | 3: v 1.5: +, v .5, net 1
     *    |   net 0                        |                                    |
     *  4 | -.5: v -.75                    | -3: v -3: -, v -1, net 1           | 0: v .5
     *  5 | -1: v -1.75, net 0: no spike   | -2: v -3: -, v -1, net 0           | -2: v -1.5: -, v -.5, net 0
     *  6 | .25: v -1.5                    | -1: v -2 <= -2, net 0: no spike    | .5: v 0
     * </pre>
     * Events per timestep: [0 2], [], [1 2 4], [3], [3 5], []. Spike events 2, 4, 2; net 0 for all
     * three, so sent = 0 at the end. A negative spike only ever undoes an earlier positive one.
     */
    @Test
    void chargeFireResetTraceWithMemory() {
        SignedLayer layer = new SignedLayer(new float[] {1f, 2f, 1f}, new float[] {0.5f, 1f, 0.5f});
        assertEquals(2, layer.levels());
        layer.beginControlStep();
        float[][] z = {{0.75f, 1f, -1f}, {-0.5f, 1f, -1f}, {-1f, 1f, 3f}, {-0.5f, -3f, 0f}, {-1f, -2f, -2f},
            {0.25f, -1f, 0.5f}};
        float[][] expectV = {{0.25f, 0f, -0.5f}, {-0.25f, 1f, -1.5f}, {-0.25f, 0f, 0.5f}, {-0.75f, -1f, 0.5f},
            {-1.75f, -1f, -0.5f}, {-1.5f, -2f, 0f}};
        int[][] expectEvents = {{0, 2}, {}, {1, 2, 4}, {3}, {3, 5}, {}};
        int[][] expectNet = {{1, 1, 0}, {1, 1, 0}, {0, 2, 1}, {0, 1, 1}, {0, 0, 0}, {0, 0, 0}};
        float[][] expectSent = {{1f, 2f, 0f}, {1f, 2f, 0f}, {0f, 4f, 1f}, {0f, 2f, 1f}, {0f, 0f, 0f}, {0f, 0f, 0f}};
        int[] events = new int[6];
        for (int t = 0; t < z.length; t++) {
            int fired = layer.step(z[t], events);
            String at = " at t=" + (t + 1);
            assertArrayEquals(expectV[t], layer.membrane(), "membrane" + at);
            assertEquals(expectEvents[t].length, fired, "events" + at);
            for (int k = 0; k < fired; k++) {
                assertEquals(expectEvents[t][k], events[k], "event " + k + at);
            }
            assertArrayEquals(expectNet[t], layer.netSpikes(), "net" + at);
            assertArrayEquals(expectSent[t], layer.sent(), "sent" + at);
        }
        assertArrayEquals(new int[] {2, 4, 2}, layer.spikeCounts());
        float[] emitted = new float[3];
        layer.emitted(emitted);
        assertArrayEquals(new float[3], emitted);
    }

    /**
     * Two control steps of T = 3 with alpha = 0.75, theta = [1, 1, 4, 1], v0 = theta/2 = [.5, .5, 2, .5].
     * <pre>
     * step 1, from v0:
     *  n0, z = .75:  1.25: +, v .25 | 1.0: +, v 0 | .75.  net 2, sent 2
     *     d = .25, lo = -2 -> m = .25, r = .1875 (inside +-.5) -> v_init .6875
     *  n1, z = 1, -3, 0:  1.5: +, v .5 | -2.5: -, v -1.5 | -1.5 (net 0: no spike).  net 0, sent 0
     *     d = -2, lo = -0 -> m = -0, r = -0 -> v_init .5: no negative residual without net output
     *  n2, z = 10 (saturated):  12: +, 8 | 18: +, 14 | 24: +, 20.  net 3, sent 12
     *     d = 18, r = 13.5, clipped to theta/2 = 2 -> v_init 4
     *  n3, z = 1.5, 1.5, -4:  2: +, v 1 | 2.5: +, v 1.5 | -2.5: -, v -1.5.  net 1, sent 1
     *     d = -2, lo = -1 -> m = -1, r = -.75, clipped to -.5 -> v_init 0
     *  events per timestep [0 2 4 6], [0 3 4 6], [4 7]; 2 + 2 + 3 + 3 = 10
     * step 2, v_init = [.6875, .5, 4, 0], same inputs:
     *  n0: 1.4375: +, .4375 | 1.1875: +, .1875 | .9375.  d = .25 -> v_init .6875
     *  n1: as step 1 -> v_init .5
     *  n2: 14: +, 10 | 20: +, 16 | 26: +, 22.  d = 18 -> 2 -> v_init 4
     *  n3: 1.5: +, .5 | 2: +, 1 | -3: -, -2.  net 1, d = -2, lo = -1 -> -.75 -> -.5 -> v_init 0
     * </pre>
     * Then an episode reset puts every v_init back to v0.
     */
    @Test
    void crossStepResidualWithClipAndEpisodeReset() {
        float[] theta = {1f, 1f, 4f, 1f};
        float[] v0 = {0.5f, 0.5f, 2f, 0.5f};
        SignedLayer layer = new SignedLayer(theta, v0);
        float[][] z = {{0.75f, 1f, 10f, 1.5f}, {0.75f, -3f, 10f, 1.5f}, {0.75f, 0f, 10f, -4f}};
        int[][] expectEvents = {{0, 2, 4, 6}, {0, 3, 4, 6}, {4, 7}};
        int[] events = new int[8];

        layer.beginControlStep();
        for (int t = 0; t < z.length; t++) {
            int fired = layer.step(z[t], events);
            assertEquals(expectEvents[t].length, fired, "events at t=" + (t + 1));
            for (int k = 0; k < fired; k++) {
                assertEquals(expectEvents[t][k], events[k], "event " + k + " at t=" + (t + 1));
            }
        }
        assertArrayEquals(new float[] {0.75f, -1.5f, 20f, -1.5f}, layer.membrane());
        assertArrayEquals(new int[] {2, 2, 3, 3}, layer.spikeCounts());
        assertArrayEquals(new int[] {2, 0, 3, 1}, layer.netSpikes());
        assertArrayEquals(new float[] {2f, 0f, 12f, 1f}, layer.sent());
        assertEquals(10, layer.endControlStep(0.75f));
        assertArrayEquals(new float[] {0.6875f, 0.5f, 4f, 0f}, layer.initialPotential());

        layer.beginControlStep();
        assertArrayEquals(new float[] {0.6875f, 0.5f, 4f, 0f}, layer.membrane(), "step 2 starts at v_init");
        assertArrayEquals(new int[4], layer.spikeCounts(), "counters zeroed");
        assertArrayEquals(new int[4], layer.netSpikes(), "net zeroed");
        assertArrayEquals(new float[4], layer.sent(), "sent zeroed: a control step never undoes an earlier one");
        for (int t = 0; t < z.length; t++) {
            int fired = layer.step(z[t], events);
            assertEquals(expectEvents[t].length, fired, "events at t=" + (t + 1));
            for (int k = 0; k < fired; k++) {
                assertEquals(expectEvents[t][k], events[k], "event " + k + " at t=" + (t + 1));
            }
        }
        assertArrayEquals(new float[] {0.9375f, -1.5f, 22f, -2f}, layer.membrane());
        assertEquals(10, layer.endControlStep(0.75f));
        assertArrayEquals(new float[] {0.6875f, 0.5f, 4f, 0f}, layer.initialPotential());

        layer.resetEpisode();
        assertArrayEquals(v0, layer.initialPotential());
        layer.beginControlStep();
        assertArrayEquals(v0, layer.membrane(), "episode start: r = 0");
    }

    /** alpha = 0: the next control step starts from v0. */
    @Test
    void alphaZeroKeepsNoResidual() {
        float[] v0 = {0.5f, 2f};
        SignedLayer layer = new SignedLayer(new float[] {1f, 4f}, v0);
        int[] events = new int[4];
        layer.beginControlStep();
        assertEquals(1, layer.step(new float[] {0.875f, -3f}, events));
        assertEquals(0, events[0]);
        assertArrayEquals(new float[] {0.375f, -1f}, layer.membrane());
        assertEquals(1, layer.endControlStep(0f));
        assertArrayEquals(v0, layer.initialPotential());
    }

    /**
     * Three positive then three negative spikes bring the net output back to exactly zero, so a
     * fourth fall to {@code -theta} emits nothing. theta = 0x1.d3e452p-1 (about 0.91385), v0 = 0,
     * z = theta three times, then -theta four times: every v is 0 or +-theta, exact. A float
     * accumulator {@code sent += s} would read ((theta + theta + theta) - theta - theta) - theta
     * = 2^-23 > 0 here (3 theta rounds) and let a neuron with zero net output fire a fourth,
     * negative spike; {@code sent = theta * net} is 0.
     */
    @Test
    void netOutputReturnsExactlyToZero() {
        float theta = 0x1.d3e452p-1f;
        float acc = theta + theta + theta - theta - theta - theta;
        assertEquals(0x1p-23f, acc, "the float accumulator this layer does not use");
        SignedLayer layer = new SignedLayer(new float[] {theta}, new float[] {0f});
        int[] events = new int[2];
        layer.beginControlStep();
        for (int t = 0; t < 3; t++) {
            assertEquals(1, layer.step(new float[] {theta}, events));
            assertEquals(0, events[0]);
            assertEquals(0f, layer.membrane()[0]);
        }
        assertEquals(3, layer.netSpikes()[0]);
        assertEquals(theta * 3, layer.sent()[0]);
        for (int t = 0; t < 3; t++) {
            assertEquals(1, layer.step(new float[] {-theta}, events));
            assertEquals(1, events[0]);
            assertEquals(0f, layer.membrane()[0]);
        }
        assertEquals(0, layer.netSpikes()[0]);
        assertEquals(0f, layer.sent()[0]);
        assertEquals(0, layer.step(new float[] {-theta}, events), "net 0: no negative spike");
        assertEquals(-theta, layer.membrane()[0]);
        assertArrayEquals(new int[] {6}, layer.spikeCounts());
    }
}
