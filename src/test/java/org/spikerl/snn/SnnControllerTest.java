package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;
import org.spikerl.energy.OpCounts;

class SnnControllerTest {

    /**
     * 1-2-2-1 network, identity norm, head = identity (wide clip), T = 4, t0 = 1, alpha = 0, v0 = theta/2.
     * <pre>
     * layer 1: W1 = [1; .5], b1 = [0, .25], o = 1  ->  z1 = [1, .75]; theta1 = [1, 1], v0 = [.5, .5]
     *   n0: 1.5 f .5 | 1.5 f .5 | 1.5 f .5 | 1.5 f .5          spikes t1 t2 t3 t4
     *   n1: 1.25 f .25 | 1.0 (no) | 1.75 f .75 | 1.5 f .5      spikes t1 t3 t4
     * layer 2: W2 = [[1, -1], [.5, .5]], b2 = [0, -.25]; theta2 = [1, .5], v0 = [.5, .25]
     *   rows: theta1_0 * W2[:,0] = [1, .5], theta1_1 * W2[:,1] = [-1, .5]
     *   t1 {0,1}: z2 = [0, .75]  n0: .5 (no)      n1: 1.0 > .5 f .5
     *   t2 {0}:   z2 = [1, .25]  n0: 1.5 f .5     n1: .75 f .25
     *   t3 {0,1}: z2 = [0, .75]  n0: .5           n1: 1.0 f .5
     *   t4 {0,1}: z2 = [0, .75]  n0: .5           n1: 1.25 f .75
     * output: W3 = [2, 1], b3 = .5; rows: [1*2] = 2, [.5*1] = .5; computed for t > t0 = 1 only
     *   t2 {0,1}: y = .5 + 2 + .5 = 3;  t3 {1}: y = 1;  t4 {1}: y = 1    ->  y_bar = 5/3
     * counts: MACs = 1*2 = 2
     *   SOPs = layer 2: (2 + 1 + 2 + 2) spikes * 2 outputs = 14; output: (2 + 1 + 1) * 1 = 4; total 18
     *   neuron updates = 4 * 4 = 16; spikes: layer 1 = 7, layer 2 = 5
     *   spike rates: 7 / (2 * 4) = .875, 5 / (2 * 4) = .625
     * </pre>
     */
    @Test
    void handTracedTinyNetworkAndItsCounts() {
        SnnController snn = new SnnController(tinyNetwork(0.0));
        double[] action = new double[1];
        snn.act(new double[] {1.0}, action);

        assertArrayEquals(new int[] {4, 3}, snn.layer(0).spikeCounts());
        assertArrayEquals(new int[] {1, 4}, snn.layer(1).spikeCounts());
        assertEquals((float) (5.0 / 3.0), snn.readout()[0]);
        assertEquals((float) (5.0 / 3.0), (float) action[0]);
        OpCounts c = snn.counts();
        assertEquals(1, c.controlSteps());
        assertEquals(2, c.macs());
        assertEquals(18, c.sops());
        assertEquals(16, c.neuronUpdates());
        assertEquals(0.875, c.spikeRate(0), 1e-12);
        assertEquals(0.625, c.spikeRate(1), 1e-12);

        // alpha = 0: the second control step starts from v0 again and repeats the first; counts add up.
        snn.act(new double[] {1.0}, action);
        assertEquals((float) (5.0 / 3.0), (float) action[0]);
        assertEquals(2, c.controlSteps());
        assertEquals(36, c.sops());
        assertEquals(18.0, c.sopsPerStep(), 0.0);
    }

    /**
     * The tiny network read out at delays 0, 1 and 2 at once (its layer-2 spikes, traced above:
     * t1 {1}, t2 {0, 1}, t3 {1}, t4 {1}; y(t) = 1, 3, 1, 1):
     * <pre>
     *   t0 = 0: y_bar = (1 + 3 + 1 + 1) / 4 = 1.5   output SOPs (1 + 2 + 1 + 1) * 1 = 5
     *   t0 = 1: y_bar = (3 + 1 + 1) / 3 = 5/3       output SOPs 4
     *   t0 = 2: y_bar = (1 + 1) / 2 = 1             output SOPs 2
     * </pre>
     * and the counts hold layer 2's 14 SOPs only.
     */
    @Test
    void handTracedTinyNetworkAtSeveralDelays() {
        SnnController snn = new SnnController(tinyNetwork(0.0));
        double[][] actions = new double[3][1];
        long[] outputSops = new long[3];
        snn.actAtDelays(new double[] {1.0}, new int[] {0, 1, 2}, actions, outputSops);

        assertEquals(1.5f, (float) actions[0][0]);
        assertEquals((float) (5.0 / 3.0), (float) actions[1][0]);
        assertEquals(1.0f, (float) actions[2][0]);
        assertArrayEquals(new long[] {5, 4, 2}, outputSops);
        assertEquals(14, snn.counts().sops());
        assertEquals(18, snn.counts().plusSops(outputSops[1]).sops(), "t0 = 1: act()'s count");
        assertEquals(16, snn.counts().neuronUpdates());
        assertArrayEquals(new int[] {1, 4}, snn.layer(1).spikeCounts());
    }

