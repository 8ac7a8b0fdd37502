package org.spikerl.sweep;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spikerl.SpikerlException;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Delay;
import org.spikerl.convert.DelayReduction;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.run.EvalConfig;
import org.spikerl.run.RunBounds;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.tune.TuneSettings;
import java.util.Set;
import org.spikerl.run.SnnOptions;

/**
 * A sweep config file ({@code configs/*.yaml}): one actor on one environment, the ANN baseline
 * and a grid of conversions, all on the same evaluation seeds. Unset fields take the defaults of
 * {@link EvalConfig}, {@link SnnOptions} and {@link ConversionConfig}. Relative {@code policy}
 * and {@code normalization} paths are relative to the folder of the config file. The loader is strict: a key given twice, a
 * fractional number where an integer belongs, an empty grid list or a value repeated in one is
 * refused with the field and its line.
 *
 * <pre>
 * description: what the sweep shows
 * env: Hopper-v4
 * policy: policies/hopper-v4-td3/model.zip
 * normalization: vecnormalize.pkl  # optional: the actor's observation statistics (VecNormalize pickle
 *                                  # or JSON); default: found beside the actor, as eval --normalization
 * episodes: 10            # seeds seed..seed+episodes-1
 * seed: 0
 * calibration_steps: 10000
 * calibration_seed: 100000
 * grid:
 *   timesteps: [4, 8, 16, 32]
 *   threshold: [max:neuron, ltb-channel]
 *   delay: [0, auto]
 *   alpha: [0.0, 0.5, 1.0]
 *   v0: [0.5]               # optional
 *   delay_reduction: [mean] # optional
 *   neuron: [if, "mt:2", "if,mt:3"]  # optional: if, mt:N, mt:N@P, signed, or one per hidden layer
 *   calibration: [none, bias] # optional: bias calibration of SPEC 10
 * tune: [delay, alpha]      # optional: chosen per row by the tuner on tuning episodes (seeds 1000+);
 *                           # any of neuron, threshold, delay, alpha, calibration, each then absent from grid
 * tune_budget: 50           # optional, episodes per tuned row
 * </pre>
 */
