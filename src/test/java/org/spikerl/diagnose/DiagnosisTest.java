package org.spikerl.diagnose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.control.Controller;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;
import org.spikerl.testing.LoopEnv;

/**
 * The three views of {@link Diagnosis} on a network whose rates can be counted by hand.
 *
 * <p>The network: 2-2-2-1, layers 1 and 2 the identity without bias, output {@code y = h2_0 + h2_1},
 * identity head; thresholds 1 everywhere, T = 4, t0 = 0, v0 = 1/2, alpha = 1/2. An input {@code a = k/4}
 * ({@code k = 0..4}) held for four timesteps from {@code v = .5} fires exactly {@code k} times and ends at
 * {@code v = .5} ({@code .25: .75 | 1.0 | 1.25 f .25 | .5}; {@code .5: 1.0 | 1.5 f | 1.0 | 1.5 f};
 * {@code .75: 1.25 f | 1.0 | 1.75 f | 1.5 f}; {@code 1: f f f f}; {@code v > theta} is strict and
 * every value is exact in float32), so the residual {@code alpha (v_end - v_init)} is 0, and a negative
 * input never fires (residual {@code alpha max(d, 0) = 0}). Layer 2 receives {@code theta W = 1} per
 * layer-1 spike, so from {@code v = .5} it fires exactly when layer 1 does. Rates thus equal
 * {@code ReLU(z)} exactly in both layers, and the SNN's action equals the ANN's, for every input
 * whose entries are multiples of 1/4 in [-1, 1].
 */
class DiagnosisTest {
    private static final Actor ACTOR = new Actor(List.of(
            SyntheticActors.layer(new float[][] {{1f, 0f}, {0f, 1f}}, new float[] {0f, 0f}),
            SyntheticActors.layer(new float[][] {{1f, 0f}, {0f, 1f}}, new float[] {0f, 0f}),
            SyntheticActors.layer(new float[][] {{1f, 1f}}, new float[] {0f})),
            null, SyntheticActors.wideClip(1), "exact quarters");

    private static SpikingActor exact() {
        return new SpikingActor(ACTOR, NeuronPlan.IF, new float[][] {{1f, 1f}, {1f, 1f}}, null, 4, 0, 0.5, 0.5);
    }

    /** The same network with layer 1's SNN biases raised by 1/4: its rates are ReLU(o + 1/4), not ReLU(o). */
    private static SpikingActor shifted() {
        return new SpikingActor(ACTOR, NeuronPlan.IF, new float[][] {{1f, 1f}, {1f, 1f}},
                new float[][] {{0.25f, 0.25f}, {0f, 0f}}, 4, 0, 0.5, 0.5);
    }

    /**
     * States [.25, 1], [-.5, .75], [.5, 0]: layer 1 fires 1 + 4, 0 + 3, 2 + 0 = 10 times in 3 states,
     * 10 / (2 neurons * 4 timesteps * 3 states) = 5/12 events per neuron and timestep; layer 2 the same.
     */
    @Test
    void layerErrorsAreZeroWhenRatesEqualTheActivations() {
        CalibrationSet set = CalibrationSet.observe(ACTOR, new double[][] {{0.25, 1}, {-0.5, 0.75}, {0.5, 0}});
        List<Diagnosis.LayerError> errors = Diagnosis.layerErrors(exact(), set, 3);
        assertEquals(2, errors.size());
        for (int l = 0; l < 2; l++) {
            Diagnosis.LayerError e = errors.get(l);
            assertEquals(l + 1, e.layer());
            assertEquals("if", e.neuron());
            assertEquals(2, e.neurons());
            assertEquals(0.0, e.meanAbsError(), 0.0);
            assertEquals(0.0, e.rmse(), 0.0);
            assertEquals(0.0, e.meanSignedError(), 0.0);
            assertEquals(0.0, e.relativeError(), 0.0);
            assertEquals(5.0 / 12, e.eventsPerNeuronTimestep(), 1e-12);
        }
    }

