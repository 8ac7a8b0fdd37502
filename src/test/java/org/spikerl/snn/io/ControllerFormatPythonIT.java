package org.spikerl.snn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.io.Fixtures;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.SpikingActor;

/**
 * The Python reader printed in docs/controller-format.md, run on files written by Java (format
 * version 2, every neuron model, calibrated biases) and on the version-1 fixtures: it accepts
 * them and finds every tensor with the shape and the exact values Java wrote. Exact: both sides
 * sum each tensor correctly rounded (Python's math.fsum, Java's BigDecimal), and values are
 * compared by those sums and by their first and last elements.
 */
class ControllerFormatPythonIT {
    /** Python's json writes an infinite clip bound as -Infinity. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    @TempDir
    Path dir;

    @Test
    void documentedPythonReaderReadsWhatJavaWrites() throws Exception {
        Path home = Paths.get(System.getProperty("spikerl.home", "")).toAbsolutePath();
        List<String> doc = Files.readAllLines(home.resolve("docs/controller-format.md"));
        int start = doc.indexOf("```python");
        int stop = doc.subList(start + 1, doc.size()).indexOf("```");
        Files.write(dir.resolve("controller_reader.py"), doc.subList(start + 1, start + 1 + stop));
        String driver = String.join("\n",
                "import json, math, sys",
                "from controller_reader import read_controller",
                "for path in sys.argv[1:]:",
                "    header, tensors = read_controller(path)",
                "    print(json.dumps({'version': header['format_version'], 'neuron': header['network']['neuron'],",
                "        'timesteps': header['network']['timesteps'], 'tensors': {n: {",
                "        'shape': list(a.shape), 'fsum': math.fsum(a.ravel().tolist()),",
                "        'first': float(a.ravel()[0]), 'last': float(a.ravel()[-1])} for n, a in tensors.items()}}))");
        Files.writeString(dir.resolve("driver.py"), driver);

        Map<Path, SpikingActor> nets = new LinkedHashMap<>();
        nets.put(dir.resolve("small.ctrl"), ControllerNets.small());
        nets.put(dir.resolve("normclip.ctrl"), ControllerNets.normClip());
        nets.put(dir.resolve("hopper.ctrl"), ControllerNets.hopper());
        nets.put(dir.resolve("small-mt3-bias.ctrl"), ControllerNets.calibratedSmall(NeuronModel.multiThreshold(3)));
        nets.put(dir.resolve("normclip-signed-bias.ctrl"), ControllerNets.calibratedNormClip(NeuronModel.SIGNED));
        nets.put(dir.resolve("small-if-bias.ctrl"), ControllerNets.calibratedSmall(NeuronModel.IF));
        nets.forEach((f, n) -> ControllerFile.write(n, Map.of(), f));
        Map<Path, Integer> versions = new LinkedHashMap<>();
        nets.keySet().forEach(f -> versions.put(f, ControllerFile.FORMAT_VERSION));
        for (String fixture : List.of("controller_v1_clip.ctrl", "controller_v1_norm_tanh.ctrl")) {
            Path f = Fixtures.fixture(fixture);
            nets.put(f, ControllerFile.read(f).network());
            versions.put(f, 1);
        }

        List<String> cmd = new java.util.ArrayList<>(List.of(System.getProperty("spikerl.python"), "driver.py"));
        nets.keySet().forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        List<String> lines = out.lines().toList();
        assertEquals(nets.size(), lines.size(), out);
        int i = 0;
        for (Map.Entry<Path, SpikingActor> file : nets.entrySet()) {
            SpikingActor net = file.getValue();
            int version = versions.get(file.getKey());
            JsonNode got = JSON.readTree(lines.get(i++));
            assertEquals(version, got.get("version").asInt(), file.getKey().toString());
            assertEquals(net.neuron().spec(), got.get("neuron").asText());
            assertEquals(net.timesteps(), got.get("timesteps").asInt());
            Map<String, double[]> expected = tensors(net, version);
            assertEquals(List.copyOf(expected.keySet()), names(got.get("tensors").fieldNames()));
            for (Map.Entry<String, double[]> e : expected.entrySet()) {
                JsonNode t = got.get("tensors").get(e.getKey());
                double[] v = e.getValue();
                assertEquals(exactSum(v), t.get("fsum").asDouble(), e.getKey() + " sum");
                assertEquals(v[0], t.get("first").asDouble(), e.getKey() + " first value");
                assertEquals(v[v.length - 1], t.get("last").asDouble(), e.getKey() + " last value");
                long count = 1;
                for (JsonNode d : t.get("shape")) {
                    count *= d.asLong();
                }
                assertEquals(v.length, count, e.getKey() + " shape");
            }
        }
    }

    /** The correctly rounded sum, as math.fsum gives it (an infinite bound makes it that infinity). */
    private static double exactSum(double[] v) {
        BigDecimal sum = BigDecimal.ZERO;
        double infinite = 0;
        for (double x : v) {
            if (Double.isInfinite(x)) {
                infinite += x;
            } else {
                sum = sum.add(new BigDecimal(x));
            }
        }
        return infinite != 0 ? infinite : sum.doubleValue();
    }

    private static List<String> names(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }

    /**
     * The tensors as the format of {@code version} lists them, from the network's own fields; for
     * version 1 followed by the {@code snn_bias} copies of the biases that the documented reader
     * adds.
     */
    private static Map<String, double[]> tensors(SpikingActor net, int version) {
        Actor a = net.actor();
        Map<String, double[]> m = new LinkedHashMap<>();
        for (int l = 0; l < a.layers().size(); l++) {
            DenseLayer d = a.layers().get(l);
            m.put("layer" + (l + 1) + ".weight", widen(d.weight()));
            m.put("layer" + (l + 1) + ".bias", widen(d.bias()));
            if (l < a.layers().size() - 1) {
                m.put("layer" + (l + 1) + ".threshold", widen(net.thresholds(l)));
                if (version >= 2) {
                    m.put("layer" + (l + 1) + ".snn_bias", widen(net.biases(l)));
                }
            }
        }
        if (a.norm() != null) {
            m.put("norm.mean", a.norm().mean());
            m.put("norm.var", a.norm().var());
        }
        if (a.head() instanceof ActionHead.Tanh t) {
            m.put("head.scale", t.scale());
            m.put("head.bias", t.bias());
        } else if (a.head() instanceof ActionHead.Clip c) {
            m.put("head.low", c.low());
            m.put("head.high", c.high());
        }
        if (version == 1) {
            for (int l = 0; l < a.layers().size() - 1; l++) {
                m.put("layer" + (l + 1) + ".snn_bias", widen(net.biases(l)));
            }
        }
        return m;
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
