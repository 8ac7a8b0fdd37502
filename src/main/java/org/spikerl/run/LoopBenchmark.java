package org.spikerl.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.spikerl.SpikerlException;
import org.spikerl.actor.AnnController;
import org.spikerl.bridge.Backends;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.control.Controller;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;
import org.spikerl.snn.SnnController;

/**
 * Closed-loop throughput, measured in one run on the same env and seeds:
 * <ol>
 *   <li>the Java runtime with the ANN actor, its slots spread over the Python workers;</li>
 *   <li>the same with the SNN at T = 8 ({@link #SNN_CONVERSION}, fixed and not tuned, so that the
 *       tuner's 50 episodes do not dominate the run);</li>
 *   <li>the pure-Python loop of {@code envs/python_loop.py} (numpy actor, one process);</li>
 *   <li>the environment alone: the Python loop's episodes replayed with their recorded actions,
 *       no actor.</li>
 * </ol>
 * Every row counts environment steps per second of the evaluation loop, start-up excluded, and
 * splits its wall time into actor, environment (inside {@code env.step}, measured in Python and
 * divided by the processes that stepped at once) and transport (the rest: packing, pipes, waiting).
 */
public final class LoopBenchmark {
    /** T of the SNN row. */
    public static final int SNN_TIMESTEPS = 8;
    /** The SNN row's conversion: the fixed defaults (IF neurons, max:neuron, t0 = 1, alpha 0.5) at T = 8. */
    public static final ConversionConfig SNN_CONVERSION = ConversionConfig.DEFAULTS.withTimesteps(SNN_TIMESTEPS);
    /** Calibration steps of the SNN row (seeds 100000+): enough for thresholds, cheap next to the run. */
    public static final int SNN_CALIBRATION_STEPS = 2000;

    private LoopBenchmark() {
    }

    /**
     * One loop.
     *
     * @param envSeconds wall time inside {@code env.step}, summed over the processes; NaN if unknown
     * @param cores processes stepping environments at once (Python workers; 1 for the Python loop)
     */
    public record Side(String name, double meanReturn, long steps, double loopSeconds, double actorSeconds,
                       double envSeconds, int cores) {
        public double stepsPerSecond() {
            return loopSeconds > 0 ? steps / loopSeconds : 0;
        }

        /** Microseconds per environment step outside the actor (simulation, and for Java the bridge). */
        public double envMicrosPerStep(long allSteps) {
            return (loopSeconds - actorSeconds) / allSteps * 1e6;
        }

        public double actorMicros() {
            return actorSeconds / steps * 1e6;
        }

        /** Environment time per step in one process (CPU microseconds of {@code env.step}). */
        public double simulationMicros() {
            return envSeconds / steps * 1e6;
        }

        /** Wall time per step that is neither actor nor (parallel) simulation. */
        public double transportMicros() {
            return (loopSeconds - actorSeconds - envSeconds / cores) / steps * 1e6;
        }

        public double actorShare() {
            return actorSeconds / loopSeconds;
        }

        public double envShare() {
            return envSeconds / cores / loopSeconds;
        }

        public double transportShare() {
            return 1 - actorShare() - envShare();
        }
    }

    public record Result(String env, int episodes, long steps, int numEnvs, Side java, Side snn, Side python,
                         Side envAlone) {
        public double speedup() {
            return java.stepsPerSecond() / python.stepsPerSecond();
        }

        public double snnSpeedup() {
            return snn.stepsPerSecond() / python.stepsPerSecond();
        }

        public List<Side> rows() {
            return List.of(java, snn, python, envAlone);
        }
    }

    public static Result run(String envId, Path policy, int episodes, long seed, int numEnvs) {
        return run(envId, policy, episodes, seed, numEnvs, Backends.defaults(), Backends.workers());
    }

    /** As {@link #run(String, Path, int, long, int)} on {@code backends}, which step on {@code workers} processes. */
    public static Result run(String envId, Path policy, int episodes, long seed, int numEnvs,
                             EnvBackend.Factory backends, int workers) {
        int slots = Math.min(numEnvs, episodes);
        int cores = Math.min(workers, slots);
        Side java;
        Side snn;
        try (EnvSession session = EnvSession.open(backends, envId, slots, policy)) {
            VectorEnv env = session.env();
            AnnController ann = new AnnController(session.actor());
            java = measure("java ann (K=" + slots + ")", env, ann, episodes, seed, slots, cores);
            SnnOptions options = new SnnOptions(SNN_CONVERSION, SNN_CALIBRATION_STEPS,
                    SnnOptions.DEFAULT_CALIBRATION_SEED);
            SnnOptions.Converted c = options.convert(session.actor(), env);
            snn = measure("java snn T=" + SNN_TIMESTEPS + " (K=" + slots + ")", env, new SnnController(c.network()),
                    episodes, seed, slots, cores);
        }
        Side[] python = runPython(envId, policy, episodes, seed);
        return new Result(envId, episodes, java.steps(), slots, java, snn, python[0], python[1]);
    }

    private static Side measure(String name, VectorEnv env, Controller controller, int episodes, long seed, int slots,
                                int cores) {
        // One untimed round first: the JIT compiles the controller and the bridge path.
        EpisodeRunner.run(env, controller, slots, seed + 1_000_000, EpisodeRunner.Listener.NONE);
        double sim0 = env.simulationSeconds();
        EpisodeRunner.Result r = EpisodeRunner.run(env, controller, episodes, seed, EpisodeRunner.Listener.NONE);
        double sim = env.simulationSeconds() - sim0;
        double mean = r.episodes().stream().mapToDouble(EpisodeRunner.Episode::ret).average().orElse(0);
        return new Side(name, mean, r.environmentSteps(), r.seconds(), r.actSeconds(), sim, cores);
    }

    /** The pure-Python loop and the environment alone, from one run of envs/python_loop.py. */
    private static Side[] runPython(String envId, Path policy, int episodes, long seed) {
        Path python = BridgeOptions.defaults().python();
        Path script = Evaluation.home().resolve("envs").resolve("python_loop.py");
        List<String> cmd = List.of(python.toString(), script.toString(), "--env", envId, "--policy",
                policy.toString(), "--episodes", Integer.toString(episodes), "--seed", Long.toString(seed),
                "--env-alone");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new SpikerlException("envs/python_loop.py failed (exit " + p.exitValue()
                        + "); it reads torch.save state dicts only");
            }
            String last = out.substring(out.lastIndexOf('\n') + 1);
            JsonNode j = new ObjectMapper().readTree(last);
            long steps = 0;
            for (JsonNode n : j.get("lengths")) {
                steps += n.asLong();
            }
            double loop = j.get("loop_s").asDouble();
            double actor = j.get("actor_s").asDouble();
            JsonNode alone = j.get("env_alone");
            Side py = new Side("python (numpy actor)", j.get("mean_return").asDouble(), steps, loop, actor,
                    loop - actor, 1);
            Side env = new Side("env alone (no actor)", Double.NaN, alone.get("steps").asLong(),
                    alone.get("loop_s").asDouble(), 0, alone.get("loop_s").asDouble(), 1);
            return new Side[] {py, env};
        } catch (IOException e) {
            throw new SpikerlException("cannot run envs/python_loop.py: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpikerlException("interrupted while running envs/python_loop.py", e);
        }
    }
}
