package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SPEC section 3 (IF step, soft reset) and section 6 (CRPI residual) against hand-computed traces. */
class IfLayerTest {

    /**
     * theta = [1, 2, 0.5], v0 = theta/2 = [0.5, 1, 0.25], constant z = [0.25, -0.5, 1.25]; all
     * values are binary fractions, so float arithmetic is exact.
     * <pre>
     *  t | neuron 0: v += 0.25       | neuron 1: v -= 0.5 | neuron 2: v += 1.25
     *  1 | 0.75                      | 0.5                | 1.5 > 0.5 fire -> 1.0
     *  2 | 1.00 == theta: no spike   | 0.0                | 2.25 fire -> 1.75
     *  3 | 1.25 > 1 fire -> 0.25     | -0.5               | 3.0 fire -> 2.5
     *  4 | 0.50                      | -1.0               | 3.75 fire -> 3.25
     *  5 | 0.75                      | -1.5               | 4.5 fire -> 4.0
     *  6 | 1.00 no spike             | -2.0               | 5.25 fire -> 4.75
     *  7 | 1.25 fire -> 0.25         | -2.5               | 6.0 fire -> 5.5
     * </pre>
     * Neuron 2 shows that one spike per timestep caps the output at theta: the excess piles up in v.
     */
    @Test
    void chargeFireResetTrace() {
        IfLayer layer = new IfLayer(new float[] {1f, 2f, 0.5f}, new float[] {0.5f, 1f, 0.25f}, ResetMode.SUBTRACT);
        layer.beginControlStep();
        float[] z = {0.25f, -0.5f, 1.25f};
        int[] spiked = new int[3];
        float[][] expectV = {
            {0.75f, 0.5f, 1.0f}, {1.0f, 0.0f, 1.75f}, {0.25f, -0.5f, 2.5f}, {0.5f, -1.0f, 3.25f},
            {0.75f, -1.5f, 4.0f}, {1.0f, -2.0f, 4.75f}, {0.25f, -2.5f, 5.5f}};
        int[][] expectSpiked = {{2}, {2}, {0, 2}, {2}, {2}, {2}, {0, 2}};
        for (int t = 0; t < expectV.length; t++) {
            int fired = layer.step(z, spiked);
            assertArrayEquals(expectV[t], layer.membrane(), "membrane at t=" + (t + 1));
            assertEquals(expectSpiked[t].length, fired, "spikes at t=" + (t + 1));
            for (int k = 0; k < fired; k++) {
                assertEquals(expectSpiked[t][k], spiked[k], "spiking neuron " + k + " at t=" + (t + 1));
            }
        }
        assertArrayEquals(new int[] {2, 0, 7}, layer.spikeCounts());
        assertEquals(9, layer.spikesThisStep());
    }

    /**
     * Two control steps of T = 4 with alpha = 0.25, theta = [1, 1, 1, 4, 4], v0 = theta/2, and the same
     * input sequence in both steps:
     * <pre>
     * neuron 0, z = .375 x4.  Step 1 from 0.5: .875, 1.25 fire .25, .625, 1.0 (no). n=1, v_end=1.0.
     *   r = clip(.25 * max(1.0-.5, -1), -.5, .5) = .125 -> v_init = .625.
     *   Step 2 from .625: 1.0 (no), 1.375 fire .375, .75, 1.125 fire .125. n=2.
     *   r = .25 * max(.125-.625, -2) = -.125 -> v_init = .375.
     * neuron 1, z = -1 x4.  v: -.5 .. -3.5, n=0: max(-4, -1*0) = 0 (no spikes, no negative residual)
     *   -> v_init = .5 after both steps.
     * neuron 2, z = 2 x4.   fires every t, step 1: n=4, v_end 4.5, d=4 -> .25*4 = 1 clipped to theta/2 = .5
     *   -> v_init = 1.0; step 2 from 1.0: v_end 5, d=4 -> .5 again -> v_init = 1.0.
     * neuron 3 (theta 4, v0 2), z = 6, 4.5, 4.5, -20. Step 1: 8 fire 4, 8.5 fire 4.5, 9 fire 5, -15. n=3.
     *   d = -17, bound -12 -> m = -12, r = -3 clipped to -theta/2 = -2 -> v_init = 0.
     *   Step 2 from 0: 6 fire 2, 6.5 fire 2.5, 7 fire 3, -17. n=3, d=-17 -> -2 again -> v_init = 0.
     * neuron 4 (theta 4, v0 2), z = 3, -4, 0, 0. Step 1: 5 fire 1, -3, -3, -3. n=1.
     *   d = -5, bound -4 -> m = -4, r = -1 (inside the clip) -> v_init = 1.
     *   Step 2 from 1: 4 (== theta, no), 0, 0, 0. n=0, d=-1, bound 0 -> r = 0 -> v_init = 2.
     * </pre>
     * Then an episode reset puts every v_init back to v0.
     */
    @Test
    void crossStepResidualOverTwoControlSteps() {
        float[] theta = {1f, 1f, 1f, 4f, 4f};
        float[] v0 = {0.5f, 0.5f, 0.5f, 2f, 2f};
        IfLayer layer = new IfLayer(theta, v0, ResetMode.SUBTRACT);
        float[][] z = {
            {0.375f, -1f, 2f, 6f, 3f},
            {0.375f, -1f, 2f, 4.5f, -4f},
            {0.375f, -1f, 2f, 4.5f, 0f},
            {0.375f, -1f, 2f, -20f, 0f}};
        int[] spiked = new int[5];

        layer.beginControlStep();
        for (float[] zt : z) {
            layer.step(zt, spiked);
        }
        assertArrayEquals(new float[] {1.0f, -3.5f, 4.5f, -15f, -3f}, layer.membrane());
        assertArrayEquals(new int[] {1, 0, 4, 3, 1}, layer.spikeCounts());
        assertEquals(9, layer.endControlStep(0.25f));
        assertArrayEquals(new float[] {0.625f, 0.5f, 1.0f, 0f, 1f}, layer.initialPotential());

        layer.beginControlStep();
        assertArrayEquals(new float[] {0.625f, 0.5f, 1.0f, 0f, 1f}, layer.membrane(), "step 2 starts at v_init");
        for (float[] zt : z) {
            layer.step(zt, spiked);
        }
        assertArrayEquals(new float[] {0.125f, -3.5f, 5f, -17f, 0f}, layer.membrane());
        assertArrayEquals(new int[] {2, 0, 4, 3, 0}, layer.spikeCounts());
        assertEquals(9, layer.endControlStep(0.25f));
        assertArrayEquals(new float[] {0.375f, 0.5f, 1.0f, 0f, 2f}, layer.initialPotential());

        layer.resetEpisode();
        layer.beginControlStep();
        assertArrayEquals(v0, layer.membrane(), "episode start: r = 0");
        assertArrayEquals(new int[5], layer.spikeCounts());
    }

    /** alpha = 0 is the plain converter: every control step starts from v0 whatever happened before. */
    @Test
    void alphaZeroKeepsNoResidual() {
        float[] v0 = {0.5f, 2f};
        IfLayer layer = new IfLayer(new float[] {1f, 4f}, v0, ResetMode.SUBTRACT);
        int[] spiked = new int[2];
        layer.beginControlStep();
        layer.step(new float[] {0.875f, -3f}, spiked);
        assertArrayEquals(new float[] {0.375f, -1f}, layer.membrane());
        layer.endControlStep(0f);
        assertArrayEquals(v0, layer.initialPotential());
    }
}
