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
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.bridge.Backends;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.env.VectorEnv;

/**
 * Closed-loop throughput of the Java runtime (ANN actor, batched bridge) next to the pure-Python
 * loop of {@code envs/python_loop.py} (numpy actor, same env and seeds), measured in one run.
 * Both count environment steps per second of the evaluation loop, start-up excluded.
 */
public final class LoopBenchmark {
    private LoopBenchmark() {
    }

    /** One side of the comparison. */
    public record Side(double meanReturn, double stepsPerSecond, double loopSeconds, double actorSeconds) {
        /** Microseconds per environment step outside the actor (simulation, and for Java the bridge). */
        public double envMicrosPerStep(long steps) {
            return (loopSeconds - actorSeconds) / steps * 1e6;
        }
    }

    public record Result(String env, int episodes, long steps, int numEnvs, Side java, Side python) {
        public double speedup() {
            return java.stepsPerSecond() / python.stepsPerSecond();
        }
    }

    public static Result run(String envId, Path policy, int episodes, long seed, int numEnvs) {
        int slots = Math.min(numEnvs, episodes);
        Side java;
        long steps;
        try (EnvSession session = EnvSession.open(Backends.defaults(), envId, slots, policy)) {
            VectorEnv env = session.env();
            AnnController ann = new AnnController(session.actor());
            // One untimed episode first: the JIT compiles the actor and the bridge path.
            EpisodeRunner.run(env, ann, Math.min(slots, episodes), seed + 1_000_000, EpisodeRunner.Listener.NONE);
            EpisodeRunner.Result r = EpisodeRunner.run(env, ann, episodes, seed, EpisodeRunner.Listener.NONE);
            steps = r.environmentSteps();
            double mean = r.episodes().stream().mapToDouble(EpisodeRunner.Episode::ret).average().orElse(0);
            java = new Side(mean, r.stepsPerSecond(), r.seconds(), r.actSeconds());
        }
        Side python = runPython(envId, policy, episodes, seed);
        return new Result(envId, episodes, steps, slots, java, python);
    }

    private static Side runPython(String envId, Path policy, int episodes, long seed) {
        Path python = BridgeOptions.defaults().python();
        Path script = Evaluation.home().resolve("envs").resolve("python_loop.py");
        List<String> cmd = List.of(python.toString(), script.toString(), "--env", envId, "--policy",
                policy.toString(), "--episodes", Integer.toString(episodes), "--seed", Long.toString(seed));
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
            return new Side(j.get("mean_return").asDouble(), j.get("steps_per_s").asDouble(),
                    j.get("loop_s").asDouble(), j.get("actor_s").asDouble());
        } catch (IOException e) {
            throw new SpikerlException("cannot run envs/python_loop.py: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpikerlException("interrupted while running envs/python_loop.py", e);
        }
    }
}
