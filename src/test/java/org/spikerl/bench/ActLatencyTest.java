package org.spikerl.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.actor.io.Fixtures;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.snn.SnnController;

/**
 * The benchmark states outside JMH: they read the input file named by the system property, give
 * each call the next recorded observation (wrapping), and time the documented networks (the
 * actor with the recorded action bounds; the SNN of the default conversion at the benchmarked T).
 */
class ActLatencyTest {
    private static final double[] LOW = {-1, -0.5};
    private static final double[] HIGH = {1, 2};

    @TempDir
    Path dir;

    private double[][] observations;
    private Actor actor;

    @BeforeEach
    void writeInput() {
        Path policy = Fixtures.fixture("statedict_crpi_style.pt");
        Random rnd = new Random(3);
        observations = new double[25][5];
        for (double[] o : observations) {
            for (int i = 0; i < o.length; i++) {
                o[i] = 2 * rnd.nextGaussian();
            }
        }
        Path file = dir.resolve("input.json");
        new LatencyInput("Fake-v0", policy, LOW, HIGH, 0, observations).write(file);
        System.setProperty(LatencyInput.PROPERTY, file.toString());
        actor = ActorLoader.load(policy, ActorLoader.Options.defaults().withActionBounds(LOW, HIGH));
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(LatencyInput.PROPERTY);
    }

    @Test
    void annStateCyclesThroughTheRecordedObservationsInOrder() {
        ActLatency.Ann state = new ActLatency.Ann();
        state.setUp();
        ActLatency bench = new ActLatency();
        Forward reference = new Forward(actor);
        double[] expected = new double[2];
        for (int k = 0; k < 2 * observations.length + 3; k++) {
            double returned = bench.annAct(state);
            reference.act(observations[k % observations.length], expected);
            assertArrayEquals(expected, state.action, 0, "call " + k);
            assertEquals(expected[0], returned, 0);
        }
    }

    @Test
    void snnStateIsTheDefaultConversionAtTheBenchmarkedT() {
        for (int t : new int[] {4, 32}) {
            ActLatency.Snn state = new ActLatency.Snn();
            state.timesteps = t;
            state.setUp();
            assertEquals(t, state.controller.network().timesteps());
            SnnController reference = new SnnController(Converter.convert(actor,
                    CalibrationSet.observe(actor, observations), ConversionConfig.DEFAULTS.withTimesteps(t)));
            assertEquals(reference.network().delay(), state.controller.network().delay(), "t0 at T=" + t);
            for (int l = 0; l < 2; l++) {
                assertArrayEquals(reference.network().thresholds(l), state.controller.network().thresholds(l), 0);
            }
            ActLatency bench = new ActLatency();
            double[] expected = new double[2];
            for (int k = 0; k < observations.length + 5; k++) {
                bench.snnAct(state);
                reference.act(observations[k % observations.length], expected);
                assertArrayEquals(expected, state.action, 0, "T=" + t + " call " + k);
            }
        }
    }

    @Test
    void sampledStateRunsAtTheSampledLatency() {
        ActLatency.SnnSampled state = new ActLatency.SnnSampled();
        state.setUp();
        assertEquals(LatencySettings.SAMPLED_TIMESTEPS, state.controller.network().timesteps());
    }

    /** A delay that does not fit T is lowered to T - 1, or for a periodic plan to the largest whole period below T. */
    @Test
    void delayThatDoesNotFitIsLoweredToWholePeriods() {
        ConversionConfig c = ConversionConfig.DEFAULTS.withDelay(new org.spikerl.convert.Delay.Fixed(6));
        assertEquals(3, ActLatency.spikingActor(actor, observations, 4, c).delay());
        ConversionConfig periodic = c.withNeuron(org.spikerl.snn.NeuronPlan.parse("mt:3@2,mt:6"));
        assertEquals(2, ActLatency.spikingActor(actor, observations, 4, periodic).delay());
        assertEquals(6, ActLatency.spikingActor(actor, observations, 8, periodic).delay());
    }
}
