package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.convert.ThresholdMethod.Granularity;
import org.spikerl.convert.ThresholdMethod.TAware;
import org.spikerl.snn.IfLayer;
import org.spikerl.snn.MultiThresholdLayer;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.snn.ResetMode;

/** The quantiser model of SPEC 10's T-aware threshold and the {@code taware} method; numbers by hand in comments. */
class QuantiserTest {

    /** {@code sum over a of (a - q(a; V))^2}: the quantity {@code taware} minimises. */
    private static double error(float[] a, Quantiser q, double v) {
        double e = 0;
        for (float x : a) {
            double d = x - q.quantise(x, v);
            e += d * d;
        }
        return e;
    }

    /**
     * {@code q(a; V) = (V / S) clip(floor(a S / V + f), 0, Q)}.
     * <pre>
     * IF, T = 4, f = .5 (S = Q = 4):  a = .3, V = 1: floor(1.2 + .5) = 1 -> .25
     *                                 a = .9, V = 1: floor(3.6 + .5) = 4 -> 1.0
     *                                 a = 2,  V = 1: floor(8.5) = 8, clipped to 4 -> 1.0
     *                                 a = -1, V = 1: floor(-3.5) = -4, clipped to 0 -> 0
     *                                 a = .3, V = 2: floor(.6 + .5) = 1 -> .5
     * f = 0 (SPEC's floor):           a = .3, V = 1: floor(1.2) = 1 -> .25;  a = .9: floor(3.6) = 3 -> .75
     * </pre>
     */
    @Test
    void quantiseRoundsWithTheOffsetAndClips() {
        Quantiser half = Quantiser.of(NeuronModel.IF, 4, 0.5);
        assertEquals(new Quantiser(4, 4, 0.5), half);
        assertEquals(0.25, half.quantise(0.3, 1.0), 1e-12);
        assertEquals(1.0, half.quantise(0.9, 1.0), 1e-12);
        assertEquals(1.0, half.quantise(2.0, 1.0), 1e-12);
        assertEquals(0.0, half.quantise(-1.0, 1.0), 0.0);
        assertEquals(0.5, half.quantise(0.3, 2.0), 1e-12);
        Quantiser floor = Quantiser.of(NeuronModel.IF, 4, 0.0);
        assertEquals(0.25, floor.quantise(0.3, 1.0), 1e-12);
        assertEquals(0.75, floor.quantise(0.9, 1.0), 1e-12);
    }

    /**
     * mt:N quantises in steps of {@code lambda_N = theta / 2^(N-1)}: {@code S = T 2^(N-1)} per theta, up
     * to {@code Q = T (2^N - 1)} steps in one control step (every threshold fires at every timestep).
     * mt:3, T = 4: S = 16, Q = 28, so the largest output is 28/16 = 1.75 theta. IF and signed: S = Q = T.
     */
    @Test
    void multiThresholdQuantisersUseFinerStepsAndAHigherCeiling() {
        assertEquals(new Quantiser(16, 28, 0.5), Quantiser.of(NeuronModel.multiThreshold(3), 4, 0.5));
        assertEquals(new Quantiser(8, 12, 0.5), Quantiser.of(NeuronModel.multiThreshold(2), 4, 0.5));
        assertEquals(new Quantiser(8 * 128, 8 * 255, 0.25), Quantiser.of(NeuronModel.multiThreshold(8), 8, 0.25));
        assertEquals(new Quantiser(4, 4, 0.5), Quantiser.of(NeuronModel.SIGNED, 4, 0.5));
        Quantiser mt3 = Quantiser.of(NeuronModel.multiThreshold(3), 4, 0.5);
        assertEquals(1.75, mt3.quantise(5.0, 1.0), 1e-12, "ceiling Q / S = 28 / 16");
        // a = .3: floor(.3 * 16 + .5) = floor(5.3) = 5 -> 5/16 = .3125 (IF at T = 4 gives .25)
        assertEquals(0.3125, mt3.quantise(0.3, 1.0), 1e-12);
    }

