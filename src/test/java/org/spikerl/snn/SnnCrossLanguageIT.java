package org.spikerl.snn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.ObservationNorm;

/**
 * The Java spiking actor against {@code envs/snn_reference.py} (numpy, same float32 operation
 * order): per-neuron spike counts, SOPs and {@code y_bar} must match exactly, over consecutive
 * control steps so the residual potential carries across. Needs {@code -Dspikerl.python} (a python
 * with numpy) and {@code -Dspikerl.home} (the project directory); the pom sets both.
 */
class SnnCrossLanguageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void spikeCountsAndReadoutMatchNumpyExactly() throws Exception {
        int cases = 0;
        for (long seed = 1; seed <= 4; seed++) {
            for (double alpha : new double[] {0.0, 0.5}) {
                for (int timesteps : new int[] {4, 16}) {
                    compare(seed, alpha, timesteps);
                    cases++;
                }
            }
        }
        assertEquals(16, cases);
    }

    private void compare(long seed, double alpha, int timesteps) throws Exception {
        String name = "seed " + seed + " alpha " + alpha + " T " + timesteps;
        Random rng = new Random(seed * 1000 + timesteps + (long) (alpha * 10));
        int[][] shapes = {{5, 24, 16, 3}, {7, 32, 3}, {4, 16, 16, 16, 2}, {11, 64, 64, 3}};
        int[] sizes = shapes[(int) (seed - 1) % shapes.length];
        Actor plain = SyntheticActors.random(seed, sizes);
        Actor actor = seed == 2 ? withNorm(plain, rng) : plain;
        double[][] obs = SyntheticActors.observations(seed + 100, 8, sizes[0]);
        for (double[] o : obs) {
            for (int i = 0; i < o.length; i++) {
                o[i] *= 2; // wider inputs: some neurons saturate, some never fire
            }
        }
        // Thresholds: per-neuron max over the observations, scaled by a random factor in [.3, 1.2)
        // so that the three regimes (silent, rate-coding, saturated) all occur; one seed per layer.
        SpikingActor maxed = SnnControllerTest.maxThresholds(actor, obs, timesteps, alpha);
        float[][] theta = new float[maxed.hiddenLayers()][];
        for (int l = 0; l < theta.length; l++) {
            theta[l] = maxed.thresholds(l);
            for (int j = 0; j < theta[l].length; j++) {
                theta[l][j] *= (float) (0.3 + 0.9 * rng.nextDouble());
            }
            if (seed == 3) {
                theta[l] = SpikingActor.constant(theta[l].length, theta[l][0]);
            }
        }
        int delay = rng.nextInt(timesteps);
        double v0Fraction = seed == 4 ? 0.3 : 0.5;
        SpikingActor net = new SpikingActor(actor, theta, timesteps, delay, alpha, v0Fraction);
        compare(name, net, obs);
    }

    /**
     * The hand-traced network of {@link SnnControllerTest}: layer-1 neuron 1 reaches v == theta
     * exactly at t = 2, so a reference that fired on {@code >=} would fail here.
     */
    @Test
    void handTracedNetworkMatches() throws Exception {
        compare("tiny alpha 0", SnnControllerTest.tinyNetwork(0.0), new double[][] {{1.0}, {1.0}, {0.5}});
        compare("tiny alpha 0.5", SnnControllerTest.tinyNetwork(0.5), new double[][] {{1.0}, {1.0}, {0.5}, {2.0}});
    }

    private void compare(String name, SpikingActor net, double[][] obs) throws Exception {
        Actor actor = net.actor();
        float[][] theta = new float[net.hiddenLayers()][];
        for (int l = 0; l < theta.length; l++) {
            theta[l] = net.thresholds(l);
        }
        SnnController snn = new SnnController(net);
        double[] action = new double[actor.actionSize()];
        List<int[][]> javaSpikes = new ArrayList<>();
        List<float[]> javaYBar = new ArrayList<>();
        List<Long> javaSops = new ArrayList<>();
        for (double[] o : obs) {
            long before = snn.counts().sops();
            snn.act(o, action);
            int[][] spikes = new int[net.hiddenLayers()][];
            for (int l = 0; l < spikes.length; l++) {
                spikes[l] = snn.layer(l).spikeCounts().clone();
            }
            javaSpikes.add(spikes);
            javaYBar.add(snn.readout().clone());
            javaSops.add(snn.counts().sops() - before);
        }

        JsonNode out = runReference(input(actor, theta, net.timesteps(), net.delay(), net.alpha(), net.v0Fraction(),
                obs), name);
        JsonNode steps = out.get("steps");
        assertEquals(obs.length, steps.size(), name);
        long totalSpikes = 0;
        for (int k = 0; k < obs.length; k++) {
            JsonNode step = steps.get(k);
            for (int l = 0; l < net.hiddenLayers(); l++) {
                int[] py = JSON.treeToValue(step.get("spikes").get(l), int[].class);
                assertArrayEquals(py, javaSpikes.get(k)[l], name + ", control step " + k + ", layer " + (l + 1));
                for (int s : py) {
                    totalSpikes += s;
                }
            }
            float[] yBar = new float[actor.actionSize()];
            for (int o = 0; o < yBar.length; o++) {
                yBar[o] = (float) step.get("y_bar").get(o).asDouble();
            }
            assertArrayEquals(yBar, javaYBar.get(k), name + ", control step " + k + ": y_bar");
            assertEquals(step.get("sops").asLong(), javaSops.get(k), name + ", control step " + k + ": SOPs");
        }
        assertTrue(totalSpikes > 0, name + ": the comparison must involve spikes");
    }

    private static Actor withNorm(Actor a, Random rng) {
        int n = a.observationSize();
        double[] mean = new double[n];
        double[] var = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = rng.nextGaussian() * 0.5;
            var[i] = 0.2 + rng.nextDouble() * 3;
        }
        return new Actor(a.layers(), new ObservationNorm(mean, var, ObservationNorm.DEFAULT_EPS, 1.5), a.head(),
                a.source() + " with norm");
    }

    /** The reference's input: floats are widened to double, so they survive JSON text exactly. */
    private static Map<String, Object> input(Actor actor, float[][] theta, int timesteps, int delay, double alpha,
                                             double v0Fraction, double[][] obs) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> layers = new ArrayList<>();
        for (DenseLayer d : actor.layers()) {
            double[][] w = new double[d.out()][d.in()];
            for (int o = 0; o < d.out(); o++) {
                for (int i = 0; i < d.in(); i++) {
                    w[o][i] = d.w(o, i);
                }
            }
            layers.add(Map.of("weight", w, "bias", widen(d.bias())));
        }
        m.put("layers", layers);
        ObservationNorm norm = actor.norm();
        m.put("norm", norm == null ? null
                : Map.of("mean", norm.mean(), "var", norm.var(), "eps", norm.eps(), "clip", norm.clip()));
        List<double[]> th = new ArrayList<>();
        for (float[] t : theta) {
            th.add(widen(t));
        }
        m.put("thresholds", th);
        m.put("timesteps", timesteps);
        m.put("delay", delay);
        m.put("alpha", alpha);
        m.put("v0_fraction", v0Fraction);
        m.put("observations", obs);
        return m;
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private JsonNode runReference(Map<String, Object> input, String name) throws Exception {
        Path in = tmp.resolve("in.json");
        Path out = tmp.resolve("out.json");
        Files.deleteIfExists(out);
        JSON.writeValue(in.toFile(), input);
        Result r = run(in, out);
        if (r.exit != 0) {
            fail(name + ": snn_reference.py exited " + r.exit + ": " + r.stderr);
        }
        return JSON.readTree(out.toFile());
    }

    /** Bad input: non-zero exit and one line on stderr that names the field. */
    @Test
    void referenceRejectsBadInputWithOneLine() throws Exception {
        Map<String, Object> good = input(SyntheticActors.random(1, 3, 4, 2), new float[][] {{1, 1, 1, 1}}, 4, 0, 0,
                0.5, new double[][] {{0, 0, 0}});
        Map<String, Object> zeroTheta = new LinkedHashMap<>(good);
        zeroTheta.put("thresholds", List.of(new double[] {1, 0, 1, 1}));
        Map<String, Object> badDelay = new LinkedHashMap<>(good);
        badDelay.put("delay", 4);
        Map<String, Object> shortObs = new LinkedHashMap<>(good);
        shortObs.put("observations", new double[][] {{0, 0}});
        String[][] cases = {
            {JSON.writeValueAsString(zeroTheta), "thresholds[0] must all be > 0"},
            {JSON.writeValueAsString(badDelay), "delay must be in [0, 3], got 4"},
            {JSON.writeValueAsString(shortObs), "observations[0] has 2 values, expected 3"},
            {"{\"layers\": 3", "not valid JSON"}};
        for (String[] c : cases) {
            Path in = tmp.resolve("bad.json");
            Files.writeString(in, c[0]);
            Result r = run(in, tmp.resolve("bad-out.json"));
            assertNotEquals(0, r.exit, c[1]);
            assertTrue(r.stderr.startsWith("snn_reference: " + in + ": "), r.stderr);
            assertTrue(r.stderr.contains(c[1]), "expected '" + c[1] + "' in: " + r.stderr);
            assertFalse(r.stderr.strip().contains("\n"), "one line: " + r.stderr);
        }
    }

    private record Result(int exit, String stderr) {
    }

    private static Result run(Path in, Path out) throws IOException, InterruptedException {
        String python = System.getProperty("spikerl.python");
        String home = System.getProperty("spikerl.home");
        if (python == null || !Files.isExecutable(Path.of(python))) {
            fail("system property spikerl.python must name a python with numpy, got " + python);
        }
        if (home == null) {
            fail("system property spikerl.home must name the project directory");
        }
        Path script = Path.of(home, "envs", "snn_reference.py");
        Process p = new ProcessBuilder(python, script.toString(), in.toString(), out.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), err);
    }
}