    /**
     * One state [.3, .6]: layer 1 fires once (.8 | 1.1 f .1 | .4 | .7) and twice (1.1 f .1 | .7 | 1.3 f .3 | .9):
     * rates .25, .5 against .3, .6: errors -.05, -.1. Layer 2 fires with layer 1 and its targets are
     * ReLU(h1) = .3, .6: the same errors.
     * <pre>
     *   mean |e| = .075,  RMSE = sqrt((.0025 + .01) / 2) = sqrt(.00625) = .0790569,  mean e = -.075,
     *   relative = .15 / .9 = 1/6,  events = 3 / (2 * 4) = .375
     * </pre>
     */
    @Test
    void layerErrorsByHand() {
        CalibrationSet set = CalibrationSet.observe(ACTOR, new double[][] {{0.3, 0.6}});
        for (Diagnosis.LayerError e : Diagnosis.layerErrors(exact(), set, 1)) {
            assertEquals(0.075, e.meanAbsError(), 1e-7);
            assertEquals(Math.sqrt(0.00625), e.rmse(), 1e-7);
            assertEquals(-0.075, e.meanSignedError(), 1e-7);
            assertEquals(1.0 / 6, e.relativeError(), 1e-7);
            assertEquals(0.375, e.eventsPerNeuronTimestep(), 1e-12);
        }
    }

    /** {@code states} caps the replay: the first state only, of a set whose second state is off the grid. */
    @Test
    void layerErrorsReplayOnlyTheFirstStates() {
        CalibrationSet set = CalibrationSet.observe(ACTOR, new double[][] {{0.25, 1}, {0.3, 0.6}});
        assertEquals(0.0, Diagnosis.layerErrors(exact(), set, 1).get(0).meanAbsError(), 0.0);
        assertEquals(0.075 / 2, Diagnosis.layerErrors(exact(), set, 2).get(0).meanAbsError(), 1e-7);
        assertEquals(0.075 / 2, Diagnosis.layerErrors(exact(), set, 99).get(0).meanAbsError(), 1e-7);
    }

    /**
     * Along [.25, 1], [1, -.25], [.3, .6]: the first two agree exactly (actions 1.25 and 1); at the
     * third the ANN gives .3 + .6 = .9 and the SNN (1 + 2 spikes) / 4 = .75: error .15. The residual
     * of the first two states is 0, so the third starts at v0, as counted.
     */
    @Test
    void actionErrorsAlongATrajectory() {
        double[] e = Diagnosis.actionErrors(exact(), new double[][] {{0.25, 1}, {1, -0.25}, {0.3, 0.6}});
        assertEquals(3, e.length);
        assertEquals(0.0, e[0], 0.0);
        assertEquals(0.0, e[1], 0.0);
        assertEquals(0.15, e[2], 1e-6);
        double[] agree = Diagnosis.actionErrors(exact(), new double[][] {{0, 0}, {0.75, 0.5}, {-1, 1}, {0.5, 0.25}});
        assertArrayEquals(new double[4], agree, 0.0);
        // The shifted network: at [.25, .25] the SNN gives (2 + 2) / 4 = 1, the ANN .5.
        assertEquals(0.5, Diagnosis.actionErrors(shifted(), new double[][] {{0.25, 0.25}})[0], 1e-7);
    }

    /**
     * Closed loop on {@link LoopEnv} with quarter steps: every observation is a multiple of 1/4 in
     * [-1, 1], so the exact network acts as the ANN at every step and the two episodes never part.
     */
    @Test
    void identicalControllersNeverPart() {
        LoopEnv env = new LoopEnv(2, 6, 0.25);
        Diagnosis.Divergence d = Diagnosis.divergence(env, exact(), 1000, 0.05);
        assertEquals(-1, d.partStep());
        assertEquals(6, d.gap().length);
        assertArrayEquals(new double[6], d.gap(), 0.0);
        assertEquals(d.annReturn(), d.snnReturn(), 0.0);
        assertEquals(6, d.annLength());
        assertEquals(6, d.snnLength());
        assertFalse(d.annTerminated() || d.snnTerminated());
        assertEquals(1000, d.seed());
        assertEquals(List.of(1000L, 1000L), env.resetSeeds, "one reset per controller, slot 0 only, with the seed");
    }