    /**
     * The quantiser is the neuron that is simulated: a constant input {@code a} for T timesteps, from
     * {@code v0 = unit / 2}, emits {@code T q(a; theta)} in total. Checked on a grid of inputs that
     * stay clear of the rounding boundaries (a T / unit + 1/2 never within .05 of an integer).
     */
    @Test
    void quantiserMatchesTheSimulatedNeuronsOnConstantInput() {
        int t = 4;
        float theta = 1f;
        Quantiser ifq = Quantiser.of(NeuronModel.IF, t, 0.5);
        Quantiser mtq = Quantiser.of(NeuronModel.multiThreshold(3), t, 0.5);
        int checkedIf = 0;
        int checkedMt = 0;
        for (int i = 0; i <= 250; i++) {
            float a = i * 0.0093f;
            if (clearOfBoundary(a * t / theta + 0.5)) {
                IfLayer n = new IfLayer(new float[] {theta}, new float[] {0.5f * theta}, ResetMode.SUBTRACT);
                assertEquals(ifq.quantise(a, theta) * t, emitted(n, a, t), 1e-5, "IF, a = " + a);
                checkedIf++;
            }
            float unit = theta / 4;
            if (clearOfBoundary(a * t / unit + 0.5)) {
                MultiThresholdLayer n = new MultiThresholdLayer(new float[] {theta}, new float[] {0.5f * unit}, 3);
                assertEquals(mtq.quantise(a, theta) * t, emitted(n, a, t), 1e-5, "mt:3, a = " + a);
                checkedMt++;
            }
        }
        assertTrue(checkedIf > 150 && checkedMt > 100, checkedIf + " / " + checkedMt);
    }

    private static boolean clearOfBoundary(double x) {
        return Math.abs(x - Math.rint(x)) > 0.05;
    }

    private static float emitted(org.spikerl.snn.NeuronLayer n, float a, int t) {
        int[] events = new int[n.size() * n.levels()];
        n.resetEpisode();
        n.beginControlStep();
        for (int k = 0; k < t; k++) {
            n.step(new float[] {a}, events);
        }
        float[] out = new float[1];
        n.emitted(out);
        return out[0];
    }

    /**
     * Five activations {.4, .4, .4, .4, 1}, T = 1, f = .5: one level, {@code q = V if a >= V/2 else 0}.
     * M = 1, candidates V = 1 - .01 i.
     * <pre>
     *   V in (.8, 1]:  .4 < V/2 -> 0:   err = 4 * .16 + (1 - V)^2          V = 1: .64
     *   V <= .8:       .4 -> V, 1 -> V: err = 4 (.4 - V)^2 + (1 - V)^2      minimum at 10 V = 5.2
     *     V = .52: 4 * .0144 + .2304 = .2880
     *     V = .51: 4 * .0121 + .2401 = .2885     V = .53: 4 * .0169 + .2209 = .2885
     * </pre>
     * argmin V = .52 (i = 48).
     */
    @Test
    void tAwareErrorPerCandidateAndItsArgmin() {
        float[] a = {0.4f, 0.4f, 0.4f, 0.4f, 1f};
        Quantiser q = Quantiser.of(NeuronModel.IF, 1, 0.5);
        assertEquals(0.64, error(a, q, 1.0), 1e-6);
        assertEquals(0.64 + 0.01, error(a, q, 0.9), 1e-6);
        assertEquals(0.2880, error(a, q, 0.52), 1e-6);
        assertEquals(0.2885, error(a, q, 0.51), 1e-6);
        assertEquals(0.2885, error(a, q, 0.53), 1e-6);
        assertEquals(0.52f, TAware.best(a, a.length, q), 1e-6f);
        // Only the first n values count: {.4, .4} alone are represented exactly by V = .4 (i = 60), error 0.
        assertEquals(0.0, error(new float[] {0.4f, 0.4f}, q, 0.4 * (1 - 0.01 * 0)), 1e-12);
        assertEquals(0.4f, TAware.best(a, 2, q), 1e-6f);
        assertEquals(0f, TAware.best(new float[0], 0, q), "no positive activations: 0");
    }

