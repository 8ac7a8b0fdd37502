package org.spikerl.convert;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.spikerl.SpikerlException;

/**
 * Second conversion stage: thresholds from calibration activations (SPEC section 4). Every method
 * returns one threshold per hidden neuron ({@code theta[l][j]}); layer-wise methods fill a layer
 * with one value.
 *
 * <h2>Syntax (CLI, config files, provenance)</h2>
 * <pre>
 *   max                      = max:neuron (per neuron, as [CRPI])
 *   max:layer | max:neuron
 *   percentile:P             = percentile:P:layer, P in (0, 100]; 99.9 is SpikingJelly's robust normalisation
 *   percentile:P:layer | percentile:P:neuron
 *   ltb[:c=C,batch=B,batches=K,seed=S]          layer-wise LTB [Bu Eq. 12-15]
 *   ltb-channel[:c=C,batch=B,batches=K,seed=S]  one theta per neuron [Bu Eq. 17]
 *   taware                   = taware:neuron, the T-aware threshold of SPEC 10 [Cal]
 *   taware:layer | taware:neuron
 * </pre>
 * {@link #spec()} prints the fully spelled form, which parses back to an equal method.
 * Percentile defaults to per layer because that is how SpikingJelly's robust normalisation is
 * defined; max defaults to per neuron because that is what [CRPI] uses.
 *
 * <h2>Zero thresholds</h2>
 * A neuron whose calibration activations are never positive gets theta 0 from every method, and
 * an IF neuron needs {@code theta > 0}. Rule: such a neuron takes the largest threshold of its
 * layer, so if it does become active at run time it is represented over the same range as its
 * layer rather than clipped to almost nothing (a tiny floor would instead fire it at every
 * timestep for a negligible output, costing SOPs). A layer without any positive activation is a
 * broken calibration set and an error. (The [CRPI] reference code keeps theta = 0 for such
 * neurons, which then fire whenever their membrane is positive and emit 0.)
 */