public record SweepConfig(String description, String env, Path policy, int episodes, long seed, int numEnvs,
                          SnnOptions calibration, List<Integer> timesteps, List<ThresholdMethod> thresholds,
                          List<Delay> delays, List<Double> alphas, List<Double> v0s,
                          List<DelayReduction> delayReductions, List<NeuronPlan> neurons,
                          List<BiasCalibration> calibrations, Set<TunedAxis> tuned, int tuneBudget,
                          Path normalization) {

    /** Conversion settings the tuner may choose per grid row (the YAML's {@code tune} list). */
    public enum TunedAxis {
        NEURON, THRESHOLD, DELAY, ALPHA, CALIBRATION;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SweepConfig {
        tuned = tuned.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(tuned));
    }

    /** Without a normalisation file: the actor's statistics are looked for beside it. */
    public SweepConfig(String description, String env, Path policy, int episodes, long seed, int numEnvs,
                       SnnOptions calibration, List<Integer> timesteps, List<ThresholdMethod> thresholds,
                       List<Delay> delays, List<Double> alphas, List<Double> v0s,
                       List<DelayReduction> delayReductions, List<NeuronPlan> neurons,
                       List<BiasCalibration> calibrations, Set<TunedAxis> tuned, int tuneBudget) {
        this(description, env, policy, episodes, seed, numEnvs, calibration, timesteps, thresholds, delays, alphas, v0s,
                delayReductions, neurons, calibrations, tuned, tuneBudget, null);
    }

    /** Without tuned axes. */
    public SweepConfig(String description, String env, Path policy, int episodes, long seed, int numEnvs,
                       SnnOptions calibration, List<Integer> timesteps, List<ThresholdMethod> thresholds,
                       List<Delay> delays, List<Double> alphas, List<Double> v0s,
                       List<DelayReduction> delayReductions, List<NeuronPlan> neurons,
                       List<BiasCalibration> calibrations) {
        this(description, env, policy, episodes, seed, numEnvs, calibration, timesteps, thresholds, delays, alphas, v0s,
                delayReductions, neurons, calibrations, Set.of(), TuneSettings.DEFAULTS.budgetEpisodes());
    }

    /** The grid without the neuron and calibration axes: IF neurons, no bias calibration. */
    public SweepConfig(String description, String env, Path policy, int episodes, long seed, int numEnvs,
                       SnnOptions calibration, List<Integer> timesteps, List<ThresholdMethod> thresholds,
                       List<Delay> delays, List<Double> alphas, List<Double> v0s,
                       List<DelayReduction> delayReductions) {
        this(description, env, policy, episodes, seed, numEnvs, calibration, timesteps, thresholds, delays, alphas, v0s,
                delayReductions, List.of(NeuronPlan.IF), List.of(BiasCalibration.NONE));
    }

    /**
     * Every conversion of the grid, in a fixed order (neuron, calibration, threshold, delay, T,
     * alpha, v0, reduction); with one neuron and one calibration the order of the first wave. A
     * tuned axis has one placeholder value, so the grid has one row per combination of the other
     * axes; a tuned delay's placeholder is lowered to {@code T - 1} where it would not fit, rather
     * than dropping that T.
     */
    public List<ConversionConfig> grid() {
        List<ConversionConfig> out = new ArrayList<>();
        for (NeuronPlan n : neurons) {
            for (BiasCalibration b : calibrations) {
                for (ConversionConfig c : baseGrid()) {
                    out.add(c.withNeuron(n).withCalibration(b));
                }
            }
        }
        return out;
    }

    private List<ConversionConfig> baseGrid() {
        List<ConversionConfig> out = new ArrayList<>();
        for (ThresholdMethod m : thresholds) {
            for (Delay d : delays) {
                for (int t : timesteps) {
                    for (double a : alphas) {
                        for (double v : v0s) {
                            for (DelayReduction r : delayReductions) {
                                Delay row = d;
                                if (d instanceof Delay.Fixed f && f.t0() >= t) {
                                    if (!tuned.contains(TunedAxis.DELAY)) {
                                        continue; // a fixed delay longer than T leaves nothing to read out
                                    }
                                    // A tuned delay is a placeholder (the tuner tries only t0 < T): it
                                    // must not drop a latency from the sweep.
                                    row = new Delay.Fixed(t - 1);
                                }
                                out.add(new ConversionConfig(m, t, row, r, a, v));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The evaluation every row runs (with the normalisation file, when the config names one). */
    public EvalConfig evalConfig(Path out) {
        return new EvalConfig(env, policy, episodes, seed, numEnvs, out, normalization);
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record File(String description, String env, String policy, String normalization, Integer episodes, Long seed,
                @JsonProperty("num_envs") Integer numEnvs,
                @JsonProperty("calibration_steps") Integer calibrationSteps,
                @JsonProperty("calibration_seed") Long calibrationSeed, Grid grid, List<String> tune,
                @JsonProperty("tune_budget") Integer tuneBudget) {
    }

    record Grid(List<Integer> timesteps, List<String> threshold, List<String> delay, List<Double> alpha,
                List<Double> v0, @JsonProperty("delay_reduction") List<String> delayReduction,
                List<String> neuron, List<String> calibration) {
    }

    /**
     * Reads and validates a config file. Every error is one line that names the file and the
     * field ({@code grid.alpha}, {@code episodes}), with the line number where the YAML parser
     * knows it. The values are checked by the classes that own them ({@link EvalConfig},
     * {@link SnnOptions}, {@link ConversionConfig}, the parsers of threshold methods and delays),
     * so the rules live in one place; only the wording of the field is adapted here.
     */
    public static SweepConfig load(Path file, Path home) {
        return load(file, home, RunBounds.DEFAULTS);
    }

    /**
     * Like {@link #load(Path, Path)}, refusing a grid of more rows than {@code bounds} allows
     * before the grid is built (a grid of millions of rows would otherwise fill the memory).
     * {@code home} is no longer used for paths (they are relative to the config file's folder).
     */
    public static SweepConfig load(Path file, Path home, RunBounds bounds) {
        String where = "config " + file;
        if (Files.isDirectory(file)) {
            throw new SpikerlException(where + " is a directory, expected a YAML file");
        }
        if (!Files.isRegularFile(file)) {
            throw new SpikerlException(where + " does not exist");
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        File f;
        try {
            // The tree first, for the document's shape: Jackson's own messages for an empty file or
            // a bare string describe its internals rather than the file.
            JsonNode tree = yaml.readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new SpikerlException(where + " is empty, expected a YAML mapping starting with a description");
            }
            if (!tree.isObject()) {
                throw new SpikerlException(where + ": expected a YAML mapping of fields (description, env, policy, "
                        + "grid, ...), got " + kind(tree));
            }
            f = yaml.readValue(file.toFile(), File.class);
        } catch (UnrecognizedPropertyException e) {
            throw new SpikerlException(where + line(yaml, file, e) + ": unknown field '" + path(e)
                    + "'; expected one of " + e.getKnownPropertyIds(), e);
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? "" : ": field '" + path(e) + "'";
            throw new SpikerlException(where + line(yaml, file, e) + field + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new SpikerlException(where + line(e) + ": " + oneLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new SpikerlException(where + ": " + e.getMessage(), e);
        }
        where += ": ";
        if (f.description() == null || f.description().isBlank()) {
            throw new SpikerlException(where + "field 'description' is required (say what the sweep shows)");
        }
        if (f.env() == null || f.env().isBlank()) {
            throw new SpikerlException(where
                    + "field 'env' is required, a Gymnasium id with its version, e.g. Hopper-v4");
        }
        if (f.policy() == null) {
            throw new SpikerlException(where + "field 'policy' is required");
        }
        if (f.grid() == null) {
            throw new SpikerlException(where + "field 'grid' is required");
        }
        Path normalization = null;
        if (f.normalization() != null) {
            if (f.normalization().isBlank()) {
                throw new SpikerlException(where + "field 'normalization'" + lineOf(yaml, file, "/normalization")
                        + ": empty, expected a file of observation statistics (VecNormalize pickle or JSON)"
                        + " or leave the field out");
            }
            normalization = file.toAbsolutePath().getParent().resolve(f.normalization()).normalize();
            if (!Files.isRegularFile(normalization)) {
                throw new SpikerlException(where + "field 'normalization'" + lineOf(yaml, file, "/normalization")
                        + ": " + normalization + (Files.exists(normalization) ? " is not a file" : " does not exist"));
            }
        }
        Grid g = f.grid();
        ConversionConfig d = ConversionConfig.DEFAULTS;
        EvalConfig ec;
        SnnOptions cal;
        try {
            ec = new EvalConfig(f.env(), file.toAbsolutePath().getParent().resolve(f.policy()).normalize(),
                    f.episodes() != null ? f.episodes() : EvalConfig.DEFAULT_EPISODES,
                    f.seed() != null ? f.seed() : EvalConfig.DEFAULT_SEED,
                    f.numEnvs() != null ? f.numEnvs() : EvalConfig.DEFAULT_NUM_ENVS, null);
            cal = new SnnOptions(d,
                    f.calibrationSteps() != null ? f.calibrationSteps() : SnnOptions.DEFAULT_CALIBRATION_STEPS,
                    f.calibrationSeed() != null ? f.calibrationSeed() : SnnOptions.DEFAULT_CALIBRATION_SEED);
        } catch (SpikerlException e) {
            // EvalConfig and SnnOptions name their CLI options (--num-envs); the file calls it num_envs.
            Matcher m = CLI_OPTION.matcher(e.getMessage());
            String message = m.lookingAt()
                    ? "field '" + m.group(1).replace('-', '_') + "'" + e.getMessage().substring(m.end())
                    : e.getMessage();
            throw new SpikerlException(where + message, e);
        }
        GridLines lines = new GridLines(yaml, file, where);
        List<Integer> timesteps = lines.values("timesteps", g.timesteps(), List.of(d.timesteps()),
                t -> d.withDelay(Delay.NONE).withTimesteps(t).timesteps());
        List<ThresholdMethod> thresholds = lines.values("threshold", g.threshold(), List.of(d.method().spec()),
                ThresholdMethod::parse);
        List<Delay> delays = lines.values("delay", g.delay(), List.of(d.delay().spec()), Delay::parse);
        List<Double> alphas = lines.values("alpha", g.alpha(), List.of(d.alpha()), a -> d.withAlpha(a).alpha());
        List<Double> v0s = lines.values("v0", g.v0(), List.of(d.v0Fraction()), v -> d.withV0Fraction(v).v0Fraction());
        List<DelayReduction> reductions = lines.values("delay_reduction", g.delayReduction(),
                List.of(d.delayReduction().cliName()), DelayReduction::parse);
        List<NeuronPlan> neurons = lines.values("neuron", g.neuron(), List.of(d.neuron().spec()), NeuronPlan::parse);
        List<BiasCalibration> calibrations = lines.values("calibration", g.calibration(),
                List.of(d.calibration().cliName()), BiasCalibration::parse);
        // An upper bound (fixed delays >= T drop out), checked before grid() builds the rows.
        long rows = 1;
        for (List<?> axis : List.of(timesteps, thresholds, delays, alphas, v0s, reductions, neurons, calibrations)) {
            rows = rows > Long.MAX_VALUE / axis.size() ? Long.MAX_VALUE : rows * axis.size();
        }
        try {
            bounds.checkRows(rows, "the grid");
        } catch (SpikerlException e) {
            throw new SpikerlException(where + e.getMessage(), e);
        }
        Set<TunedAxis> tuned = java.util.EnumSet.noneOf(TunedAxis.class);
        for (String a : f.tune() == null ? List.<String>of() : f.tune()) {
            TunedAxis axis = null;
            for (TunedAxis t : TunedAxis.values()) {
                if (t.word().equals(a)) {
                    axis = t;
                }
            }
            if (axis == null) {
                throw new SpikerlException(where + "tune: '" + a + "' is not a tunable setting, expected some of "
                        + "neuron, threshold, delay, alpha, calibration");
            }
            if (!tuned.add(axis)) {
                throw new SpikerlException(where + "tune: '" + a + "' is listed twice");
            }
            List<?> given = switch (axis) {
                case NEURON -> g.neuron();
                case THRESHOLD -> g.threshold();
                case DELAY -> g.delay();
                case ALPHA -> g.alpha();
                case CALIBRATION -> g.calibration();
            };
            if (given != null && !given.isEmpty()) {
                throw new SpikerlException(where + "grid." + a + " is given but tune lists " + a
                        + ": the tuner chooses it; drop one of them");
            }
        }
        if (f.tuneBudget() != null && tuned.isEmpty()) {
            throw new SpikerlException(where + "tune_budget needs a tune list");
        }
        int budget;
        try {
            budget = TuneSettings.DEFAULTS.withBudget(f.tuneBudget() != null ? f.tuneBudget()
                    : TuneSettings.DEFAULTS.budgetEpisodes()).budgetEpisodes();
        } catch (SpikerlException e) {
            throw new SpikerlException(where + "tune_budget: " + e.getMessage().replaceFirst("^--tune-budget ", ""), e);
        }
        try {
            SweepConfig c = new SweepConfig(f.description().trim(), ec.env(), ec.policy(), ec.episodes(), ec.seed(),
                    ec.numEnvs(), cal, timesteps, thresholds, delays, alphas, v0s, reductions, neurons, calibrations,
                    tuned, budget, normalization);
            if (!tuned.isEmpty()) {
                TuneSettings.DEFAULTS.withBudget(budget).checkDisjoint(c.seed(), c.episodes(), "seed");
            }
            if (c.grid().isEmpty()) { // grid() also validates every combination
                throw new SpikerlException("the grid is empty (every fixed delay is >= every T)");
            }
            return c;
        } catch (SpikerlException e) {
            throw new SpikerlException(where + e.getMessage(), e);
        }
    }

    /** The number of rows {@link #grid()} has, counted without building them. */
    public long rowCount() {
        long perBase = 0;
        for (Delay d : delays) {
            for (int t : timesteps) {
                if (!(d instanceof Delay.Fixed f && f.t0() >= t) || tuned.contains(TunedAxis.DELAY)) {
                    perBase++;
                }
            }
        }
        return (long) neurons.size() * calibrations.size() * thresholds.size() * perBase * alphas.size() * v0s.size()
                * delayReductions.size();
    }

    /** Evaluation episodes the sweep runs: the ANN and every row, plus the tuner's budget per tuned row. */
    public long totalEpisodes() {
        long rows = rowCount();
        return (rows + 1) * episodes + (tuned.isEmpty() ? 0 : rows * tuneBudget);
    }

    /**
     * Reads the grid's lists strictly: a list given but empty, or with a value twice (after
     * parsing, so {@code 0} and {@code 0.0} are the same alpha), is refused with its line.
     */
    private static final class GridLines {
        private final ObjectMapper yaml;
        private final Path file;
        private final String where;

        GridLines(ObjectMapper yaml, Path file, String where) {
            this.yaml = yaml;
            this.file = file;
            this.where = where;
        }

        <T, R> List<R> values(String name, List<T> given, List<T> fallback, Function<T, R> convert) {
            String field = "grid." + name;
            if (given != null && given.isEmpty()) {
                throw new SpikerlException(where + field + lineOf(yaml, file, "/grid/" + name)
                        + ": an empty list; give at least one value or leave the field out for the default");
            }
            List<T> used = given != null ? given : fallback;
            List<R> out = SweepConfig.values(where, field, used, convert);
            for (int i = 0; i < out.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (out.get(i).equals(out.get(j)) || String.valueOf(used.get(i)).equals(String.valueOf(used.get(j)))) {
                        throw new SpikerlException(where + field + lineOf(yaml, file, "/grid/" + name + "/" + i)
                                + ": " + used.get(i) + " is given twice (entries " + j + " and " + i
                                + "); each row would run twice");
                    }
                }
            }
            return out;
        }
    }

    /** " (line N)" of the node at a JSON pointer such as {@code /grid/alpha/2}, or "". */
    private static String lineOf(ObjectMapper yaml, Path file, String pointer) {
        try (JsonParser p = yaml.getFactory().createParser(file.toFile())) {
            while (p.nextToken() != null) {
                if (p.getParsingContext().pathAsPointer().toString().equals(pointer)) {
                    return " (line " + p.getTokenLocation().getLineNr() + ")";
                }
            }
        } catch (IOException ignored) {
            // read a moment ago; without a line then
        }
        return "";
    }

    /** A leading CLI option name in a validation message, e.g. {@code --num-envs}. */
    private static final Pattern CLI_OPTION = Pattern.compile("--([a-z][a-z-]*)");

    /**
     * Checks and converts every entry of a grid list; an error names the field. The
     * {@code conversion config: } prefix of {@link ConversionConfig}'s messages is dropped, as the
     * field already says where the value belongs.
     */
    private static <T, R> List<R> values(String where, String field, List<T> given, Function<T, R> convert) {
        List<R> out = new ArrayList<>(given.size());
        for (T v : given) {
            if (v == null) {
                throw new SpikerlException(where + field + ": an empty entry, expected a value");
            }
            try {
                out.add(convert.apply(v));
            } catch (SpikerlException e) {
                String why = e.getMessage().replaceFirst("^conversion config: ", "");
                throw new SpikerlException(where + field + ": " + why, e);
            }
        }
        return out;
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "text";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String line(JsonProcessingException e) {
        return e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "";
    }

    /**
     * The line of the field a mapping error is about. Jackson reports where its parser stood, and
     * for records (read through their constructor, with the fields buffered) that is the end of
     * the enclosing mapping rather than the unknown field; so the field is looked up by its path.
     */
    private static String line(ObjectMapper yaml, Path file, JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            pointer.append('/').append(r.getFieldName() != null ? r.getFieldName() : Integer.toString(r.getIndex()));
        }
        if (pointer.length() > 0) {
            try (JsonParser p = yaml.getFactory().createParser(file.toFile())) {
                String target = pointer.toString();
                while (p.nextToken() != null) {
                    if (p.getParsingContext().pathAsPointer().toString().equals(target)) {
                        return " (line " + p.getTokenLocation().getLineNr() + ")";
                    }
                }
            } catch (IOException ignored) {
                // the file read a moment ago; fall back to Jackson's location
            }
        }
        return line(e);
    }

    /** The field's path in the file, e.g. {@code grid.thresholds} or {@code grid.alpha[1]}. */
    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }

}
