package org.spikerl.sweep;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Delay;
import org.spikerl.convert.DelayReduction;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.run.EvalConfig;
import org.spikerl.run.SnnOptions;

/**
 * A sweep config file ({@code configs/*.yaml}): one actor on one environment, the ANN baseline
 * and a grid of conversions, all on the same evaluation seeds. Unset fields take the defaults of
 * {@link EvalConfig}, {@link SnnOptions} and {@link ConversionConfig}. Paths are relative to the
 * project folder.
 *
 * <pre>
 * description: what the sweep shows
 * env: Hopper-v4
 * policy: policies/hopper-v4-td3/model.zip
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
 * </pre>
 */
public record SweepConfig(String description, String env, Path policy, int episodes, long seed, int numEnvs,
                          SnnOptions calibration, List<Integer> timesteps, List<ThresholdMethod> thresholds,
                          List<Delay> delays, List<Double> alphas, List<Double> v0s,
                          List<DelayReduction> delayReductions) {

    /** Every conversion of the grid, in a fixed order (threshold, delay, T, alpha, v0, reduction). */
    public List<ConversionConfig> grid() {
        List<ConversionConfig> out = new ArrayList<>();
        for (ThresholdMethod m : thresholds) {
            for (Delay d : delays) {
                for (int t : timesteps) {
                    for (double a : alphas) {
                        for (double v : v0s) {
                            for (DelayReduction r : delayReductions) {
                                if (d instanceof Delay.Fixed f && f.t0() >= t) {
                                    continue; // a fixed delay longer than T leaves nothing to read out
                                }
                                out.add(new ConversionConfig(m, t, d, r, a, v));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    public EvalConfig evalConfig(Path out) {
        return new EvalConfig(env, policy, episodes, seed, numEnvs, out);
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    record File(String description, String env, String policy, Integer episodes, Long seed,
                @JsonProperty("num_envs") Integer numEnvs,
                @JsonProperty("calibration_steps") Integer calibrationSteps,
                @JsonProperty("calibration_seed") Long calibrationSeed, Grid grid) {
    }

    record Grid(List<Integer> timesteps, List<String> threshold, List<String> delay, List<Double> alpha,
                List<Double> v0, @JsonProperty("delay_reduction") List<String> delayReduction) {
    }

    /** Reads and validates a config file; errors name the file and the field. */
    public static SweepConfig load(Path file, Path home) {
        if (!Files.isRegularFile(file)) {
            throw new SpikerlException("config " + file + " does not exist");
        }
        File f;
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
            f = yaml.readValue(file.toFile(), File.class);
        } catch (UnrecognizedPropertyException e) {
            throw new SpikerlException("config " + file + ": unknown field '" + e.getPropertyName() + "'; expected one of "
                    + e.getKnownPropertyIds(), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String at = e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "";
            throw new SpikerlException("config " + file + at + ": " + e.getOriginalMessage().replaceAll("\\s*\\R\\s*", " "), e);
        } catch (IOException e) {
            throw new SpikerlException("config " + file + ": " + e.getMessage(), e);
        }
        if (f == null) {
            throw new SpikerlException("config " + file + " is empty");
        }
        String where = "config " + file + ": ";
        if (f.description() == null || f.description().isBlank()) {
            throw new SpikerlException(where + "field 'description' is required (say what the sweep shows)");
        }
        if (f.policy() == null) {
            throw new SpikerlException(where + "field 'policy' is required");
        }
        if (f.grid() == null) {
            throw new SpikerlException(where + "field 'grid' is required");
        }
        Grid g = f.grid();
        ConversionConfig d = ConversionConfig.DEFAULTS;
        try {
            EvalConfig ec = new EvalConfig(f.env(), home.resolve(f.policy()).normalize(),
                    f.episodes() != null ? f.episodes() : EvalConfig.DEFAULT_EPISODES,
                    f.seed() != null ? f.seed() : EvalConfig.DEFAULT_SEED,
                    f.numEnvs() != null ? f.numEnvs() : EvalConfig.DEFAULT_NUM_ENVS, null);
            SnnOptions cal = new SnnOptions(d,
                    f.calibrationSteps() != null ? f.calibrationSteps() : SnnOptions.DEFAULT_CALIBRATION_STEPS,
                    f.calibrationSeed() != null ? f.calibrationSeed() : SnnOptions.DEFAULT_CALIBRATION_SEED);
            SweepConfig c = new SweepConfig(f.description().trim(), ec.env(), ec.policy(), ec.episodes(), ec.seed(),
                    ec.numEnvs(), cal,
                    nonEmpty(g.timesteps(), List.of(d.timesteps())),
                    nonEmpty(g.threshold(), List.of(d.method().spec())).stream().map(ThresholdMethod::parse).toList(),
                    nonEmpty(g.delay(), List.of(d.delay().spec())).stream().map(Delay::parse).toList(),
                    nonEmpty(g.alpha(), List.of(d.alpha())),
                    nonEmpty(g.v0(), List.of(d.v0Fraction())),
                    nonEmpty(g.delayReduction(), List.of(d.delayReduction().cliName())).stream()
                            .map(DelayReduction::parse).toList());
            if (c.grid().isEmpty()) { // grid() also validates every combination
                throw new SpikerlException("the grid is empty (every fixed delay is >= every T)");
            }
            return c;
        } catch (SpikerlException e) {
            throw new SpikerlException(where + e.getMessage(), e);
        }
    }

    private static <T> List<T> nonEmpty(List<T> given, List<T> fallback) {
        return given == null || given.isEmpty() ? fallback : given;
    }
}