    /**
     * For every neuron kind (IF, graded, signed, a firing period with a graded last layer), with the
     * residual carried over 40 control steps: one replay at several delays gives, bit for bit, the
     * actions and counts of a controller per delay ({@link SpikingActor#withDelay}).
     */
    @Test
    void severalDelaysAtOnceAreEachDelaysOwnControlSteps() {
        Actor actor = SyntheticActors.random(31, 6, 24, 20, 3);
        double[][] obs = SyntheticActors.observations(32, 40, 6);
        SpikingActor base = maxThresholds(actor, obs, 8, 0.5);
        for (String plan : List.of("if", "mt:3", "signed", "mt:3@2,mt:4")) {
            NeuronPlan p = NeuronPlan.parse(plan);
            SpikingActor net = new SpikingActor(actor, p, new float[][] {base.thresholds(0), base.thresholds(1)},
                    null, 8, 0, 0.5, 0.5);
            int[] delays = p.period() == 1 ? new int[] {2, 0, 1} : new int[] {0, 2, 4};
            SnnController fan = new SnnController(net);
            SnnController[] alone = new SnnController[delays.length];
            for (int j = 0; j < delays.length; j++) {
                alone[j] = new SnnController(net.withDelay(delays[j]));
            }
            double[][] actions = new double[delays.length][3];
            double[] expected = new double[3];
            long[] outputSops = new long[delays.length];
            for (int k = 0; k < obs.length; k++) {
                fan.actAtDelays(obs[k], delays, actions, outputSops);
                for (int j = 0; j < delays.length; j++) {
                    alone[j].act(obs[k], expected);
                    assertArrayEquals(expected, actions[j], plan + " delay " + delays[j] + " step " + k);
                }
            }
            for (int j = 0; j < delays.length; j++) {
                OpCounts want = alone[j].counts();
                OpCounts got = fan.counts().plusSops(outputSops[j]);
                String at = plan + " delay " + delays[j];
                assertEquals(want.sops(), got.sops(), at);
                assertEquals(want.macs(), got.macs(), at);
                assertEquals(want.neuronUpdates(), got.neuronUpdates(), at);
                assertEquals(want.controlSteps(), got.controlSteps(), at);
                assertEquals(want.timesteps(), got.timesteps(), at);
                assertArrayEquals(want.spikeRates(), got.spikeRates(), at);
            }
            assertTrue(outputSops[0] != outputSops[1], plan + ": the delays read different windows");
        }
    }

