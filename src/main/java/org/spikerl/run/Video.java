package org.spikerl.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.spikerl.SpikerlException;
import org.spikerl.bridge.PythonLocator;
import org.spikerl.control.Controller;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.energy.OpCounts;
import org.spikerl.env.VectorEnv;

/**
 * {@code eval --video DIR}: one episode per controller on the same seed, run through the episode
 * loop with every action recorded, then replayed offscreen by {@code envs/spikerl_video.py} into
 * one GIF with the episodes side by side (MuJoCo is deterministic for a seed and an action
 * sequence, so the replay is the episode that ran). Rendering is headless through OSMesa
 * ({@code MUJOCO_GL=osmesa}, {@code PYOPENGL_PLATFORM=osmesa}, set for the renderer); without
 * Debian's {@code libosmesa6} the error says how to install it.
 */
public final class Video {
    /** Every how many control steps a frame is kept (Hopper at 125 steps/s: 31 frames/s). */
    static final int EVERY = 4;
    /** Frame width and height in pixels, per episode. */
    static final int SIZE = 240;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Video() {
    }

    /** Records what {@code inner} does: every action it computes, in order. */
    static final class Recorder implements Controller {
        private final Controller inner;
        final List<double[]> actions;

        Recorder(Controller inner, List<double[]> actions) {
            this.inner = inner;
            this.actions = actions;
        }

        @Override public int observationSize() { return inner.observationSize(); }
        @Override public int actionSize() { return inner.actionSize(); }
        @Override public void reset() { inner.reset(); }
        @Override public void act(double[] observation, double[] actionOut) {
            inner.act(observation, actionOut);
            actions.add(actionOut.clone());
        }
        @Override public OpCounts counts() { return inner.counts(); }
        @Override public Controller copy() { return new Recorder(inner.copy(), actions); }
        @Override public String kind() { return inner.kind(); }
    }

    /**
     * Runs one episode from {@code seed} per controller (label -> controller, drawn left to right)
     * and writes {@code DIR/<env>__seed<seed>.gif}.
     *
     * @return the GIF
     */
    public static Path record(VectorEnv env, String envId, long seed, Map<String, Controller> controllers, Path dir) {
        List<Map<String, Object>> episodes = new ArrayList<>();
        for (Map.Entry<String, Controller> c : controllers.entrySet()) {
            List<double[]> actions = new ArrayList<>();
            // One episode, so one slot and one copy of the recorder: the actions are that episode's.
            EpisodeRunner.run(env, new Recorder(c.getValue(), actions), 1, seed, EpisodeRunner.Listener.NONE);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("label", c.getKey());
            e.put("actions", actions);
            episodes.add(e);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SpikerlException("--video " + dir + ": cannot create the folder (" + e.getMessage() + ")", e);
        }
        Path gif = dir.resolve(envId.replaceAll("[^A-Za-z0-9._-]", "_") + "__seed" + seed + ".gif");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("env", envId);
        spec.put("seed", seed);
        spec.put("out", gif.toAbsolutePath().toString());
        spec.put("every", EVERY);
        spec.put("size", SIZE);
        spec.put("episodes", episodes);
        render(spec);
        return gif;
    }

    private static void render(Map<String, Object> spec) {
        Path specFile = null;
        try {
            specFile = Files.createTempFile("spikerl-video-", ".json");
            JSON.writeValue(specFile.toFile(), spec);
            ProcessBuilder pb = new ProcessBuilder(PythonLocator.interpreter().toString(),
                    PythonLocator.envsFile("spikerl_video.py").toString(), specFile.toString());
            pb.environment().put("MUJOCO_GL", "osmesa");
            pb.environment().put("PYOPENGL_PLATFORM", "osmesa");
            pb.redirectErrorStream(true);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new SpikerlException("--video: the renderer did not finish within 10 minutes");
            }
            String last = out.lines().reduce((a, b) -> b).orElse("");
            JsonNode result;
            try {
                result = JSON.readTree(last);
            } catch (IOException e) {
                result = null;
            }
            if (p.exitValue() != 0 || result == null || result.has("error")) {
                String why = result != null && result.has("error") ? result.get("error").asText()
                        : "exit status " + p.exitValue() + ": " + last;
                throw new SpikerlException("--video: " + why);
            }
        } catch (IOException e) {
            throw new SpikerlException("--video: cannot run the renderer (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpikerlException("--video: interrupted", e);
        } finally {
            if (specFile != null) {
                try {
                    Files.deleteIfExists(specFile);
                } catch (IOException e) {
                    // A leftover temp file is harmless.
                }
            }
        }
    }
}
