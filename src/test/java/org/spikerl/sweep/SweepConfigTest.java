package org.spikerl.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Delay;
import org.spikerl.convert.DelayReduction;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.run.EvalConfig;
import org.spikerl.run.SnnOptions;
import java.util.Set;
import java.util.stream.Collectors;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.run.RunBounds;
import org.spikerl.tune.TuneSettings;

/**
 * Sweep config files: defaults filled in from the one place they live, the grid's order and
 * size, and one-line errors that name the file and the field.
 */
class SweepConfigTest {
    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("project");
    }

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private SweepConfig load(String yaml) throws IOException {
        return SweepConfig.load(write("sweep.yaml", yaml), home());
    }

    /** Loads {@code yaml} expecting a refusal; returns the message after checking it is one line naming the file. */
    private String refused(String yaml) throws IOException {
        Path f = write("bad.yaml", yaml);
        SpikerlException e = assertThrows(SpikerlException.class, () -> SweepConfig.load(f, home()));
        String m = e.getMessage();
        assertTrue(m.startsWith("config " + f), m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        return m.substring(("config " + f).length());
    }

    private static final String MINIMAL = """
            description: smallest config
            env: Hopper-v4
            policy: actors/hopper.pt
            grid: {}
            """;

    @Test
    void unsetFieldsTakeTheDefaultsOfEvalAndConversion() throws IOException {
        SweepConfig c = load(MINIMAL);
        ConversionConfig d = ConversionConfig.DEFAULTS;
        assertEquals("smallest config", c.description());
        assertEquals("Hopper-v4", c.env());
        assertEquals(dir.resolve("actors/hopper.pt"), c.policy(), "policy is relative to the config file's folder");
        assertEquals(EvalConfig.DEFAULT_EPISODES, c.episodes());
        assertEquals(EvalConfig.DEFAULT_SEED, c.seed());
        assertEquals(EvalConfig.DEFAULT_NUM_ENVS, c.numEnvs());
        assertEquals(SnnOptions.DEFAULTS, c.calibration());
        assertEquals(List.of(d.timesteps()), c.timesteps());
        assertEquals(List.of(d.method()), c.thresholds());
        assertEquals(List.of(d.delay()), c.delays());
        assertEquals(List.of(d.alpha()), c.alphas());
        assertEquals(List.of(d.v0Fraction()), c.v0s());
        assertEquals(List.of(d.delayReduction()), c.delayReductions());
        assertEquals(List.of(d), c.grid(), "an empty grid is the default conversion");
        assertEquals(new EvalConfig("Hopper-v4", dir.resolve("actors/hopper.pt"), 10, 0, 10, dir),
                c.evalConfig(dir));
    }

    @Test
    void givenFieldsAreRead() throws IOException {
        SweepConfig c = load("""
                description: >
                  folded
                  text
                env: Walker2d-v4
                policy: ../shared/w.pt
                episodes: 3
                seed: 7
                num_envs: 2
                calibration_steps: 500
                calibration_seed: 9
                grid:
                  timesteps: [16, 4]
                  threshold: [max:layer, "percentile:99.9:neuron", ltb-channel]
                  delay: [auto, 2]
                  alpha: [0.0, 1.0]
                  v0: [0.25]
                  delay_reduction: [median]
                """);
        assertEquals("folded text", c.description());
        assertEquals(dir.getParent().resolve("shared/w.pt"), c.policy(), "normalised, relative to the config's folder");
        assertEquals(3, c.episodes());
        assertEquals(7, c.seed());
        assertEquals(2, c.numEnvs());
        assertEquals(new SnnOptions(ConversionConfig.DEFAULTS, 500, 9), c.calibration());
        assertEquals(List.of(16, 4), c.timesteps());
        assertEquals(List.of(ThresholdMethod.parse("max:layer"), ThresholdMethod.parse("percentile:99.9:neuron"),
                ThresholdMethod.parse("ltb-channel")), c.thresholds());
        assertEquals(List.of(Delay.AUTO, new Delay.Fixed(2)), c.delays());
        assertEquals(List.of(0.0, 1.0), c.alphas());
        assertEquals(List.of(0.25), c.v0s());
        assertEquals(List.of(DelayReduction.MEDIAN), c.delayReductions());
    }

    @Test
    void gridOrderIsThresholdDelayTAlphaAndSkipsFixedDelaysNotShorterThanT() throws IOException {
        SweepConfig c = load("""
                description: order
                env: Hopper-v4
                policy: a.pt
                grid:
                  timesteps: [2, 8]
                  threshold: [max:neuron, max:layer]
                  delay: [0, 4, auto]
                  alpha: [0.0, 0.5]
                """);
        List<ConversionConfig> g = c.grid();
        // Per threshold: delay 0 (T 2, 8), delay 4 (T 8 only: 4 >= 2), auto (T 2, 8); two alphas each.
        assertEquals(2 * (2 + 1 + 2) * 2, g.size());
        ConversionConfig base = ConversionConfig.DEFAULTS.withMethod(ThresholdMethod.parse("max:neuron"));
        assertEquals(List.of(
                base.withTimesteps(2).withDelay(Delay.NONE).withAlpha(0.0),
                base.withTimesteps(2).withDelay(Delay.NONE).withAlpha(0.5),
                base.withTimesteps(8).withDelay(Delay.NONE).withAlpha(0.0),
                base.withTimesteps(8).withDelay(Delay.NONE).withAlpha(0.5),
                base.withTimesteps(8).withDelay(new Delay.Fixed(4)).withAlpha(0.0),
                base.withTimesteps(8).withDelay(new Delay.Fixed(4)).withAlpha(0.5),
                base.withTimesteps(2).withDelay(Delay.AUTO).withAlpha(0.0),
                base.withTimesteps(2).withDelay(Delay.AUTO).withAlpha(0.5),
                base.withTimesteps(8).withDelay(Delay.AUTO).withAlpha(0.0),
                base.withTimesteps(8).withDelay(Delay.AUTO).withAlpha(0.5)), g.subList(0, 10));
        assertTrue(g.subList(10, 20).stream().allMatch(x -> x.method().spec().equals("max:layer")));
        assertEquals(g.subList(0, 10).stream().map(x -> x.withMethod(ThresholdMethod.parse("max:layer"))).toList(),
                g.subList(10, 20));
    }

    @Test
    void gridWhereEveryFixedDelayIsTooLongIsRefused() throws IOException {
        assertEquals(": the grid is empty (every fixed delay is >= every T)", refused("""
                description: nothing left
                env: Hopper-v4
                policy: a.pt
                grid: {timesteps: [2, 3], delay: [3, 5]}
                """));
    }

    @Test
    void missingDescription() throws IOException {
        assertEquals(": field 'description' is required (say what the sweep shows)", refused("""
                env: Hopper-v4
                policy: a.pt
                grid: {}
                """));
        assertEquals(": field 'description' is required (say what the sweep shows)", refused("""
                description: "  "
                env: Hopper-v4
                policy: a.pt
                grid: {}
                """));
    }

    @Test
    void missingEnvPolicyOrGrid() throws IOException {
        assertEquals(": field 'env' is required, a Gymnasium id with its version, e.g. Hopper-v4", refused("""
                description: d
                policy: a.pt
                grid: {}
                """));
        assertEquals(": field 'policy' is required", refused("""
                description: d
                env: Hopper-v4
                grid: {}
                """));
        assertEquals(": field 'grid' is required", refused("""
                description: d
                env: Hopper-v4
                policy: a.pt
                """));
    }

    @Test
    void unknownFieldNamesItsPathAndTheKnownOnes() throws IOException {
        String m = refused("""
                description: typo
                env: Hopper-v4
                policy: a.pt
                grid:
                  timesteps: [8]
                  thresholds: [max]
                """);
        assertTrue(m.startsWith(" (line 6): unknown field 'grid.thresholds'; expected one of "), m);
        assertTrue(m.contains("threshold") && m.contains("delay_reduction"), m);

        m = refused("""
                description: typo
                enviroment: Hopper-v4
                """);
        assertTrue(m.startsWith(" (line 2): unknown field 'enviroment'; expected one of "), m);
        assertTrue(m.contains("calibration_steps"), m);
    }

    @Test
    void badThresholdSpecNamesTheFieldAndTheMethod() throws IOException {
        assertEquals(": grid.threshold: threshold method 'maximum': unknown method, expected max[:layer|:neuron], "
                + "percentile:P[:layer|:neuron], ltb[:c=..,batch=..,batches=..,seed=..], ltb-channel[:...] or taware[:layer|:neuron]",
                refused("""
                        description: d
                        env: Hopper-v4
                        policy: a.pt
                        grid: {threshold: [max, maximum]}
                        """));
        assertEquals(": grid.threshold: threshold method percentile: P must be in (0, 100], got 101.0", refused("""
                description: d
                env: Hopper-v4
                policy: a.pt
                grid: {threshold: ["percentile:101"]}
                """));
    }

    @Test
    void outOfRangeValuesNameTheField() throws IOException {
        String head = """
                description: d
                env: Hopper-v4
                policy: a.pt
                """;
        assertEquals(": grid.alpha: alpha must be in [0, 1], got 2.0", refused(head + "grid: {alpha: [0.5, 2]}\n"));
        assertEquals(": grid.timesteps: timesteps T must be >= 1, got 0",
                refused(head + "grid: {timesteps: [0, 8]}\n"));
        assertEquals(": grid.timesteps: timesteps T must be >= 1, got 0",
                refused(head + "grid: {timesteps: [0], delay: [auto]}\n"));
        assertEquals(": grid.v0: v0 fraction must be in [0, 1], got 1.5", refused(head + "grid: {v0: [1.5]}\n"));
        assertEquals(": grid.delay: delay 'soon': expected auto or a non-negative integer t0",
                refused(head + "grid: {delay: [soon]}\n"));
        assertEquals(": grid.delay_reduction: delay reduction 'min': expected max, mean, median or neuron-min",
                refused(head + "grid: {delay_reduction: [min]}\n"));
        assertEquals(": grid.alpha: an empty entry, expected a value", refused(head + "grid: {alpha: [0.5, ~]}\n"));
        assertEquals(": field 'episodes' must be >= 1, got 0", refused(head + "episodes: 0\ngrid: {}\n"));
        assertEquals(": field 'seed' must be >= 0, got -1", refused(head + "seed: -1\ngrid: {}\n"));
        assertEquals(": field 'num_envs' must be in 1..256, got 0", refused(head + "num_envs: 0\ngrid: {}\n"));
        assertEquals(": field 'calibration_steps' must be in 1..10000000, got 0",
                refused(head + "calibration_steps: 0\ngrid: {}\n"));
    }

    @Test
    void wrongTypesNameTheField() throws IOException {
        String m = refused("""
                description: d
                env: Hopper-v4
                policy: a.pt
                episodes: ten
                grid: {}
                """);
        assertTrue(m.startsWith(" (line 4): field 'episodes': "), m);
        assertTrue(m.contains("\"ten\""), m);

        m = refused("""
                description: d
                env: Hopper-v4
                policy: a.pt
                grid:
                  timesteps: 8
                """);
        assertTrue(m.startsWith(" (line 5): field 'grid.timesteps': "), m);
    }

    @Test
    void emptyFile() throws IOException {
        assertEquals(" is empty, expected a YAML mapping starting with a description", refused(""));
        assertEquals(" is empty, expected a YAML mapping starting with a description", refused("# only a comment\n"));
    }

    @Test
    void notYaml() throws IOException {
        String m = refused("description: [unclosed\nenv: Hopper-v4\n");
        assertTrue(m.startsWith(" (line "), m);
        assertEquals(": expected a YAML mapping of fields (description, env, policy, grid, ...), got text",
                refused("just some words\n"));
        assertEquals(": expected a YAML mapping of fields (description, env, policy, grid, ...), got a list",
                refused("- description\n- env\n"));
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope.yaml");
        SpikerlException e = assertThrows(SpikerlException.class, () -> SweepConfig.load(f, home()));
        assertEquals("config " + f + " does not exist", e.getMessage());
        e = assertThrows(SpikerlException.class, () -> SweepConfig.load(dir, home()));
        assertEquals("config " + dir + " is a directory, expected a YAML file", e.getMessage());
    }

    private static final String HEAD = """
            description: d
            env: Hopper-v4
            policy: a.pt
            """;

    @Test
    void neuronAndCalibrationAxesAreReadAndOrderTheGridOutermost() throws IOException {
        SweepConfig c = load(HEAD + """
                grid:
                  timesteps: [4, 8]
                  neuron: [if, "mt:2", "if,mt:3"]
                  calibration: [none, bias]
                """);
        assertEquals(List.of(NeuronPlan.IF, NeuronPlan.uniform(NeuronModel.multiThreshold(2)), NeuronPlan.parse("if,mt:3")),
                c.neurons());
        assertEquals(List.of(BiasCalibration.NONE, BiasCalibration.BIAS), c.calibrations());
        List<ConversionConfig> g = c.grid();
        assertEquals(3 * 2 * 2, g.size());
        ConversionConfig d = ConversionConfig.DEFAULTS;
        // neuron, then calibration, then the first wave's order (here T).
        assertEquals(List.of(d.withTimesteps(4), d.withTimesteps(8),
                d.withTimesteps(4).withCalibration(BiasCalibration.BIAS), d.withTimesteps(8).withCalibration(BiasCalibration.BIAS)),
                g.subList(0, 4));
        assertEquals(NeuronPlan.parse("if,mt:3"), g.get(8).neuron());
        assertEquals(BiasCalibration.BIAS, g.get(11).calibration());
        assertEquals(Set.of(), c.tuned());
        SweepConfig plain = load(MINIMAL);
        assertEquals(List.of(NeuronPlan.IF), plain.neurons());
        assertEquals(List.of(BiasCalibration.NONE), plain.calibrations());
    }

    @Test
    void badNeuronAndCalibrationNameTheField() throws IOException {
        assertEquals(": grid.neuron: neuron \"mt:9\": expected if, signed, mt:N or mt:N@P with N in 2..8 and firing period P in 1..16",
                refused(HEAD + "grid: {neuron: [if, \"if,mt:9\"]}\n"));
        assertEquals(": grid.calibration: calibration \"weights\": expected none or bias",
                refused(HEAD + "grid: {calibration: [weights]}\n"));
    }

    @Test
    void tuneListAndBudgetAreRead() throws IOException {
        SweepConfig c = load(HEAD + "grid: {timesteps: [4]}\ntune: [delay, alpha]\ntune_budget: 12\n");
        assertEquals(Set.of(SweepConfig.TunedAxis.DELAY, SweepConfig.TunedAxis.ALPHA), c.tuned());
        assertEquals(12, c.tuneBudget());
        SweepConfig all = load(HEAD + "grid: {}\ntune: [neuron, threshold, delay, alpha, calibration]\n");
        assertEquals(Set.of(SweepConfig.TunedAxis.values()), all.tuned());
        assertEquals(TuneSettings.DEFAULTS.budgetEpisodes(), all.tuneBudget(), "default budget");
        assertEquals(1, all.grid().size());
    }

    @Test
    void tuneErrorsNameTheAxis() throws IOException {
        assertEquals(": tune: 'timesteps' is not a tunable setting, expected some of neuron, threshold, delay, alpha, "
                + "calibration", refused(HEAD + "grid: {}\ntune: [alpha, timesteps]\n"));
        assertEquals(": tune: 'alpha' is listed twice", refused(HEAD + "grid: {}\ntune: [alpha, delay, alpha]\n"));
        assertEquals(": grid.alpha is given but tune lists alpha: the tuner chooses it; drop one of them",
                refused(HEAD + "grid: {alpha: [0.5]}\ntune: [alpha]\n"));
        assertEquals(": grid.neuron is given but tune lists neuron: the tuner chooses it; drop one of them",
                refused(HEAD + "grid: {neuron: [if]}\ntune: [neuron]\n"));
        assertEquals(": tune_budget needs a tune list", refused(HEAD + "grid: {}\ntune_budget: 10\n"));
        assertEquals(": tune_budget needs a tune list", refused(HEAD + "grid: {}\ntune: []\ntune_budget: 10\n"));
        assertEquals(": tune_budget: must be in 1..100000 episodes, got 0",
                refused(HEAD + "grid: {}\ntune: [alpha]\ntune_budget: 0\n"));
        assertEquals(": tune_budget: must be in 1..100000 episodes, got 100001",
                refused(HEAD + "grid: {}\ntune: [alpha]\ntune_budget: 100001\n"));
        String m = refused(HEAD + "grid: {}\ntune: [alpha]\ntune_budget: lots\n");
        assertTrue(m.startsWith(" (line 6): field 'tune_budget': "), m);
    }

    /**
     * Tuned axes take no grid values: the grid has one row per combination of the other axes (the
     * tuned settings in a row are placeholders the tuner replaces). T = {2, 8} x threshold {max:neuron,
     * max:layer} x v0 {.5, .25} with delay and alpha tuned: 8 rows.
     */
    @Test
    void tunedAxesCollapseToOneRowPerRemainingCombination() throws IOException {
        SweepConfig c = load(HEAD + """
                grid:
                  timesteps: [2, 8]
                  threshold: [max:neuron, max:layer]
                  v0: [0.5, 0.25]
                tune: [delay, alpha]
                """);
        List<ConversionConfig> g = c.grid();
        assertEquals(2 * 2 * 2, g.size());
        Set<String> rows = g.stream().map(x -> x.method().spec() + " T=" + x.timesteps() + " v0=" + x.v0Fraction())
                .collect(Collectors.toSet());
        assertEquals(8, rows.size(), "no two rows differ only in a tuned setting: " + rows);
        assertTrue(g.stream().allMatch(x -> x.alpha() == ConversionConfig.DEFAULTS.alpha()));
    }

    /**
     * A tuned delay's placeholder must not drop a latency: with T = 1 the default fixed delay 1 is
     * >= T, but the tuner chooses t0 among those < T, so the T = 1 row stays (with placeholder t0 = 0).
     */
    @Test
    void tunedDelayKeepsEveryLatency() throws IOException {
        SweepConfig c = load(HEAD + "grid: {timesteps: [1, 8]}\ntune: [delay]\n");
        assertEquals(List.of(1, 8), c.grid().stream().map(ConversionConfig::timesteps).toList());
        assertEquals(new Delay.Fixed(0), c.grid().get(0).delay());
        assertEquals(1, load(HEAD + "grid: {timesteps: [1]}\ntune: [delay, alpha]\n").grid().size());
        // Not tuned: the rule stays (a fixed delay >= T leaves nothing to read out).
        assertEquals(List.of(8), load(HEAD + "grid: {timesteps: [1, 8]}\n").grid().stream()
                .map(ConversionConfig::timesteps).toList());
    }

    @Test
    void everyShippedConfigLoads() throws IOException {
        // The project's own configs/ and its subfolders (surefire runs in the project folder).
        Path project = Path.of("").toAbsolutePath();
        List<Path> configs;
        try (var files = Files.walk(project.resolve("configs"))) {
            configs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(configs.isEmpty());
        for (Path f : configs) {
            SweepConfig c = SweepConfig.load(f, project);
            assertFalse(c.grid().isEmpty(), f.toString());
            assertEquals(c.grid().size(), c.rowCount(), f + ": rows counted without building them");
            if (c.policy().startsWith(project)) {
                assertTrue(Files.exists(c.policy()), f + ": policy " + c.policy() + " exists (relative to the config)");
            }
        }
    }

    @Test
    void fractionalIntegersAreRefusedWithFieldAndLine() throws IOException {
        String m = refused(HEAD + "episodes: 1.5\ngrid: {}\n");
        assertTrue(m.contains("episodes") && m.contains("line 4"), m);
        m = refused(HEAD + "grid:\n  timesteps: [4.5]\n");
        assertTrue(m.contains("grid.timesteps") && m.contains("line 5"), m);
    }

    @Test
    void aKeyGivenTwiceIsRefusedWithItsLine() throws IOException {
        String m = refused(HEAD + "episodes: 3\nepisodes: 4\ngrid: {}\n");
        assertTrue(m.contains("episodes") && m.contains("line 5"), m);
    }

    @Test
    void emptyAndRepeatedGridValuesAreRefusedWithFieldAndLine() throws IOException {
        String m = refused(HEAD + "grid:\n  timesteps: []\n");
        assertTrue(m.contains("grid.timesteps (line 5): an empty list"), m);
        m = refused(HEAD + "grid:\n  alpha:\n    - 0\n    - 0.5\n    - 0.0\n");
        assertTrue(m.contains("grid.alpha (line 8): 0.0 is given twice (entries 0 and 2)"), m);
    }

    @Test
    void aGridBeyondTheRowLimitIsRefusedBeforeItIsBuilt() throws IOException {
        Path f = write("big.yaml", HEAD + "grid:\n  timesteps: [2, 4, 8, 16]\n  alpha: [0, 0.5, 1]\n");
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> SweepConfig.load(f, home(), new RunBounds(1000, 11)));
        assertTrue(e.getMessage().contains("the grid has 12 rows, more than the limit of 11; raise it with --max-rows"),
                e.getMessage());
        assertEquals(12, SweepConfig.load(f, home(), new RunBounds(1000, 12)).grid().size());
    }

    @Test
    void normalizationIsAFileRelativeToTheConfigsFolder() throws IOException {
        assertEquals(null, load(MINIMAL).normalization(), "absent: found beside the actor");
        Files.createDirectories(dir.resolve("stats"));
        Path stats = Files.writeString(dir.resolve("stats/vecnormalize.json"), "{}");
        SweepConfig c = load(HEAD + "normalization: stats/vecnormalize.json\ngrid: {}\n");
        assertEquals(stats, c.normalization());
        assertEquals(stats, c.evalConfig(null).normalization(), "every row evaluates with it");
        assertEquals(stats.toString(), c.evalConfig(null).toMap().get("normalization"));
    }

    @Test
    void aMissingOrEmptyNormalizationIsRefusedWithFieldAndLine() throws IOException {
        String m = refused(HEAD + "normalization: nowhere.pkl\ngrid: {}\n");
        assertEquals(": field 'normalization' (line 4): " + dir.resolve("nowhere.pkl") + " does not exist", m);
        m = refused(HEAD + "normalization: \"\"\ngrid: {}\n");
        assertTrue(m.startsWith(": field 'normalization' (line 4): empty, expected a file"), m);
        m = refused(HEAD + "normalization: [a.pkl]\ngrid: {}\n");
        assertTrue(m.contains("normalization") && m.contains("line 4"), m);
        m = refused(HEAD + "normalization: .\ngrid: {}\n");
        assertTrue(m.endsWith(dir + " is not a file"), m);
    }
}
