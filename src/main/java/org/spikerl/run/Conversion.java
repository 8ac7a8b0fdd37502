package org.spikerl.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.spikerl.actor.Actor;
import org.spikerl.actor.io.FileDigest;
import org.spikerl.bridge.Backends;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;
import org.spikerl.results.Provenance;
import org.spikerl.results.RunDirectory;
import org.spikerl.snn.io.ControllerFile;
import org.spikerl.tune.TuneSettings;
import org.spikerl.tune.Tuner;

/**
 * {@code spikerl convert} as a job: calibration rollouts of the ANN through the bridge, threshold
 * calibration and network construction, then a converted-controller file that {@code eval} and
 * the Java API load without Python.
 */
public final class Conversion {
    private Conversion() {
    }

    /**
     * Timings of a conversion: wall time in total, the rollouts, and the conversion's own computation;
     * with the tuner's search, what it was charged ({@code null} without one).
     */
    public record Result(Path file, double totalSeconds, double rolloutSeconds, double conversionSeconds,
                         double writeSeconds, Tuner.Result tuning) {
        /**
         * With the tuner's search, one line that sets its charged cost against this run's wall time:
         * the rollouts and the conversion, in episodes of the rollouts' own pace (their wall time over
         * the episodes they were charged). A machine's measure, for the user; the search's charges are
         * fixed per unit of work, so that its choice does not depend on the machine. Empty otherwise.
         */
        public Optional<String> costLine() {
            if (tuning == null || !(tuning.calibrationEpisodes() > 0) || !(rolloutSeconds > 0)) {
                return Optional.empty();
            }
            double perEpisode = rolloutSeconds / tuning.calibrationEpisodes();
            return Optional.of(String.format(Locale.ROOT, "tuning cost: charged %.1f of %d episodes; "
                    + "rollouts and conversion took %.2f s, the wall time of %.0f episodes at the rollouts' pace "
                    + "(%.3f s per episode)", tuning.costEpisodes(), tuning.settings().budgetEpisodes(),
                    rolloutSeconds + conversionSeconds, (rolloutSeconds + conversionSeconds) / perEpisode,
                    perEpisode));
        }
    }

    /**
     * Environment slots of a conversion: {@link EvalConfig#DEFAULT_NUM_ENVS}, or, when the tuner
     * searches, {@code max(DEFAULT_NUM_ENVS, finalists)} (at most {@link EvalConfig#MAX_NUM_ENVS}): as
     * many as its first closed-loop round has candidates with the default budget
     * ({@link TuneSettings#finalists}, one episode each), so that the round's episodes step together instead
     * of the last ones starting, a few slots at a time, after the first have ended. The calibration
     * rollouts use only the slots their steps need ({@link org.spikerl.control.Rollouts}: 10 for
     * 10,000 steps of 1000-step episodes); on all 12 they had stepped two episodes more, which cost
     * this its gain in session 12. Session 13 (2026-12-04, CRPI Hopper-v4, T = 8, three runs each,
     * alternating, load 1.3-1.6): convert 4.87 / 4.84 / 4.84 s against 5.02 / 5.16 / 4.92 s on 10
     * slots, the first round 0.7-0.8 s against 0.9-1.0 s. What the conversion chooses does not depend on
     * it: the calibration set is the first steps of episodes 0, 1, ... in episode order
     * ({@link org.spikerl.control.Rollouts}) and an episode gives what it gives alone, on whatever
     * slot ({@link org.spikerl.control.EpisodeRunner}).
     */
    static int slots(SnnOptions options) {
        TuneSettings tune = options.tune();
        return tune == null ? EvalConfig.DEFAULT_NUM_ENVS
                : Math.max(EvalConfig.DEFAULT_NUM_ENVS, Math.min(EvalConfig.MAX_NUM_ENVS, tune.finalists()));
    }

    public static Result run(String envId, Path policy, SnnOptions options, Path out, List<String> command) {
        return run(envId, policy, options, out, command, Backends.defaults());
    }

    /** As {@link #run(String, Path, SnnOptions, Path, List)}, with the environments from {@code backends}. */
    public static Result run(String envId, Path policy, SnnOptions options, Path out, List<String> command,
                             EnvBackend.Factory backends) {
        return run(envId, policy, null, options, out, command, backends);
    }

    /**
     * As {@link #run(String, Path, SnnOptions, Path, List, EnvBackend.Factory)}, with the actor's
     * observation statistics read from {@code normalization} (VecNormalize pickle or JSON; null: found
     * beside the actor).
     */
    public static Result run(String envId, Path policy, Path normalization, SnnOptions options, Path out,
                             List<String> command, EnvBackend.Factory backends) {
        long start = System.nanoTime();
        try (EnvSession session = EnvSession.open(backends, envId, slots(options), policy, normalization)) {
            Actor actor = session.actor();
            VectorEnv env = session.env();
            SnnOptions.Converted c = options.convert(actor, env);
            Map<String, Object> calibration = new LinkedHashMap<>();
            calibration.put("env", envId);
            calibration.put("steps", options.calibrationSteps());
            calibration.put("seed", options.calibrationSeed());
            calibration.put("policy", "ann, deterministic, closed loop");
            Map<String, Object> provenance = ControllerFile.provenance(policy.toAbsolutePath().normalize().toString(),
                    FileDigest.sha256(policy), c.config().describe(), calibration);
            provenance.put("delay_t0", c.network().delay());
            if (c.tuning() != null) {
                provenance.put("tuning", c.tuning().toMap());
            }
            provenance.put("run", Provenance.of(command, options.settings(c.network(), c.config()), policy,
                    actor, session.versions(), Evaluation.home()));
            long w0 = System.nanoTime();
            Path folder = out.toAbsolutePath().getParent();
            if (folder != null && java.nio.file.Files.isDirectory(folder)) {
                RunDirectory.recoverStale(folder, null); // what killed eval or sweep runs left in this folder
            }
            ControllerFile.write(c.network(), provenance, out);
            long end = System.nanoTime();
            return new Result(out, (end - start) / 1e9, c.rolloutSeconds(), c.conversionSeconds(), (end - w0) / 1e9,
                    c.tuning());
        }
    }
}
