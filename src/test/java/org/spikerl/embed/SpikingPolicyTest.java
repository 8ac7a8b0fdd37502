package org.spikerl.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.actor.io.Fixtures;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

class SpikingPolicyTest {
    @TempDir
    Path dir;

    /**
     * The CRPI TD3 Hopper-v4 actor, per-neuron max thresholds from 2,000 synthetic (standard
     * normal) observations, T = 8, auto delay, alpha 0.5.
     */
    static SpikingActor hopper() {
        Actor actor = ActorLoader.load(Fixtures.crpiActor("TD3_Hopper-v4_actor"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1, -1}, new double[] {1, 1, 1}));
        double[][] obs = SyntheticActors.observations(51, 2000, 11);
        return Converter.convert(actor, CalibrationSet.observe(actor, obs), ConversionConfig.DEFAULTS.withAlpha(0.5));
    }

    private Path written(SpikingActor net) {
        Path file = dir.resolve("policy.ctrl");
        ControllerFile.write(net, Map.of("actor_sha256", "00ff"), file);
        return file;
    }

    @Test
    void settingsReadBackFromTheFile() throws Exception {
        SpikingActor net = hopper();
        Path file = written(net);
        SpikingPolicy p = SpikingPolicy.load(file);
        assertEquals(11, p.observationSize());
        assertEquals(3, p.actionSize());
        assertEquals(8, p.timesteps());
        assertEquals(net.delay(), p.delay());
        assertEquals(0.5f, p.alpha());
        assertEquals(0.5f, p.v0Fraction());
        assertEquals(NeuronPlan.IF, p.neuron());
        assertEquals(2, p.hiddenLayers());
        assertArrayEquals(net.thresholds(0), p.thresholds(0));
        assertArrayEquals(net.thresholds(1), p.thresholds(1));
        assertEquals(256, p.thresholds(1).length);
        assertThrows(SpikerlException.class, () -> p.thresholds(2));
        assertThrows(SpikerlException.class, () -> p.thresholds(-1));
        assertEquals("00ff", p.provenance().get("actor_sha256"));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                p.sha256());
        assertEquals("snn", p.kind());

        p.thresholds(0)[0] = -5f;
        assertEquals(net.thresholds(0)[0], p.thresholds(0)[0], "thresholds() hands out a copy");
        assertNull(SpikingPolicy.of(net).sha256());
    }

    /** The loaded policy acts exactly like the SNN controller of the network it was written from. */
    @Test
    void actsLikeTheConvertedNetwork() {
        SpikingActor net = hopper();
        SpikingPolicy p = SpikingPolicy.load(written(net));
        SnnController reference = new SnnController(net);
        double[][] obs = SyntheticActors.observations(3, 50, 11);
        double[] expected = new double[3];
        double[] got = new double[3];
        for (double[] o : obs) {
            reference.act(o, expected);
            p.act(o, got);
            assertArrayEquals(expected, got);
        }
        assertEquals(reference.counts().sops(), p.counts().sops());
        assertEquals(50, p.counts().controlSteps());
    }

    /**
     * A file of another neuron model with calibrated biases loads as that model and acts exactly
     * like the network written, SNN biases included.
     */
    @Test
    void multiThresholdAndSignedNetworksWithCalibratedBiasesActLikeTheConvertedNetwork() {
        Actor actor = SyntheticActors.random(61, 6, 24, 16, 2);
        CalibrationSet set = CalibrationSet.observe(actor, SyntheticActors.observations(62, 300, 6));
        for (NeuronModel neuron : List.of(NeuronModel.multiThreshold(3), NeuronModel.SIGNED)) {
            SpikingActor net = Converter.convert(actor, set, ConversionConfig.DEFAULTS.withNeuron(neuron)
                    .withCalibration(BiasCalibration.BIAS));
            assertTrue(net.biasesCalibrated(), "sanity: calibration moved some bias");
            SpikingPolicy p = SpikingPolicy.load(written(net));
            assertEquals(NeuronPlan.uniform(neuron), p.neuron());
            assertTrue(p.network().biasesCalibrated());
            SnnController reference = new SnnController(net);
            double[] expected = new double[2];
            double[] got = new double[2];
            for (double[] o : SyntheticActors.observations(63, 40, 6)) {
                reference.act(o, expected);
                p.act(o, got);
                assertArrayEquals(expected, got, neuron.spec());
            }
            assertEquals(reference.counts().sops(), p.counts().sops());
        }
    }

    /** Bad arrays and failed sensors are refused before the state changes: the next step is as if they never came. */
    @Test
    void badInputIsRefusedWithoutTouchingTheState() {
        SpikingActor net = hopper();
        SpikingPolicy p = SpikingPolicy.of(net);
        SnnController reference = new SnnController(net);
        double[][] obs = SyntheticActors.observations(4, 3, 11);
        double[] a = new double[3];
        double[] r = new double[3];
        p.act(obs[0], a);
        reference.act(obs[0], r);

        SpikerlException e = assertThrows(SpikerlException.class, () -> p.act(new double[10], new double[3]));
        assertEquals("spiking policy act(): got 10 observations and room for 3 actions, expected 11 and 3", e.getMessage());
        assertThrows(SpikerlException.class, () -> p.act(obs[1], new double[2]));
        double[] nan = obs[1].clone();
        nan[4] = Double.NaN;
        e = assertThrows(SpikerlException.class, () -> p.act(nan, a));
        assertEquals("spiking policy act(): observation[4] is NaN, expected a finite number", e.getMessage());
        double[] inf = obs[1].clone();
        inf[0] = Double.NEGATIVE_INFINITY;
        assertThrows(SpikerlException.class, () -> p.act(inf, a));
        assertEquals(1, p.counts().controlSteps());

        p.act(obs[1], a);
        reference.act(obs[1], r);
        assertArrayEquals(r, a, "the residual from step 0 carried over unchanged");
    }

    @Test
    void copyIsIndependentAndShareTheParameters() {
        SpikingPolicy p = SpikingPolicy.load(written(hopper()));
        double[][] obs = SyntheticActors.observations(5, 20, 11);
        double[] a = new double[3];
        for (int k = 0; k < 10; k++) {
            p.act(obs[k], a);
        }
        SpikingPolicy c = p.copy();
        assertSame(p.network(), c.network());
        assertEquals(0, c.counts().controlSteps());
        assertEquals(p.sha256(), c.sha256());

        SpikingPolicy fresh = SpikingPolicy.of(p.network());
        double[] fromCopy = new double[3];
        double[] fromFresh = new double[3];
        double[] fromP = new double[3];
        double[] fromReplay = new double[3];
        SpikingPolicy replay = SpikingPolicy.of(p.network());
        for (int k = 0; k < 10; k++) {
            replay.act(obs[k], fromReplay);
        }
        for (int k = 10; k < 20; k++) {
            c.act(obs[k], fromCopy);
            fresh.act(obs[k], fromFresh);
            assertArrayEquals(fromFresh, fromCopy, "the copy starts a new episode, step " + k);
            p.act(obs[k], fromP);
            replay.act(obs[k], fromReplay);
            assertArrayEquals(fromReplay, fromP, "the original continues its own episode, step " + k);
        }
    }

    /**
     * Energy of the hand-traced 1-2-2-1 network of SnnControllerTest (T = 4, t0 = 1): one control
     * step costs 2 MACs and 18 SOPs.
     * <pre>
     *   horowitz45: 2 * 4.6 + 18 * 0.9   = 25.4 pJ;  ANN: (1*2 + 2*2 + 2*1) = 8 MACs * 4.6 = 36.8 pJ
     *   bu2025:     2 * 25  + 18 * 0.077 = 51.386 pJ; ANN: 8 * 25 = 200 pJ
     * </pre>
     */
    @Test
    void energyPerStepFromTheCounters() {
        SpikingPolicy p = SpikingPolicy.of(tinyNetwork());
        assertEquals(0.0, p.energyPerStepPj(EnergyPreset.HOROWITZ45), "no step counted yet");
        double[] a = new double[1];
        p.act(new double[] {1.0}, a);
        p.reset();
        p.act(new double[] {1.0}, a);
        assertEquals(25.4, p.energyPerStepPj(EnergyPreset.HOROWITZ45), 1e-9);
        assertEquals(51.386, p.energyPerStepPj(EnergyPreset.BU2025), 1e-9);
        assertEquals(36.8, p.annEnergyPerStepPj(EnergyPreset.HOROWITZ45), 1e-9);
        assertEquals(200.0, p.annEnergyPerStepPj(EnergyPreset.BU2025), 1e-9);
        assertEquals(25.4 / 36.8, p.energy(EnergyPreset.HOROWITZ45).ratio(), 1e-12);
        p.counts().clear();
        assertEquals(0.0, p.energyPerStepPj(EnergyPreset.BU2025));
    }

    static SpikingActor tinyNetwork() {
        Actor actor = new Actor(List.of(
                SyntheticActors.layer(new float[][] {{1f}, {0.5f}}, new float[] {0f, 0.25f}),
                SyntheticActors.layer(new float[][] {{1f, -1f}, {0.5f, 0.5f}}, new float[] {0f, -0.25f}),
                SyntheticActors.layer(new float[][] {{2f, 1f}}, new float[] {0.5f})),
                null, SyntheticActors.wideClip(1), "tiny");
        return new SpikingActor(actor, new float[][] {{1f, 1f}, {1f, 0.5f}}, 4, 1, 0.0, 0.5);
    }

    /**
     * Zero bytes allocated per act() (and per reset()) of a Hopper controller loaded from a file,
     * measured with the thread's allocation counter over 20,000 calls after a warm-up that lets
     * the JIT compile act().
     */
    @Test
    void actAllocatesNothing() {
        SpikingPolicy p = SpikingPolicy.load(written(hopper()));
        double[][] obs = SyntheticActors.observations(6, 64, 11);
        double[] action = new double[3];
        int[] k = {0};
        org.spikerl.testing.Allocation.assertNoAllocationPerCall(() -> {
            if ((k[0] % 1000) == 0) {
                p.reset();
            }
            p.act(obs[k[0]++ & 63], action);
        }, "SpikingPolicy.act");
        assertTrue(p.counts().sops() > 0);
    }
}