    /**
     * The same activations at T = 4, f = .5 (steps of V/4). For V in (.8, 1]: 4 / V + .5 is in [4.5, 5.5),
     * floor 4 or 5, clipped to 4: q(1) = V; 1.6 / V + .5 is in [2.1, 2.5): q(.4) = V/2. So
     * err(V) = 4 (.4 - V/2)^2 + (1 - V)^2 = (.8 - V)^2 + (1 - V)^2, minimum .02 at V = .9 (err(1) = .04).
     * For V <= .8 the clipped top alone costs (1 - V)^2 >= .04. argmin .9: at T = 4 the search keeps
     * much more of the range than at T = 1 (.52).
     */
    @Test
    void higherLatencyMovesTheThresholdTowardsTheMax() {
        float[] a = {0.4f, 0.4f, 0.4f, 0.4f, 1f};
        Quantiser q4 = Quantiser.of(NeuronModel.IF, 4, 0.5);
        assertEquals(0.04, error(a, q4, 1.0), 1e-6);
        assertEquals(0.02, error(a, q4, 0.9), 1e-6);
        assertEquals(0.04 + 0.0, error(a, q4, 0.8), 1e-6, "(1 - .8)^2; .4 = .8 * 2/4 exactly");
        assertEquals(0.9f, TAware.best(a, a.length, q4), 1e-6f);
    }

    /**
     * A firing period: {@code mt:2@2} at T = 2 has S = 2 * 2 = 4 steps per theta but emits at most
     * Q = (2 / 2) * 3 = 3 of them, so no V <= M reaches the activation M = 1: at V = 1,
     * floor(4 / 1 + .5) = 4 clips to 3, q = .75, error .0625. The grid starts at M S / Q = 4/3,
     * where floor(4 / (4/3) + .5) = 3 and q = (4/3) * 3 / 4 = 1 exactly.
     */
    @Test
    void tAwareGridOfAPeriodicNeuronStartsWhereItReachesTheMax() {
        Quantiser q = Quantiser.of(NeuronModel.multiThreshold(2, 2), 2, 0.5);
        assertEquals(4, q.stepsPerTheta());
        assertEquals(3, q.maxSteps());
        float[] a = {1f};
        assertEquals(0.0625, error(a, q, 1.0), 1e-12);
        assertEquals(0.0, error(a, q, 4.0 / 3.0), 1e-12);
        assertEquals(4f / 3f, TAware.best(a, 1, q), 1e-6f);
    }

    /** Quantisers of every neuron kind the tuner tries, at T = 1..16, both start potentials. */
    private static List<Quantiser> manyQuantisers() {
        List<Quantiser> qs = new java.util.ArrayList<>();
        NeuronModel[] kinds = {NeuronModel.IF, NeuronModel.multiThreshold(2, 1), NeuronModel.multiThreshold(3, 1),
            NeuronModel.multiThreshold(6, 1), NeuronModel.multiThreshold(2, 2), NeuronModel.multiThreshold(3, 2)};
        for (NeuronModel n : kinds) {
            for (int t : new int[] {1, 2, 3, 8, 16}) {
                if (t % n.period() == 0) {
                    qs.add(Quantiser.of(n, t, 0.0));
                    qs.add(Quantiser.of(n, t, 0.5));
                }
            }
        }
        return qs;
    }

