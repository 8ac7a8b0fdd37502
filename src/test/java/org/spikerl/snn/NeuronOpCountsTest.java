package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.energy.OpCounts;

/**
 * SPEC sections 7 and 10, counting: every spike event, of any level or sign, is one SOP per
 * outgoing synapse; neuron updates are {@code firing timesteps * hidden neurons * comparisons} (N for
 * mt:N, 2 for signed, 1 for IF; T firing timesteps, T / P for mt:N@P). Hand-traced 1-2-2-1 networks, identity norm, head = identity (wide clip),
 * alpha = 0, v0 = half the smallest threshold; all values binary fractions, so exact.
 */
class NeuronOpCountsTest {

    /**
     * mt:2, T = 3, t0 = 1. Events {@code j * 2 + k}, level k carries theta / 2^k.
     * <pre>
     * layer 1: W1 = [1; .5], b1 = [.5, 0], o = 1 -> z1 = [1.5, .5]; theta1 = [1, 1]: lambda 1, .5; v0 .25
     *   n0: m1 = .25 + 1.5 = 1.75: 1 -> .75, .5 -> .25: e0 e1, v = 1.75 - 1.5 = .25; the same every t
     *   n1: m1 = .25 + .5 = .75: .5 -> e3, v .25; the same every t
     *   events [0 1 3] at every t: 9 in all (neuron 0 two levels per timestep)
     * layer 2: W2 = [[1, -1], [.5, 1]], b2 = [0, -.5]; theta2 = [1, 2]: lambda [1, .5], [2, 1]; v0 [.25, .5]
     *   rows: e0 = 1 * W2[:,0] = [1, .5], e1 = .5 * W2[:,0] = [.5, .25], e3 = .5 * W2[:,1] = [-.5, .5]
     *   z2 = b2 + e0 + e1 + e3 = [1, .75] at every t
     *   n0: m1 1.25: 1 -> e0, .25 < .5; v .25 (every t)
     *   n1: t1 m1 1.25: 1 -> e3, v .25 | t2 m1 1.0: e3, v 0 | t3 m1 .75: none, v .75
     *   events [0 3], [0 3], [0]: 5 in all
     * output: W3 = [2, 1], b3 = .5; rows e0 = 1 * 2 = 2, e3 = 1 * 1 = 1; only t > t0 = 1:
     *   t2 {0, 3}: y = .5 + 2 + 1 = 3.5;  t3 {0}: y = 2.5  ->  y_bar = 3
     * counts: MACs 1 * 2 = 2
     *   SOPs = layer 2: 3 events * 2 outputs * 3 timesteps = 18; output: (2 + 1) * 1 = 3; total 21
     *   neuron updates = T 3 * 4 hidden neurons * 2 comparisons = 24
     *   spike events: layer 1 = 9, layer 2 = 5; rates 9 / (2 * 3) = 1.5, 5 / 6
     * </pre>
     */
    @Test
    void multiThresholdTwoCounts() {
        SnnController snn = new SnnController(tinyMultiThreshold(0.0));
        double[] action = new double[1];
        snn.act(new double[] {1.0}, action);

        assertArrayEquals(new int[] {6, 3}, snn.layer(0).spikeCounts());
        assertArrayEquals(new int[] {3, 2}, snn.layer(1).spikeCounts());
        assertArrayEquals(new float[] {0.25f, 0.25f}, snn.layer(0).membrane());
        assertArrayEquals(new float[] {0.25f, 0.75f}, snn.layer(1).membrane());
        assertEquals(3f, snn.readout()[0]);
        assertEquals(3.0, action[0]);
        OpCounts c = snn.counts();
        assertEquals(2, c.macs());
        assertEquals(21, c.sops());
        assertEquals(24, c.neuronUpdates());
        assertEquals(1.5, c.spikeRate(0), 1e-12);
        assertEquals(5.0 / 6.0, c.spikeRate(1), 1e-12);

        snn.act(new double[] {1.0}, action);
        assertEquals(3.0, action[0], "alpha = 0: the second step repeats the first");
        assertEquals(42, c.sops());
        assertEquals(48, c.neuronUpdates());
    }

