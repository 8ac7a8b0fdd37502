package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.diagnose.Diagnosis;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.snn.SpikingActor;

/** Bias calibration of SPEC 10 ([Cal], light mode): a hand-counted case and its properties. */
class BiasCalibrationTest {

    /** The actor of {@link TinyActors#identityFirst} (z_1 = o) with thresholds 1, T = 4, t0 = 0, v0 = theta/2. */
    private static SpikingActor tiny(double alpha) {
        return new SpikingActor(TinyActors.identityFirst(), NeuronPlan.IF, new float[][] {{1f, 1f}, {1f}}, null, 4, 0,
                alpha, 0.5);
    }

    /**
     * Two states, o = [.3, .9] and [.6, .2]; layer 1 is analog z_1 = o, constant over T = 4, IF with theta 1
     * from v = .5, alpha = 0 (each state starts at v0):
     * <pre>
     * neuron 0, a = .3: .8 | 1.1 f .1 | .4 | .7                -> 1 spike, rate .25, rate - a = -.05
     *           a = .6: 1.1 f .1 | .7 | 1.3 f .3 | .9          -> 2 spikes, rate .5,  rate - a = -.10
     *           mean -.075  ->  b = 0 - (-.075) = +.075
     * neuron 1, a = .9: 1.4 f .4 | 1.3 f .3 | 1.2 f .2 | 1.1 f .1 -> 4 spikes, rate 1, rate - a = +.10
     *           a = .2: .7 | .9 | 1.1 f .1 | .3                -> 1 spike, rate .25, rate - a = +.05
     *           mean +.075  ->  b = 0 - .075 = -.075
     * </pre>
     * The mean is taken in double against the float activations (.3f, .6f, ...), so the result is
     * .075 to float precision.
     */
    @Test
    void firstLayerCorrectionByHand() {
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), new double[][] {{0.3, 0.9}, {0.6, 0.2}});
        SpikingActor calibrated = BiasCalibration.BIAS.apply(tiny(0.0), set);
        float[] b = calibrated.biases(0);
        assertEquals(0.075f, b[0], 1e-7f);
        assertEquals(-0.075f, b[1], 1e-7f);
        // Exactly: b = 0 - (float) (mean in double of rate - (double) a).
        assertEquals((float) -((0.25 - 0.3f) + (0.5 - 0.6f)) / 2, b[0]);
        assertEquals((float) -((1.0 - 0.9f) + (0.25 - 0.2f)) / 2, b[1]);
    }

    /**
     * alpha = 1: the residual carries from the first state into the second, as along the recorded trajectory.
     * neuron 0, a = .3: v_end = .7 (above), one spike: r = clip(1 * max(.7 - .5, -1), -.5, .5) = .2;
     * second state a = .6 starts at .7: 1.3 f .3 | .9 | 1.5 f .5 | 1.1 f .1 -> 3 spikes, rate .75, - a = +.15.
     * mean (-.05 + .15) / 2 = .05 -> b = -.05. Neuron 1: a = .9 ends at .1 (v_end - v_init = -.4, 4
     * spikes): r = -.4 -> v_init .1; a = .2: .3 | .5 | .7 | .9 -> 0 spikes, - a = -.2; mean (.1 - .2) / 2 = -.05
     * -> b = +.05.
     */
    @Test
    void firstLayerCorrectionCarriesTheResidualBetweenStates() {
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), new double[][] {{0.3, 0.9}, {0.6, 0.2}});
        float[] b = BiasCalibration.BIAS.apply(tiny(1.0), set).biases(0);
        assertEquals(-0.05f, b[0], 1e-6f);
        assertEquals(0.05f, b[1], 1e-6f);
    }

    private static SpikingActor maxConverted(Actor actor, CalibrationSet set, int t, double alpha) {
        ConversionConfig c = ConversionConfig.DEFAULTS.withTimesteps(t).withDelay(new Delay.Fixed(0)).withAlpha(alpha);
        return Converter.convert(actor, set, c);
    }

    /** On a random 3-16-16-2 actor, calibration shrinks the mean signed rate error of every hidden layer. */
    @Test
    void calibrationReducesTheMeanSignedErrorOfEveryHiddenLayer() {
        Actor actor = SyntheticActors.random(21, 3, 16, 16, 2);
        CalibrationSet set = CalibrationSet.observe(actor, SyntheticActors.observations(22, 400, 3));
        for (NeuronModel n : List.of(NeuronModel.IF, NeuronModel.multiThreshold(2))) {
            for (double alpha : new double[] {0.0, 0.5}) {
                SpikingActor plain = new SpikingActor(actor, n, thresholds(maxConverted(actor, set, 4, alpha)), null, 4,
                        0, alpha, 0.5);
                SpikingActor calibrated = BiasCalibration.BIAS.apply(plain, set);
                List<Diagnosis.LayerError> before = Diagnosis.layerErrors(plain, set, set.size());
                List<Diagnosis.LayerError> after = Diagnosis.layerErrors(calibrated, set, set.size());
                for (int l = 0; l < 2; l++) {
                    double b = Math.abs(before.get(l).meanSignedError());
                    double a = Math.abs(after.get(l).meanSignedError());
                    assertTrue(a < b, n.spec() + " alpha " + alpha + " layer " + (l + 1) + ": " + b + " -> " + a);
                    assertTrue(b > 1e-4, "the uncalibrated network has a bias to remove: " + b);
                }
            }
        }
    }

    private static float[][] thresholds(SpikingActor net) {
        float[][] t = new float[net.hiddenLayers()][];
        for (int l = 0; l < t.length; l++) {
            t[l] = net.thresholds(l);
        }
        return t;
    }

    @Test
    void noneReturnsTheSameNetwork() {
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), TinyActors.FIVE);
        SpikingActor net = tiny(0.5);
        assertSame(net, BiasCalibration.NONE.apply(net, set));
        assertFalse(net.biasesCalibrated());
    }

    /** Only the SNN's biases change: the ANN's, the output layer's and every other parameter stay. */
    @Test
    void annBiasesAndOtherParametersAreUntouched() {
        Actor actor = SyntheticActors.random(31, 3, 8, 8, 2);
        float[][] annBiases = actor.layers().stream().map(d -> d.bias().clone()).toArray(float[][]::new);
        CalibrationSet set = CalibrationSet.observe(actor, SyntheticActors.observations(32, 200, 3));
        SpikingActor plain = maxConverted(actor, set, 4, 0.5);
        SpikingActor calibrated = BiasCalibration.BIAS.apply(plain, set);

        for (int l = 0; l < annBiases.length; l++) {
            assertArrayEquals(annBiases[l], actor.layers().get(l).bias(), "ANN layer " + (l + 1));
            assertArrayEquals(annBiases[l], plain.biases(l), "the input network, layer " + (l + 1));
        }
        assertArrayEquals(annBiases[2], calibrated.biases(2), "the output layer is not calibrated");
        assertFalse(Arrays.equals(annBiases[0], calibrated.biases(0)));
        assertFalse(Arrays.equals(annBiases[1], calibrated.biases(1)));
        assertTrue(calibrated.biasesCalibrated());
        assertFalse(plain.biasesCalibrated());
        assertSame(actor, calibrated.actor());
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(plain.thresholds(l), calibrated.thresholds(l));
            assertArrayEquals(plain.initialPotentials(l), calibrated.initialPotentials(l));
        }
        assertEquals(plain.timesteps(), calibrated.timesteps());
        assertEquals(plain.delay(), calibrated.delay());
        assertEquals(plain.alpha(), calibrated.alpha());
        assertEquals(plain.v0Fraction(), calibrated.v0Fraction());
        assertEquals(plain.neuron(), calibrated.neuron());
    }

    /**
     * Only the first {@link BiasCalibration#SAMPLES} states are replayed: a set with 50 more, very
     * different, states gives the same biases bit for bit as the set cut at SAMPLES. Control: changing
     * a state before SAMPLES does change them.
     */
    @Test
    void onlyTheFirstSamplesStatesAreUsed() {
        Actor actor = SyntheticActors.random(41, 3, 6, 6, 1);
        int n = BiasCalibration.SAMPLES;
        double[][] obs = SyntheticActors.observations(42, n + 50, 3);
        for (int k = n; k < obs.length; k++) {
            Arrays.fill(obs[k], 25.0 * (k % 2 == 0 ? 1 : -1));
        }
        CalibrationSet cut = CalibrationSet.observe(actor, Arrays.copyOf(obs, n));
        CalibrationSet full = CalibrationSet.observe(actor, obs);
        // The same network for both (thresholds from the cut set), so only the replayed states differ.
        SpikingActor net = maxConverted(actor, cut, 4, 0.5);
        SpikingActor a = BiasCalibration.BIAS.apply(net, cut);
        SpikingActor b = BiasCalibration.BIAS.apply(net, full);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(a.biases(l), b.biases(l), "layer " + (l + 1));
        }
        double[][] changed = Arrays.copyOf(obs, n);
        changed[n - 1] = new double[] {25, -25, 25};
        SpikingActor c = BiasCalibration.BIAS.apply(net, CalibrationSet.observe(actor, changed));
        assertNotEquals(Arrays.toString(a.biases(0)), Arrays.toString(c.biases(0)), "state SAMPLES - 1 is used");
    }

    @Test
    void parsesNoneAndBias() {
        assertEquals(BiasCalibration.NONE, BiasCalibration.parse("none"));
        assertEquals(BiasCalibration.BIAS, BiasCalibration.parse(" Bias "));
        for (BiasCalibration c : BiasCalibration.values()) {
            assertEquals(c, BiasCalibration.parse(c.cliName()));
        }
        SpikerlException e = assertThrows(SpikerlException.class, () -> BiasCalibration.parse("weights"));
        assertEquals("calibration \"weights\": expected none or bias", e.getMessage());
        assertThrows(SpikerlException.class, () -> BiasCalibration.parse(null));
    }

    /** Through the converter: a config with calibration bias gives the calibrated network. */
    @Test
    void converterAppliesTheConfigsCalibration() {
        Actor actor = SyntheticActors.random(51, 3, 8, 8, 2);
        CalibrationSet set = CalibrationSet.observe(actor, SyntheticActors.observations(52, 100, 3));
        ConversionConfig c = ConversionConfig.DEFAULTS.withTimesteps(4);
        SpikingActor plain = Converter.convert(actor, set, c);
        SpikingActor viaConfig = Converter.convert(actor, set, c.withCalibration(BiasCalibration.BIAS));
        SpikingActor direct = BiasCalibration.BIAS.apply(plain, set);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(direct.biases(l), viaConfig.biases(l));
        }
        assertTrue(viaConfig.biasesCalibrated());
    }
}