    /**
     * Seed 1000 starts at [(0 + 1)/4, 1/4] = [.25, .25]. ANN action .5, shifted SNN 1 (above). Next state:
     * ANN x0' = Q(.5 - 1 + .125) = Q(-.375) = -.25 (round(-1.5) = -1), SNN x0' = Q(.125) = .25; both
     * x1' = Q(.125 + .25) = .5. Gap at step 1 = |.25 - -.25| / (1 + ||(-.25, .5)||) = .5 / (1 + .559017)
     * = .320715 > .05: parted at step 1; step 0 (the reset observation) has gap 0.
     */
    @Test
    void differentControllersPartWhereTheirObservationsDo() {
        Diagnosis.Divergence d = Diagnosis.divergence(new LoopEnv(1, 6, 0.25), shifted(), 1000, 0.05);
        assertEquals(1, d.partStep());
        assertEquals(0.0, d.gap()[0], 0.0);
        assertEquals(0.5 / (1 + Math.sqrt(0.0625 + 0.25)), d.gap()[1], 1e-9);
        assertTrue(d.snnReturn() != d.annReturn());
        assertEquals(-1, Diagnosis.divergence(new LoopEnv(1, 6, 0.25), shifted(), 1000, 10.0).partStep(),
                "a tolerance above every gap: never parted");
    }

    /** {@code record}: the observations acted on (reset observation first, the final one not), return and end. */
    @Test
    void recordKeepsTheActedOnObservations() {
        Diagnosis.Trajectory t = Diagnosis.record(new LoopEnv(1, 3, 0.25), new AnnController(ACTOR), 1001);
        // seed 1001: [(1 + 1)/4, 2/4] = [.5, .5]; a = 1 -> x0' = Q(1 - 1 + .25) = .25, x1' = Q(.25 + .25) = .5
        assertEquals(3, t.length());
        assertArrayEquals(new double[] {0.5, 0.5}, t.observations().get(0), 0.0);
        assertArrayEquals(new double[] {0.25, 0.5}, t.observations().get(1), 0.0);
        assertFalse(t.terminated());
        // rewards 1 - |a - .5|: a = 1 (.5), then a = .75 (.75), then [Q(.75 - 1 + .25), Q(.125 + .25)] = [0, .5]: a = .5 (1)
        assertArrayEquals(new double[] {0, 0.5}, t.observations().get(2), 0.0);
        assertEquals(0.5 + 0.75 + 1.0, t.ret(), 1e-12);
    }

    /**
     * The one-slot loop {@code record} had of its own before it ran on {@link EpisodeRunner}: step
     * slot 0 from its reset until it ends, keeping each observation acted on and summing rewards.
     */
    private static Diagnosis.Trajectory formerRecord(VectorEnv env, Controller c, long seed) {
        int k = env.size();
        int obs = env.spec().observationSpace().size();
        int act = env.spec().actionSpace().size();
        boolean[] mask = new boolean[k];
        mask[0] = true;
        long[] seeds = new long[k];
        seeds[0] = seed;
        double[] flatObs = new double[k * obs];
        double[] flatAct = new double[k * act];
        double[] o = new double[obs];
        double[] a = new double[act];
        StepBatch batch = new StepBatch(k, obs);
        env.reset(mask, seeds, flatObs);
        Controller ctl = c.copy();
        ctl.reset();
        List<double[]> seen = new ArrayList<>();
        double ret = 0;
        while (true) {
            System.arraycopy(flatObs, 0, o, 0, obs);
            seen.add(o.clone());
            ctl.act(o, a);
            System.arraycopy(a, 0, flatAct, 0, act);
            env.step(mask, flatAct, batch);
            ret += batch.rewards[0];
            System.arraycopy(batch.observations, 0, flatObs, 0, obs);
            if (batch.terminated[0] || batch.truncated[0]) {
                return new Diagnosis.Trajectory(seen, ret, batch.terminated[0]);
            }
        }
    }

    /** On the episode loop, {@code record} gives what its former loop gave: observations, return and end, bit for bit. */
    @Test
    void recordOnTheEpisodeLoopEqualsItsFormerLoop() {
        for (Controller c : List.of(new AnnController(ACTOR), new SnnController(shifted()), new SnnController(exact()))) {
            for (long seed : new long[] {1000, 1001, 1003}) {
                Diagnosis.Trajectory now = Diagnosis.record(new LoopEnv(3, 7, 0.25), c, seed);
                Diagnosis.Trajectory then = formerRecord(new LoopEnv(3, 7, 0.25), c, seed);
                assertEquals(then.length(), now.length());
                for (int i = 0; i < then.length(); i++) {
                    assertArrayEquals(then.observations().get(i), now.observations().get(i), 0.0, "step " + i);
                }
                assertEquals(Double.doubleToLongBits(then.ret()), Double.doubleToLongBits(now.ret()));
                assertEquals(then.terminated(), now.terminated());
            }
        }
    }
}