    /**
     * {@code mt:2@2,mt:2} (layer 1 fires every second timestep), the weights of
     * {@link #multiThresholdTwoCounts}, T = 4, t0 = 0.
     * <pre>
     * layer 1: z1 = [1.5, .5], lambda 1, .5, v0 .25; t1 and t3 charge only
     *   n0: t1 v 1.75 | t2 m1 3.25: e0 e1, x 1.5, v 1.75 | t3 v 3.25 | t4 m1 4.75: e0 e1, v 3.25
     *   n1: t1 v .75  | t2 m1 1.25: 1 -> e2, .25 < .5; v .25 | t3 v .75 | t4 m1 1.25: e2, v .25
     *   events [], [0 1 2], [], [0 1 2]: 6
     * layer 2 (every timestep): rows e0 = [1, .5], e1 = [.5, .25], e2 = 1 * W2[:,1] = [-1, 1]
     *   z2 = b2 = [0, -.5] at t1, t3; b2 + e0 + e1 + e2 = [.5, 1.25] at t2, t4
     *   n0 (lambda 1, .5; v0 .25): t1 .25 | t2 m1 .75: e1, v .25 | t3 .25 | t4 e1, v .25
     *   n1 (lambda 2, 1; v0 .5):   t1 0   | t2 m1 1.25: e3, v .25 | t3 -.25 | t4 m1 1.0: e3, v 0
     *   events [], [1 3], [], [1 3]: 4
     * output: rows e1 = .5 * 2 = 1, e3 = 1 * 1 = 1; y = .5, 2.5, .5, 2.5 -> y_bar 1.5
     * counts: MACs 2; SOPs 6 * 2 + 4 * 1 = 16
     *   neuron updates = layer 1: 2 neurons * 2 firing timesteps * 2 comparisons = 8, layer 2: 2 * 4 * 2 = 16; 24
     * </pre>
     */
    @Test
    void firingPeriodCountsComparisonsOnlyAtFiringTimesteps() {
        Actor actor = tinyMultiThreshold(0.0).actor();
        SpikingActor net = new SpikingActor(actor, NeuronPlan.parse("mt:2@2,mt:2"), new float[][] {{1f, 1f}, {1f, 2f}},
                null, 4, 0, 0.0, 0.5);
        SnnController snn = new SnnController(net);
        double[] action = new double[1];
        snn.act(new double[] {1.0}, action);

        assertArrayEquals(new int[] {4, 2}, snn.layer(0).spikeCounts());
        assertArrayEquals(new int[] {2, 2}, snn.layer(1).spikeCounts());
        assertArrayEquals(new float[] {3.25f, 0.25f}, snn.layer(0).membrane());
        assertArrayEquals(new float[] {0.25f, 0f}, snn.layer(1).membrane());
        assertEquals(1.5f, snn.readout()[0]);
        OpCounts c = snn.counts();
        assertEquals(2, c.macs());
        assertEquals(16, c.sops());
        assertEquals(24, c.neuronUpdates());
        assertEquals(0.75, c.spikeRate(0), 1e-12);
        assertEquals(0.5, c.spikeRate(1), 1e-12);

        // t0 = 1 would average (1, 4] and divide both periods' output by 3: refused in one line.
        org.spikerl.SpikerlException e = org.junit.jupiter.api.Assertions.assertThrows(org.spikerl.SpikerlException.class,
                () -> new SpikingActor(actor, NeuronPlan.parse("mt:2@2,mt:2"), new float[][] {{1f, 1f}, {1f, 2f}}, null,
                        4, 1, 0.0, 0.5));
        assertEquals("delay t0 = 1 is not a multiple of the firing period 2 of neuron mt:2@2,mt:2: the readout must "
                + "average whole periods (use t0 = 0, 2, ...)", e.getMessage());
    }

    /**
     * signed, T = 4, t0 = 1. Event 2j = positive spike of neuron j, 2j + 1 = negative.
     * <pre>
     * layer 1: W1 = [.5; 2], b1 = [0, 0], o = 1 -> z1 = [.5, 2]; theta1 = [1, 1], v0 .5
     *   n0: v 1.0 >= 1: +, 0 | .5 | 1.0: +, 0 | .5        e0 at t1, t3
     *   n1: 2.5: +, 1.5 | 3.5: +, 2.5 | 4.5 | 5.5: + each t  e2 at every t
     *   events [0 2], [2], [0 2], [2]: 6 in all (a constant input never makes a negative spike)
     * layer 2: W2 = [[2.5, -1.5], [1, .5]], b2 = [0, -1.5]; theta2 = [1, 1], v0 .5
     *   rows: e0 = 1 * W2[:,0] = [2.5, 1], e2 = 1 * W2[:,1] = [-1.5, .5]
     *   z2: t1, t3 {0, 2}: [1, 0];  t2, t4 {2}: [-1.5, -1]
     *   n0: t1 v 1.5: +, .5 | t2 v -1.0 <= -1, net 1: -, v 0 | t3 v 1: +, 0 | t4 v -1.5: -, v -.5
     *   n1: t1 v .5 | t2 -.5 | t3 -.5 | t4 -1.5 <= -1 but net 0: no spike
     *   events [0], [1], [0], [1]: 4 in all, 2 of them negative
     * output: W3 = [2, 1], b3 = .5; rows e0 = +1 * 2 = 2, e1 = -1 * 2 = -2; only t > 1:
     *   t2 {1}: y = .5 - 2 = -1.5;  t3 {0}: y = 2.5;  t4 {1}: y = -1.5  ->  y_bar = -.5 / 3
     * counts: MACs 2
     *   SOPs = layer 2: (2 + 1 + 2 + 1) events * 2 = 12; output (1 + 1 + 1) * 1 = 3; total 15
     *   (a negative spike costs one SOP per synapse as a positive one)
     *   neuron updates = T 4 * 4 hidden neurons * 2 comparisons = 32
     *   spike events: layer 1 = 6, layer 2 = 4
     * </pre>
     */
    @Test
    void signedCounts() {
        SnnController snn = new SnnController(tinySigned(0.0));
        double[] action = new double[1];
        snn.act(new double[] {1.0}, action);

        assertArrayEquals(new int[] {2, 4}, snn.layer(0).spikeCounts());
        assertArrayEquals(new int[] {4, 0}, snn.layer(1).spikeCounts());
        SignedLayer layer2 = (SignedLayer) snn.layer(1);
        assertArrayEquals(new int[] {0, 0}, layer2.netSpikes(), "neuron 0: two positive, two negative");
        assertArrayEquals(new float[] {-0.5f, -1.5f}, layer2.membrane());
        assertEquals((float) (-0.5 / 3.0), snn.readout()[0]);
        OpCounts c = snn.counts();
        assertEquals(2, c.macs());
        assertEquals(15, c.sops());
        assertEquals(32, c.neuronUpdates());
        assertEquals(6.0 / 8.0, c.spikeRate(0), 1e-12);
        assertEquals(4.0 / 8.0, c.spikeRate(1), 1e-12);
    }