    /**
     * Random activations, and activations that sit exactly on a step ({@code a = V j / S}, where the
     * floor decides) or above the clip: the table form gives the very doubles of {@code quantise}.
     */
    @Test
    void stepsAndLevelsGiveQuantiseBitForBit() {
        java.util.Random rng = new java.util.Random(7);
        for (Quantiser q : manyQuantisers()) {
            double[] table = new double[q.maxSteps() + 1];
            for (int trial = 0; trial < 200; trial++) {
                double v = 0.01 + 3 * rng.nextDouble();
                q.levels(v, table);
                for (int k = 0; k < 50; k++) {
                    double a = k % 2 == 0 ? (float) (4 * v * rng.nextDouble())
                            : (float) (v * rng.nextInt(q.maxSteps() + 3) / q.stepsPerTheta());
                    double expected = q.quantise(a, v);
                    double got = table[q.steps(a * q.stepsPerTheta(), v)];
                    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(got),
                            q + " a=" + a + " v=" + v + ": " + expected + " vs " + got);
                }
            }
        }
    }

    /** What {@code TAware.best} computes, written as SPEC 10 states it: the argmin of {@link #error} over the grid. */
    private static float bestBySpec(float[] a, int n, Quantiser q) {
        float[] values = java.util.Arrays.copyOf(a, n);
        float m = 0f;
        for (float x : values) {
            m = Math.max(m, x);
        }
        if (m == 0f) {
            return 0f;
        }
        double top = q.maxSteps() >= q.stepsPerTheta() ? m : (double) m * q.stepsPerTheta() / q.maxSteps();
        float bestV = m;
        double bestErr = Double.POSITIVE_INFINITY;
        for (int i = 0; i < TAware.CANDIDATES; i++) {
            double v = top * (1.0 - 0.01 * i);
            double err = error(values, q, v);
            if (err < bestErr) {
                bestErr = err;
                bestV = (float) v;
            }
        }
        return bestV;
    }

    /**
     * The search's threshold is the SPEC's argmin bit for bit, for every quantiser, on half-normal,
     * heavy-tailed, few-valued (ties between candidates) and on-the-step activations.
     */
    @Test
    void tAwareBestIsTheArgminOfTheErrorBitForBit() {
        java.util.Random rng = new java.util.Random(11);
        for (Quantiser q : manyQuantisers()) {
            for (int trial = 0; trial < 12; trial++) {
                int n = 1 + rng.nextInt(400);
                float[] a = new float[n + 5];
                for (int k = 0; k < a.length; k++) {
                    double g = Math.abs(rng.nextGaussian());
                    a[k] = switch (trial % 4) {
                        case 0 -> (float) g;
                        case 1 -> (float) Math.exp(2 * g);
                        case 2 -> 0.25f * (1 + rng.nextInt(3));
                        default -> (float) (2.0 * rng.nextInt(q.maxSteps() + 1) / q.stepsPerTheta());
                    };
                }
                float expected = bestBySpec(a, n, q);
                float got = TAware.best(a, n, q);
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(got),
                        q + " trial " + trial + ": " + expected + " vs " + got);
            }
        }
    }

    @Test
    void tAwareRefusesTheOneArgumentCalibrate() {
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), TinyActors.FIVE);
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> new TAware(Granularity.NEURON).calibrate(set));
        assertEquals("threshold method taware needs the latency T and the neuron model; calibrate it through the "
                + "converter", e.getMessage());
        assertTrue(new TAware(Granularity.LAYER).dependsOnQuantiser());
        assertFalse(ThresholdMethod.DEFAULT.dependsOnQuantiser());
    }

    @Test
    void tAwareParsesAndRoundTrips() {
        assertEquals(new TAware(Granularity.NEURON), ThresholdMethod.parse("taware"));
        assertEquals(new TAware(Granularity.NEURON), ThresholdMethod.parse(" taware:neuron "));
        assertEquals(new TAware(Granularity.LAYER), ThresholdMethod.parse("taware:layer"));
        for (String s : List.of("taware", "taware:layer", "taware:neuron")) {
            ThresholdMethod m = ThresholdMethod.parse(s);
            assertEquals(m, ThresholdMethod.parse(m.spec()), s);
        }
        assertEquals("taware:neuron", ThresholdMethod.parse("taware").spec());
        assertEquals("taware:layer", ThresholdMethod.parse("taware:layer").spec());
        SpikerlException e = assertThrows(SpikerlException.class, () -> ThresholdMethod.parse("taware:channel"));
        assertEquals("threshold method 'taware:channel': granularity 'channel' unknown, expected layer or neuron",
                e.getMessage());
    }

    /**
     * Per-layer quantisers follow the neuron plan: "if,mt:3" at T = 4, v0 .25 gives IF (4, 4) for
     * layer 1 and mt:3 (16, 28) for layer 2; a uniform plan gives the same quantiser to every layer;
     * a plan naming another number of layers is refused.
     */
    @Test
    void perLayerQuantisersFollowTheNeuronPlan() {
        ConversionConfig c = ConversionConfig.DEFAULTS.withTimesteps(4).withV0Fraction(0.25)
                .withNeuron(NeuronPlan.parse("if,mt:3"));
        assertEquals(List.of(new Quantiser(4, 4, 0.25), new Quantiser(16, 28, 0.25)), Quantiser.of(c, 2));
        ConversionConfig u = ConversionConfig.DEFAULTS.withTimesteps(2).withNeuron(NeuronModel.multiThreshold(2));
        assertEquals(List.of(new Quantiser(4, 6, 0.5), new Quantiser(4, 6, 0.5), new Quantiser(4, 6, 0.5)),
                Quantiser.of(u, 3));
        SpikerlException e = assertThrows(SpikerlException.class, () -> Quantiser.of(c, 3));
        assertEquals("neuron plan if,mt:3 names 2 hidden layers, but the actor has 3", e.getMessage());
    }

    /**
     * taware through a calibration set, per layer quantiser. Actor of {@link TinyActors}: z_1 = o.
     * Quantisers of the plan "if,mt:2" at T = 1. First set: {.4, .4} four times and {1, -1}: layer 2
     * (z_2 = h0 + h1 - 1 = {-.2 x 4, 0}) is never positive, which is an error naming the method.
     */
    @Test
    void calibrateUsesEachLayersQuantiser() {
        double[][] obs = {{0.4, 0.4}, {0.4, 0.4}, {0.4, 0.4}, {0.4, 0.4}, {1, -1}};
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), obs);
        List<Quantiser> q = List.of(Quantiser.of(NeuronModel.IF, 1, 0.5), Quantiser.of(NeuronModel.multiThreshold(2), 1, 0.5));
        SpikerlException e = assertThrows(SpikerlException.class, () -> new TAware(Granularity.NEURON).calibrate(set, q));
        assertTrue(e.getMessage().contains("taware:neuron"), e.getMessage());

        // Shift layer 2 so that it is active: observations with a larger second input.
        double[][] active = {{0.4, 0.4}, {0.4, 0.4}, {0.4, 0.4}, {0.4, 0.4}, {1, 0.4}, {0.4, 0.4}};
        CalibrationSet s2 = CalibrationSet.observe(TinyActors.identityFirst(), active);
        float[][] theta = new TAware(Granularity.NEURON).calibrate(s2, q);
        // neuron 0: {.4 x 5, 1} -> err = 5 (.4 - V)^2 + (1 - V)^2, min at 12 V = 5.2, V = .4333:
        //   .43: 5 * .0009 + .3249 = .3294;  .44: 5 * .0016 + .3136 = .3216;  .45: 5 * .0025 + .3025 = .3150
        //   .46: .018 + .2916 = .3096; .47: .0245 + .2809 = .3054; .48: .032 + .2704 = .3024; .49: .0405 + .2601 = .3006
        //   .50: .05 + .25 = .30; .51: .0605 + .2401 = .3006  -> V = .50 (the .4 values need .4 >= V/2, true to V = .8)
        assertEquals(0.5f, theta[0][0], 1e-6f);
        assertEquals(0.4f, theta[0][1], 1e-6f, "six times .4: represented exactly");
        // layer 2: z_2 = h0 + h1 - 1 = {-.2 x 5, .4}; one positive value .4, mt:2 at T = 1: exact at V = .4
        //   (q = (V/2) clip(floor(.4 * 2 / V + .5), 0, 3) = .2 * 2 = .4)
        assertEquals(0.4f, theta[1][0], 1e-6f);
        float[][] layer = new TAware(Granularity.LAYER).calibrate(s2, q);
        // layer 1 pooled positives {.4 x 11, 1}: err(V) = 11 (.4 - V)^2 + (1 - V)^2, minimum at 24 V = 10.8:
        //   .44: .0176 + .3136 = .3312;  .45: .0275 + .3025 = .3300;  .46: .0396 + .2916 = .3312  -> V = .45
        assertArrayEquals(new float[] {0.45f, 0.45f}, layer[0], 1e-6f);
    }
}