public sealed interface ThresholdMethod permits ThresholdMethod.Max, ThresholdMethod.Percentile, ThresholdMethod.Ltb,
        ThresholdMethod.TAware {

    /** One threshold per layer or one per neuron. */
    enum Granularity {
        LAYER, NEURON;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The default method: {@code max:neuron}. */
    ThresholdMethod DEFAULT = new Max(Granularity.NEURON);

    /** Thresholds {@code theta[l][j] > 0} for every hidden layer {@code l} of the set's actor. */
    float[][] calibrate(CalibrationSet set);

    /**
     * Thresholds for a conversion whose hidden layer {@code l} quantises as {@code q.get(l)} (its T,
     * neuron model and start potential). Only {@link TAware} reads {@code q}; every other method ignores it.
     */
    default float[][] calibrate(CalibrationSet set, java.util.List<Quantiser> q) {
        return calibrate(set);
    }

    /**
     * Hidden layer {@code l}'s thresholds alone when it quantises as {@code q}, for methods that
     * {@link #dependsOnQuantiser}: their layers are independent of each other, so a layer's
     * thresholds can be shared by every conversion whose layer {@code l} quantises the same way
     * ({@link ThresholdCache}). Equal to {@code calibrate(set, q's list).get(l)}.
     */
    default float[] calibrateLayer(CalibrationSet set, int l, Quantiser q) {
        throw new UnsupportedOperationException(spec() + " does not depend on the quantiser; use calibrate(set)");
    }

    /** True if the thresholds depend on the latency and the neuron model (cache them per conversion, not per method). */
    default boolean dependsOnQuantiser() {
        return false;
    }

    Granularity granularity();

    /** The fully spelled CLI form; {@code parse(spec())} equals this method. */
    String spec();

    /** Parses the syntax in the interface Javadoc; a one-line {@link SpikerlException} otherwise. */
    static ThresholdMethod parse(String text) {
        String s = text == null ? "" : text.trim();
        String name = s;
        String args = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            args = s.substring(colon + 1);
        }
        switch (name) {
            case "max":
                if (args == null) {
                    return DEFAULT;
                }
                return new Max(granularity(text, args));
            case "percentile": {
                if (args == null || args.isEmpty()) {
                    throw bad(text, "percentile needs P, e.g. percentile:99.9");
                }
                String[] parts = args.split(":", -1);
                if (parts.length > 2) {
                    throw bad(text, "expected percentile:P or percentile:P:layer|neuron");
                }
                double p = number(text, "P", parts[0]);
                Granularity g = parts.length == 2 ? granularity(text, parts[1]) : Granularity.LAYER;
                return new Percentile(p, g);
            }
            case "taware":
                return new TAware(args == null ? Granularity.NEURON : granularity(text, args));
            case "ltb":
                return Ltb.parse(text, Granularity.LAYER, args);
            case "ltb-channel":
                return Ltb.parse(text, Granularity.NEURON, args);
            default:
                throw bad(text, "unknown method, expected max[:layer|:neuron], percentile:P[:layer|:neuron], "
                        + "ltb[:c=..,batch=..,batches=..,seed=..], ltb-channel[:...] or taware[:layer|:neuron]");
        }
    }

    private static Granularity granularity(String text, String word) {
        return switch (word) {
            case "layer" -> Granularity.LAYER;
            case "neuron" -> Granularity.NEURON;
            default -> throw bad(text, "granularity '" + word + "' unknown, expected layer or neuron");
        };
    }

    private static double number(String text, String field, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw bad(text, field + " = '" + value + "' is not a number");
        }
    }

    /** A statistic of {@code values[0..n)}, which it may reorder. */
    @FunctionalInterface
    interface PositiveStatistic {
        float of(float[] values, int n);
    }

    /**
     * Hidden layer {@code l}'s thresholds from the positive pre-activations: one statistic of the
     * whole layer's (every neuron gets it), or one per neuron of its own; neurons are independent,
     * so they are computed in parallel, each into its own slot (the result does not depend on the
     * number of threads).
     */
    private static float[] ofPositives(CalibrationSet set, int l, Granularity granularity, PositiveStatistic f) {
        int out = set.neurons(l);
        float[] z = set.preActivations(l);
        float[] t = new float[out];
        if (granularity == Granularity.LAYER) {
            float[] positive = new float[z.length];
            Arrays.fill(t, f.of(positive, positives(z, positive)));
        } else {
            java.util.stream.IntStream.range(0, out).parallel().forEach(j -> {
                float[] column = new float[set.size()];
                t[j] = f.of(column, positives(z, out, j, column));
            });
        }
        return t;
    }

    /** The positive values of {@code z}, in order, into {@code out}; returns how many. */
    private static int positives(float[] z, float[] out) {
        int n = 0;
        for (float v : z) {
            if (v > 0f) {
                out[n++] = v;
            }
        }
        return n;
    }

    /** The positive values of neuron {@code j}'s column of the sample-major {@code z} ({@code out} neurons), into {@code col}. */
    private static int positives(float[] z, int out, int j, float[] col) {
        int n = 0;
        for (int k = j; k < z.length; k += out) {
            if (z[k] > 0f) {
                col[n++] = z[k];
            }
        }
        return n;
    }

    private static SpikerlException bad(String text, String why) {
        return new SpikerlException("threshold method '" + text + "': " + why);
    }

    /**
     * {@code max}: {@code theta_j = max over the set of ReLU(z_j)} per neuron, or the maximum over
     * the set and the layer's neurons per layer.
     */
    record Max(Granularity granularity) implements ThresholdMethod {
        @Override
        public float[][] calibrate(CalibrationSet set) {
            float[][] theta = new float[set.hiddenLayers()][];
            for (int l = 0; l < theta.length; l++) {
                int out = set.neurons(l);
                float[] z = set.preActivations(l);
                float[] t = new float[out];
                for (int k = 0; k < set.size(); k++) {
                    int base = k * out;
                    for (int j = 0; j < out; j++) {
                        t[j] = Math.max(t[j], z[base + j]);
                    }
                }
                theta[l] = granularity == Granularity.LAYER ? fill(t, max(t)) : t;
            }
            return Thresholds.positive(theta, spec());
        }

        @Override
        public String spec() {
            return "max:" + granularity.word();
        }
    }

    /**
     * {@code percentile:P}: the P-th percentile of the positive activations ({@code z > 0}) of a
     * layer (over samples and neurons) or of a neuron (over samples), with linear interpolation
     * between order statistics as numpy's default: rank {@code P/100 * (n - 1)} in the sorted values.
     */
    record Percentile(double percentile, Granularity granularity) implements ThresholdMethod {
        public Percentile {
            if (!(percentile > 0 && percentile <= 100)) {
                throw new SpikerlException("threshold method percentile: P must be in (0, 100], got " + percentile);
            }
        }

        @Override
        public float[][] calibrate(CalibrationSet set) {
            float[][] theta = new float[set.hiddenLayers()][];
            for (int l = 0; l < theta.length; l++) {
                theta[l] = ofPositives(set, l, granularity, (values, n) -> (float) of(values, n, percentile));
            }
            return Thresholds.positive(theta, spec());
        }

        /** P-th percentile of {@code values[0..n)} (sorted in place), linear interpolation; 0 if n = 0. */
        static double of(float[] values, int n, double percentile) {
            if (n == 0) {
                return 0;
            }
            Arrays.sort(values, 0, n);
            double rank = percentile / 100.0 * (n - 1);
            int lo = (int) Math.floor(rank);
            int hi = Math.min(lo + 1, n - 1);
            return values[lo] + (rank - lo) * ((double) values[hi] - values[lo]);
        }

        @Override
        public String spec() {
            return "percentile:" + Thresholds.number(percentile) + ":" + granularity.word();
        }
    }

    /**
     * Local threshold balancing, {@code ltb} (one theta per layer) [Bu Eq. 12-15] and
     * {@code ltb-channel} (one per neuron) [Bu Eq. 17], SPEC section 4. Theta starts at 0; for each
     * of {@code batches} batches of {@code batchSize} samples, layer by layer in order:
     * <pre>
     *   theta_l += c * mean[ 2 (z_l - theta_l) * 1(z_l > theta_l) ]
     *   a_l      = clip(z_l, 0, theta_l)                 (with the updated theta)
     *   z_{l+1}  = W_{l+1} a_l + b_{l+1}                 (recomputed, float32, as the ANN)
     * </pre>
     * The mean runs over the batch (and over the layer's neurons for the layer-wise form), in
     * double. The first layer's {@code z_1} is the stored ANN pre-activation.
     *
     * <p>Batches: the calibration set is shuffled once with {@code new Random(seed)} (Fisher-Yates)
     * and cut into consecutive batches, wrapping around into the same order when
     * {@code batches * batchSize} exceeds the set; a batch larger than the set is the whole set.
     * Shuffled rather than sequential because closed-loop states are strongly correlated in time:
     * a sequential batch would see one phase of one episode.
     *
     * <p>Theta never decreases, so {@code c}, the batch size and the number of batches decide how
     * much of the activation tail is clipped (many batches converge towards {@code max}).
     */
    record Ltb(Granularity granularity, double c, int batchSize, int batches, long seed) implements ThresholdMethod {
        /**
         * Defaults: c = 1 (reference code); batch 100 and 100 batches by measurement on the CRPI
         * Hopper-v4 actor (10,000 closed-loop calibration states; mean |a_snn - a_ann| on 3,000
         * other states, t0 = 0): the batch size hardly matters (32 to 1,000 within .005), the
         * number of batches does: ltb-channel at T = 8 / 32 gives .25 / .22 with 10 batches,
         * .23 / .09 with 100, .30 / .10 with 1,000 (thresholds creep towards max); ltb gives
         * .33 / .33, .35 / .16, .47 / .21. Closed loop, ltb-channel defaults, T = 8, alpha 0:
         * Hopper-v4 3556 +- 7 over 10 episodes.
         */
        public static final double DEFAULT_C = 1.0;
        public static final int DEFAULT_BATCH = 100;
        public static final int DEFAULT_BATCHES = 100;
        public static final long DEFAULT_SEED = 0;

        public Ltb {
            if (!(c > 0) || Double.isInfinite(c)) {
                throw new SpikerlException("threshold method ltb: c must be finite and > 0, got " + c);
            }
            if (batchSize < 1) {
                throw new SpikerlException("threshold method ltb: batch must be >= 1, got " + batchSize);
            }
            if (batches < 1) {
                throw new SpikerlException("threshold method ltb: batches must be >= 1, got " + batches);
            }
        }

        public Ltb(Granularity granularity) {
            this(granularity, DEFAULT_C, DEFAULT_BATCH, DEFAULT_BATCHES, DEFAULT_SEED);
        }

        static Ltb parse(String text, Granularity g, String args) {
            double c = DEFAULT_C;
            int batch = DEFAULT_BATCH;
            int batches = DEFAULT_BATCHES;
            long seed = DEFAULT_SEED;
            if (args != null) {
                for (String kv : args.split(",", -1)) {
                    int eq = kv.indexOf('=');
                    if (eq < 0) {
                        throw bad(text, "'" + kv + "' is not key=value (keys: c, batch, batches, seed)");
                    }
                    String key = kv.substring(0, eq).trim();
                    String value = kv.substring(eq + 1).trim();
                    switch (key) {
                        case "c" -> c = number(text, "c", value);
                        case "batch" -> batch = integer(text, "batch", value);
                        case "batches" -> batches = integer(text, "batches", value);
                        case "seed" -> seed = integer(text, "seed", value);
                        default -> throw bad(text, "unknown key '" + key + "', expected c, batch, batches or seed");
                    }
                }
            }
            return new Ltb(g, c, batch, batches, seed);
        }

        private static int integer(String text, String field, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw bad(text, field + " = '" + value + "' is not an integer");
            }
        }

        @Override
        public float[][] calibrate(CalibrationSet set) {
            int hidden = set.hiddenLayers();
            int n = set.size();
            int b = Math.min(batchSize, n);
            int[] order = shuffled(n, seed);
            double[][] theta = new double[hidden][];
            float[][] z = new float[hidden][];
            float[][] a = new float[hidden][];
            for (int l = 0; l < hidden; l++) {
                int out = set.neurons(l);
                theta[l] = new double[granularity == Granularity.LAYER ? 1 : out];
                z[l] = new float[b * out];
                a[l] = new float[b * out];
            }
            long next = 0;
            for (int batch = 0; batch < batches; batch++) {
                int out0 = set.neurons(0);
                float[] z0 = set.preActivations(0);
                for (int k = 0; k < b; k++) {
                    int sample = order[(int) (next++ % n)];
                    System.arraycopy(z0, sample * out0, z[0], k * out0, out0);
                }
                for (int l = 0; l < hidden; l++) {
                    int out = set.neurons(l);
                    if (l > 0) {
                        propagate(set, l, a[l - 1], set.neurons(l - 1), z[l], out, b);
                    }
                    update(theta[l], z[l], out, b);
                    clip(z[l], a[l], theta[l], out, b);
                }
            }
            float[][] result = new float[hidden][];
            for (int l = 0; l < hidden; l++) {
                int out = set.neurons(l);
                result[l] = new float[out];
                for (int j = 0; j < out; j++) {
                    result[l][j] = (float) theta[l][theta[l].length == 1 ? 0 : j];
                }
            }
            return Thresholds.positive(result, spec());
        }

        /** {@code theta += c * mean[2 (z - theta) 1(z > theta)]}, over the batch (and neurons if layer-wise). */
        private void update(double[] theta, float[] z, int out, int b) {
            if (theta.length == 1) {
                double th = theta[0];
                double sum = 0;
                for (float v : z) {
                    if (v > th) {
                        sum += 2 * (v - th);
                    }
                }
                theta[0] = th + c * sum / ((double) b * out);
            } else {
                double[] sum = new double[out];
                for (int k = 0; k < b; k++) {
                    for (int j = 0; j < out; j++) {
                        float v = z[k * out + j];
                        if (v > theta[j]) {
                            sum[j] += 2 * (v - theta[j]);
                        }
                    }
                }
                for (int j = 0; j < out; j++) {
                    theta[j] += c * sum[j] / b;
                }
            }
        }

        private static void clip(float[] z, float[] a, double[] theta, int out, int b) {
            for (int k = 0; k < b; k++) {
                for (int j = 0; j < out; j++) {
                    double th = theta[theta.length == 1 ? 0 : j];
                    float v = z[k * out + j];
                    a[k * out + j] = v <= 0f ? 0f : (v >= th ? (float) th : v);
                }
            }
        }

        /** {@code z_l = W_l a_{l-1} + b_l} for each batch row, float32 in the ANN's order. */
        private static void propagate(CalibrationSet set, int l, float[] prev, int in, float[] z, int out, int b) {
            float[][] wt = set.packedWeights(l);
            float[] bias = set.actor().layers().get(l).bias();
            for (int k = 0; k < b; k++) {
                int zb = k * out;
                System.arraycopy(bias, 0, z, zb, out);
                for (int i = 0; i < in; i++) {
                    float x = prev[k * in + i];
                    if (x == 0f) {
                        continue;
                    }
                    float[] row = wt[i];
                    for (int o = 0; o < out; o++) {
                        z[zb + o] += x * row[o];
                    }
                }
            }
        }

        static int[] shuffled(int n, long seed) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Random rng = new Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            return order;
        }

        @Override
        public String spec() {
            return (granularity == Granularity.LAYER ? "ltb" : "ltb-channel") + ":c=" + Thresholds.number(c)
                    + ",batch=" + batchSize + ",batches=" + batches + ",seed=" + seed;
        }
    }

    private static float max(float[] t) {
        float m = 0f;
        for (float v : t) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static float[] fill(float[] t, float value) {
        Arrays.fill(t, value);
        return t;
    }

    /**
     * {@code taware}: the T-aware threshold of SPEC 10 [Cal] (Li et al., ICML 2021): per neuron or
     * per layer, with {@code M} the largest activation,
     * <pre>
     *   theta = argmin over V in {U (1 - 0.01 i), i = 0..94} of  sum over the set of (a - q(a; V))^2
     *   U = M max(1, S / Q)
     * </pre>
     * {@code U = M} (SPEC's grid) for every neuron that can emit {@code theta} per timestep
     * ({@code Q >= S}). A neuron with a firing period emits at most {@code (Q / S) V}
     * ({@code 7/8 V} for {@code mt:3@2}), so its grid starts at the threshold that just reaches
     * {@code M}, {@code M S / Q}; otherwise every candidate would clip the top activations.
     * where {@code a = ReLU(z)} are the ANN's activations and {@code q} the {@link Quantiser} of the
     * conversion (its T, neuron model and start potential): so the threshold is chosen for the latency
     * it will run at, trading clipping error at the top against rounding error everywhere. Ties go to
     * the larger V (smaller i). Activations {@code a <= 0} cost the same for every V (they quantise to
     * 0, the offset being below 1) and are skipped. Needs the quantiser: {@link #calibrate(CalibrationSet)}
     * alone refuses.
     */
    record TAware(Granularity granularity) implements ThresholdMethod {
        /** Candidates {@code M (1 - 0.01 i)}, {@code i = 0..94}, as SPEC 10 lists them. */
        static final int CANDIDATES = 95;

        @Override
        public float[][] calibrate(CalibrationSet set) {
            throw new SpikerlException("threshold method taware needs the latency T and the neuron model; "
                    + "calibrate it through the converter");
        }

        @Override
        public float[][] calibrate(CalibrationSet set, java.util.List<Quantiser> quantisers) {
            float[][] theta = new float[set.hiddenLayers()][];
            for (int l = 0; l < theta.length; l++) {
                theta[l] = calibrateLayer(set, l, quantisers.get(l));
            }
            return theta;
        }

        @Override
        public float[] calibrateLayer(CalibrationSet set, int l, Quantiser q) {
            float[] t = ofPositives(set, l, granularity, (values, n) -> best(values, n, q));
            return Thresholds.positive(t, l, spec());
        }

        /** The best candidate for {@code a[0..n)}; 0 if there are no positive values. */
        static float best(float[] a, int n, Quantiser q) {
            float m = 0f;
            for (int k = 0; k < n; k++) {
                m = Math.max(m, a[k]);
            }
            if (m == 0f) {
                return 0f;
            }
            double top = q.maxSteps() >= q.stepsPerTheta() ? m : (double) m * q.stepsPerTheta() / q.maxSteps();
            // q.quantise(a[k], v) as a table lookup (Quantiser#steps, #levels): the same doubles, half
            // the divisions and no branches, so the same errors and argmin in about half the time.
            double[] scaled = new double[n];
            for (int k = 0; k < n; k++) {
                scaled[k] = (double) a[k] * q.stepsPerTheta();
            }
            double[] levels = new double[q.maxSteps() + 1];
            float bestV = m;
            double bestErr = Double.POSITIVE_INFINITY;
            for (int i = 0; i < CANDIDATES; i++) {
                double v = top * (1.0 - 0.01 * i);
                q.levels(v, levels);
                double err = 0;
                for (int k = 0; k < n; k++) {
                    double e = a[k] - levels[q.steps(scaled[k], v)];
                    err += e * e;
                }
                if (err < bestErr) {
                    bestErr = err;
                    bestV = (float) v;
                }
            }
            return bestV;
        }

        @Override
        public boolean dependsOnQuantiser() {
            return true;
        }

        @Override
        public String spec() {
            return "taware:" + granularity.word();
        }
    }
}