    /**
     * The signed network's weights with IF neurons: one comparison per neuron, so neuron updates =
     * 4 * 4 = 16. Layer 1 as above but strict {@code >}: n0 v = 1.0 (no), 1.5 (fire, .5), 1.0 (no),
     * 1.5 (fire): t2 and t4; n1 fires every t. Events [1], [0 1], [1], [0 1]. Layer 2: z2 = [-1.5, -1]
     * for {1}, [1, 0] for {0, 1}: n0 v = -1, 0, -1.5, -.5 and n1 v = -.5, -.5, -1.5, -1.5: no spike.
     * SOPs = (1 + 2 + 1 + 2) * 2 (layer 2) + 0 (output) = 12; y = b3 = .5 at every read timestep.
     */
    @Test
    void ifNeuronsCountOneComparison() {
        Actor actor = tinySigned(0.0).actor();
        SnnController snn = new SnnController(new SpikingActor(actor, NeuronModel.IF,
                new float[][] {{1f, 1f}, {1f, 1f}}, null, 4, 1, 0.0, 0.5));
        double[] action = new double[1];
        snn.act(new double[] {1.0}, action);
        assertArrayEquals(new int[] {2, 4}, snn.layer(0).spikeCounts());
        assertArrayEquals(new int[] {0, 0}, snn.layer(1).spikeCounts());
        assertArrayEquals(new float[] {-0.5f, -1.5f}, snn.layer(1).membrane());
        assertEquals(12, snn.counts().sops());
        assertEquals(16, snn.counts().neuronUpdates());
        assertEquals(0.5f, snn.readout()[0], "no spikes reach the output: y = b3");
    }

    /** The mt:2 network of {@link #multiThresholdTwoCounts}. */
    static SpikingActor tinyMultiThreshold(double alpha) {
        Actor actor = new Actor(List.of(
                SyntheticActors.layer(new float[][] {{1f}, {0.5f}}, new float[] {0.5f, 0f}),
                SyntheticActors.layer(new float[][] {{1f, -1f}, {0.5f, 1f}}, new float[] {0f, -0.5f}),
                SyntheticActors.layer(new float[][] {{2f, 1f}}, new float[] {0.5f})),
                null, SyntheticActors.wideClip(1), "tiny mt:2");
        return new SpikingActor(actor, NeuronModel.multiThreshold(2), new float[][] {{1f, 1f}, {1f, 2f}}, null, 3, 1,
                alpha, 0.5);
    }

    /** The signed network of {@link #signedCounts}. */
    static SpikingActor tinySigned(double alpha) {
        Actor actor = new Actor(List.of(
                SyntheticActors.layer(new float[][] {{0.5f}, {2f}}, new float[] {0f, 0f}),
                SyntheticActors.layer(new float[][] {{2.5f, -1.5f}, {1f, 0.5f}}, new float[] {0f, -1.5f}),
                SyntheticActors.layer(new float[][] {{2f, 1f}}, new float[] {0.5f})),
                null, SyntheticActors.wideClip(1), "tiny signed");
        return new SpikingActor(actor, NeuronModel.SIGNED, new float[][] {{1f, 1f}, {1f, 1f}}, null, 4, 1, alpha, 0.5);
    }
}