    /**
     * Running hidden layers 1..l alone (bias calibration of layer l) leaves layers 1..l as a whole
     * control step does, step after step with the residual carried: every neuron's emitted output.
     */
    @Test
    void theLowerHiddenLayersAloneAreThoseOfAWholeControlStep() {
        Actor actor = SyntheticActors.random(41, 5, 16, 12, 10, 2);
        double[][] obs = SyntheticActors.observations(42, 30, 5);
        float[] inputs = new float[obs.length * 5];
        for (int k = 0; k < obs.length; k++) {
            for (int i = 0; i < 5; i++) {
                inputs[k * 5 + i] = (float) obs[k][i];
            }
        }
        for (String plan : List.of("if", "mt:2", "signed", "mt:3@2,mt:3@2,mt:4")) {
            SpikingActor net = new SpikingActor(actor, NeuronPlan.parse(plan),
                    new float[][] {SpikingActor.constant(16, 1.5f), SpikingActor.constant(12, 0.8f),
                            SpikingActor.constant(10, 1.1f)}, null, 8, 0, 0.5, 0.5);
            lowerLayersAloneAsWhole(net, inputs, obs.length, plan);
        }
        SpikingActor net = new SpikingActor(actor, NeuronPlan.parse("mt:2"),
                new float[][] {SpikingActor.constant(16, 1.5f), SpikingActor.constant(12, 0.8f),
                        SpikingActor.constant(10, 1.1f)}, null, 8, 1, 0.5, 0.5);
        SnnController snn = new SnnController(net);
        org.spikerl.SpikerlException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.spikerl.SpikerlException.class, () -> snn.hiddenOnInput(inputs, 0, 4));
        assertEquals("snn controller: hidden layers 1..4 asked of a network with 3", e.getMessage());
    }

    private static void lowerLayersAloneAsWhole(SpikingActor net, float[] inputs, int states, String plan) {
        for (int layers = 1; layers <= 3; layers++) {
            SnnController whole = new SnnController(net);
            SnnController lower = new SnnController(net);
            double[] action = new double[2];
            for (int k = 0; k < states; k++) {
                whole.actOnInput(inputs, k * 5, action);
                lower.hiddenOnInput(inputs, k * 5, layers);
                for (int l = 0; l < layers; l++) {
                    float[] want = new float[net.thresholds(l).length];
                    float[] got = new float[want.length];
                    whole.layer(l).emitted(want);
                    lower.layer(l).emitted(got);
                    assertArrayEquals(want, got, plan + ": layers 1.." + layers + ", layer " + (l + 1) + ", step " + k);
                }
            }
        }
    }

    /** A delay outside [0, T) or not a whole number of firing periods is refused in one line. */
    @Test
    void delaysThatDoNotFitAreRefused() {
        SpikingActor net = tinyNetwork(0.0);
        SnnController snn = new SnnController(net);
        double[][] two = new double[2][1];
        org.spikerl.SpikerlException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.spikerl.SpikerlException.class,
                () -> snn.actAtDelays(new double[] {1.0}, new int[] {0, 4}, two, new long[2]));
        assertEquals("spiking actor: delay t0 must be in [0, T) = [0, 4), got 4", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(org.spikerl.SpikerlException.class,
                () -> snn.actAtDelays(new double[] {1.0}, new int[] {0, 1, 2}, two, new long[3]));
        assertEquals("snn controller: 3 delays but room for 2 actions and 3 SOP counts", e.getMessage());
        assertEquals(0, snn.counts().controlSteps(), "refused before the control step");
        Actor actor = SyntheticActors.random(5, 3, 8, 8, 1);
        SpikingActor periodic = new SpikingActor(actor, NeuronPlan.parse("mt:3@2,mt:4"),
                new float[][] {SpikingActor.constant(8, 1f), SpikingActor.constant(8, 1f)}, null, 8, 0, 0.0, 0.5);
        e = org.junit.jupiter.api.Assertions.assertThrows(org.spikerl.SpikerlException.class,
                () -> new SnnController(periodic).actAtDelays(new double[3], new int[] {0, 1}, new double[2][1],
                        new long[2]));
        assertEquals(SpikingActor.delayNotWholePeriods(1, periodic.neuron()), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(org.spikerl.SpikerlException.class, () -> net.withDelay(-1));
        assertEquals("spiking actor: delay t0 must be in [0, T) = [0, 4), got -1", e.getMessage());
        SpikingActor later = net.withDelay(3);
        assertEquals(3, later.delay());
        assertEquals(1, net.delay(), "the original keeps its delay");
        assertEquals(3, later.withAlpha(0.5).delay(), "withAlpha keeps the delay");
        assertEquals(net.thresholds(1)[1], later.thresholds(1)[1]);
    }

    /** The tiny network of {@link #handTracedTinyNetworkAndItsCounts}. */
    static SpikingActor tinyNetwork(double alpha) {
        Actor actor = new Actor(List.of(
                SyntheticActors.layer(new float[][] {{1f}, {0.5f}}, new float[] {0f, 0.25f}),
                SyntheticActors.layer(new float[][] {{1f, -1f}, {0.5f, 0.5f}}, new float[] {0f, -0.25f}),
                SyntheticActors.layer(new float[][] {{2f, 1f}}, new float[] {0.5f})),
                null, SyntheticActors.wideClip(1), "tiny");
        return new SpikingActor(actor, new float[][] {{1f, 1f}, {1f, 0.5f}}, 4, 1, alpha, 0.5);
    }

    /** A copy shares parameters but has its own residual state and counters. */
    @Test
    void copyIsIndependent() {
        Actor actor = SyntheticActors.random(7, 5, 16, 16, 2);
        double[][] obs = SyntheticActors.observations(8, 6, 5);
        SpikingActor net = maxThresholds(actor, obs, 8, 0.5);

        SnnController a = new SnnController(net);
        SnnController reference = new SnnController(net);
        double[] out = new double[2];
        double[] expected = new double[2];
        a.act(obs[0], out);
        reference.act(obs[0], expected);

        SnnController b = a.copy();
        assertEquals(0, b.counts().controlSteps(), "fresh counters");
        // b starts from v0 (fresh state), not from a's residual: it acts like a new controller.
        double[] fromCopy = new double[2];
        double[] fromNew = new double[2];
        b.act(obs[3], fromCopy);
        new SnnController(net).act(obs[3], fromNew);
        assertArrayEquals(fromNew, fromCopy);
        b.act(obs[4], fromCopy);

        // a is untouched by b's steps: it continues exactly like the reference.
        for (int k = 1; k < obs.length; k++) {
            a.act(obs[k], out);
            reference.act(obs[k], expected);
            assertArrayEquals(expected, out, "control step " + k);
        }
        assertEquals(obs.length, a.counts().controlSteps());
        assertEquals(2, b.counts().controlSteps());
        assertEquals("snn", b.kind());
    }

    /** The residual carries across control steps when alpha > 0 and is cleared by reset(). */
    @Test
    void resetClearsTheResidual() {
        Actor actor = SyntheticActors.random(11, 5, 16, 16, 2);
        double[][] obs = SyntheticActors.observations(12, 4, 5);
        SnnController snn = new SnnController(maxThresholds(actor, obs, 8, 1.0));
        double[] first = new double[2];
        double[] again = new double[2];
        snn.act(obs[0], first);
        snn.act(obs[0], again);
        assertNotEquals(first[0], again[0], "residual potential changes the second step");
        snn.reset();
        snn.act(obs[0], again);
        assertArrayEquals(first, again, "after reset the step repeats the episode's first");
    }

    /** No allocation per act() ({@link org.spikerl.testing.Allocation} explains the measurement). */
    @Test
    void actAllocatesNothing() {
        Actor actor = SyntheticActors.random(3, 11, 64, 64, 3);
        double[][] obs = SyntheticActors.observations(4, 50, 11);
        SnnController snn = new SnnController(maxThresholds(actor, obs, 8, 0.5));
        double[] action = new double[3];
        int[] k = {0};
        org.spikerl.testing.Allocation.assertNoAllocationPerCall(
                () -> snn.act(obs[k[0]++ % obs.length], action), "SnnController.act");
    }

    /**
     * Rate coding converges: the mean absolute difference between the SNN's and the ANN's action
     * on the calibration states shrinks as T grows, and is below 1e-3 at T = 1024.
     */
    @Test
    void snnActionConvergesToAnnActionAsTGrows() {
        Actor actor = SyntheticActors.random(21, 8, 48, 48, 3);
        double[][] obs = SyntheticActors.observations(22, 200, 8);
        double e8 = actionError(actor, obs, 8);
        double e32 = actionError(actor, obs, 32);
        double e1024 = actionError(actor, obs, 1024);
        assertTrue(e1024 < 1e-3, "error at T=1024: " + e1024);
        assertTrue(e1024 < e32 && e32 < e8, "errors at T = 8, 32, 1024: " + e8 + ", " + e32 + ", " + e1024);
    }

    private static double actionError(Actor actor, double[][] obs, int timesteps) {
        Forward ann = new Forward(actor);
        SnnController snn = new SnnController(maxThresholds(actor, obs, timesteps, 0.0));
        double[] a = new double[actor.actionSize()];
        double[] s = new double[actor.actionSize()];
        double sum = 0;
        for (double[] o : obs) {
            ann.act(o, a);
            snn.reset();
            snn.act(o, s);
            for (int i = 0; i < a.length; i++) {
                sum += Math.abs(a[i] - s[i]);
            }
        }
        return sum / (obs.length * a.length);
    }

    /** Per-neuron max thresholds over {@code obs} (computed here, independently of the convert package), t0 = 0. */
    static SpikingActor maxThresholds(Actor actor, double[][] obs, int timesteps, double alpha) {
        Forward f = new Forward(actor);
        int hidden = actor.layers().size() - 1;
        float[][] theta = new float[hidden][];
        for (int l = 0; l < hidden; l++) {
            theta[l] = new float[actor.layers().get(l).out()];
        }
        for (double[] o : obs) {
            f.run(o);
            for (int l = 0; l < hidden; l++) {
                float[] z = f.preActivation(l);
                for (int j = 0; j < z.length; j++) {
                    theta[l][j] = Math.max(theta[l][j], z[j]);
                }
            }
        }
        for (float[] t : theta) {
            for (int j = 0; j < t.length; j++) {
                if (t[j] == 0f) {
                    t[j] = 1f;
                }
            }
        }
        return new SpikingActor(actor, theta, timesteps, 0, alpha, 0.5);
    }
}
