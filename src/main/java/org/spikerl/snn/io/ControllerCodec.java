package org.spikerl.snn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.ObservationNorm;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.snn.SpikingActor;

/**
 * The JSON header and the tensor data of a controller file (the framing is {@link ControllerFile}'s).
 * Tensors, in this order, with offsets relative to the start of the data section:
 * <pre>
 *   for l = 1..L:  layer{l}.weight    F32 [out_l, in_l]  (row-major, PyTorch's nn.Linear layout)
 *                  layer{l}.bias      F32 [out_l]        (the ANN's bias)
 *                  layer{l}.threshold F32 [out_l]        (hidden layers l &lt; L only)
 *                  layer{l}.snn_bias  F32 [out_l]        (hidden layers l &lt; L only, format version 2 on:
 *                                                       the bias the SNN uses, calibrated or the ANN's)
 *   if the header has an observation norm:  norm.mean F64 [obs], norm.var F64 [obs]
 *   tanh head: head.scale F64 [act], head.bias F64 [act];  clip head: head.low F64 [act], head.high F64 [act]
 * </pre>
 * {@link #tensorSpecs} is this table, the one place that says which tensors a file of a format
 * version has, in which order and where: the writer fills the data section from it and the reader
 * derives it from the header's version and layer sizes, requires the header's {@code tensors} list
 * to equal it, and the data section to be exactly as long as the list says, before it allocates a
 * single array.
 */
final class ControllerCodec {
    /** Largest layer width the reader accepts: as many float32 values as the file size limit allows. */
    static final long MAX_WIDTH = ControllerFile.MAX_FILE_BYTES / Float.BYTES;
    /** Most dense layers the reader accepts. */
    static final int MAX_LAYERS = 64;
    /** Largest latency T the reader accepts: act() runs T timesteps, so an absurd T would stall a control loop. */
    static final int MAX_TIMESTEPS = 1 << 16;

    /** Refuses anything but spaces after the header object (the padding), and duplicate keys (ambiguous). */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ControllerCodec() {
    }

    record Encoded(byte[] header, byte[] data) {
    }

    record Decoded(SpikingActor network, Map<String, Object> provenance) {
    }

    /** What a version-2 reader expects of {@code network.neuron}. */
    private static final String NEURON_EXPECTED = "\"if\", \"signed\", \"mt:N\" or \"mt:N@P\" with N in 2.."
            + NeuronModel.MAX_THRESHOLDS + " and P in 1.." + NeuronModel.MAX_PERIOD + ", or one of them per hidden layer separated by commas";

    /**
     * One tensor of the data section: {@code [begin, end)} bytes from the data start;
     * {@code infiniteAllowed} for the clip head's bounds (an unbounded side), every other value
     * must be finite. NaN never is.
     */
    private record TensorSpec(String name, String dtype, long[] shape, long begin, long end, boolean infiniteAllowed) {
        long bytes() {
            return end - begin;
        }

        ObjectNode toJson() {
            ObjectNode t = NODES.objectNode();
            t.put("name", name);
            t.put("dtype", dtype);
            ArrayNode s = t.putArray("shape");
            for (long d : shape) {
                s.add(d);
            }
            t.putArray("data_offsets").add(begin).add(end);
            return t;
        }

        /** Same fields, same values (by value: a parsed 4 is an int node, a written one a long node). */
        boolean matches(JsonNode t) {
            return t.isObject() && t.size() == 4
                    && t.path("name").isTextual() && t.path("name").asText().equals(name)
                    && t.path("dtype").isTextual() && t.path("dtype").asText().equals(dtype)
                    && integers(t.path("shape"), shape)
                    && integers(t.path("data_offsets"), new long[] {begin, end});
        }

        private static boolean integers(JsonNode a, long[] expected) {
            if (!a.isArray() || a.size() != expected.length) {
                return false;
            }
            for (int i = 0; i < expected.length; i++) {
                JsonNode v = a.get(i);
                if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() != expected[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    static Encoded encode(SpikingActor net, Map<String, ?> provenance, String where) {
        Actor actor = net.actor();
        List<DenseLayer> layers = actor.layers();
        ObservationNorm norm = actor.norm();
        if (norm != null && !(Double.isFinite(norm.eps()) && Double.isFinite(norm.clip()))) {
            throw new SpikerlException(where + ": cannot write an observation norm with eps " + norm.eps()
                    + " and clip " + norm.clip() + ", expected finite values");
        }
        ObjectNode root = NODES.objectNode();
        root.put("format", ControllerFile.FORMAT_NAME);
        root.put("format_version", ControllerFile.FORMAT_VERSION);
        root.put("writer", "spikerl " + version());
        ObjectNode n = root.putObject("network");
        n.put("observation_size", actor.observationSize());
        n.put("action_size", actor.actionSize());
        ArrayNode ls = n.putArray("layers");
        for (DenseLayer d : layers) {
            ls.addObject().put("in", d.in()).put("out", d.out());
        }
        n.put("neuron", net.neuron().spec());
        n.put("reset", "subtract");
        n.put("timesteps", net.timesteps());
        n.put("delay", net.delay());
        // float32 values as their exact double: parsing the double and casting gives the same float back.
        n.put("alpha", (double) net.alpha());
        n.put("v0_fraction", (double) net.v0Fraction());
        if (norm != null) {
            n.putObject("observation_norm").put("eps", norm.eps()).put("clip", norm.clip());
        } else {
            n.putNull("observation_norm");
        }
        n.put("head", actor.head() instanceof ActionHead.Tanh ? "tanh" : "clip");
        n.put("actor_source", actor.source());
        List<TensorSpec> specs = tensorSpecs(ControllerFile.FORMAT_VERSION, dims(layers), norm != null,
                actor.head() instanceof ActionHead.Tanh);
        ArrayNode ts = root.putArray("tensors");
        specs.forEach(s -> ts.add(s.toJson()));
        try {
            root.set("provenance", provenance == null ? NODES.objectNode() : MAPPER.valueToTree(provenance));
        } catch (IllegalArgumentException e) {
            throw new SpikerlException(where + ": provenance cannot be written as JSON ("
                    + ControllerFile.oneLine(e.getMessage()) + ")", e);
        }

        long total = specs.get(specs.size() - 1).end();
        ByteBuffer data = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Object> values = tensorValues(net);
        for (TensorSpec s : specs) {
            Object v = values.remove(s.name());
            data.position((int) s.begin());
            if (v instanceof float[] f && s.dtype().equals("F32") && (long) f.length * Float.BYTES == s.bytes()) {
                data.asFloatBuffer().put(f);
            } else if (v instanceof double[] d && s.dtype().equals("F64")
                    && (long) d.length * Double.BYTES == s.bytes()) {
                data.asDoubleBuffer().put(d);
            } else {
                // The table and tensorValues disagree: a bug here, not a property of the network.
                throw new IllegalStateException("tensor " + s.name() + ": the network has no values of that type and size");
            }
        }
        if (!values.isEmpty()) {
            throw new IllegalStateException("tensors " + values.keySet() + " are not in the tensor table");
        }
        try {
            return new Encoded(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), data.array());
        } catch (JsonProcessingException e) {
            throw new SpikerlException(where + ": cannot write the header (" + ControllerFile.oneLine(e.getOriginalMessage())
                    + ")", e);
        }
    }

    /**
     * Every tensor of a current-version file, by name, from the network ({@code float[]} for F32,
     * {@code double[]} for F64); {@link #tensorSpecs} decides which are written and where.
     */
    private static Map<String, Object> tensorValues(SpikingActor net) {
        Actor actor = net.actor();
        List<DenseLayer> layers = actor.layers();
        Map<String, Object> v = new HashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            String p = "layer" + (l + 1) + ".";
            v.put(p + "weight", layers.get(l).weight());
            v.put(p + "bias", layers.get(l).bias());
            if (l < layers.size() - 1) {
                v.put(p + "threshold", net.thresholds(l));
                v.put(p + "snn_bias", net.biases(l));
            }
        }
        if (actor.norm() != null) {
            v.put("norm.mean", actor.norm().mean());
            v.put("norm.var", actor.norm().var());
        }
        if (actor.head() instanceof ActionHead.Tanh t) {
            v.put("head.scale", t.scale());
            v.put("head.bias", t.bias());
        } else if (actor.head() instanceof ActionHead.Clip c) {
            v.put("head.low", c.low());
            v.put("head.high", c.high());
        }
        return v;
    }

    private static long[][] dims(List<DenseLayer> layers) {
        long[][] d = new long[layers.size()][];
        for (int l = 0; l < d.length; l++) {
            d[l] = new long[] {layers.get(l).in(), layers.get(l).out()};
        }
        return d;
    }

    /**
     * The tensors a file of format {@code version} has for a network of these layer sizes, in file
     * order, with byte offsets: the table of the class comment. Widths are at most
     * {@link #MAX_WIDTH} and layers at most {@link #MAX_LAYERS}, so no sum overflows a long.
     */
    private static List<TensorSpec> tensorSpecs(int version, long[][] dims, boolean norm, boolean tanh) {
        List<TensorSpec> specs = new ArrayList<>();
        long at = 0;
        int last = dims.length - 1;
        for (int l = 0; l <= last; l++) {
            long in = dims[l][0];
            long out = dims[l][1];
            String p = "layer" + (l + 1) + ".";
            at = add(specs, p + "weight", "F32", new long[] {out, in}, at, false);
            at = add(specs, p + "bias", "F32", new long[] {out}, at, false);
            if (l < last) {
                at = add(specs, p + "threshold", "F32", new long[] {out}, at, false);
                if (version >= 2) {
                    at = add(specs, p + "snn_bias", "F32", new long[] {out}, at, false);
                }
            }
        }
        long obs = dims[0][0];
        long act = dims[last][1];
        if (norm) {
            at = add(specs, "norm.mean", "F64", new long[] {obs}, at, false);
            at = add(specs, "norm.var", "F64", new long[] {obs}, at, false);
        }
        if (tanh) {
            at = add(specs, "head.scale", "F64", new long[] {act}, at, false);
            add(specs, "head.bias", "F64", new long[] {act}, at, false);
        } else {
            at = add(specs, "head.low", "F64", new long[] {act}, at, true);
            add(specs, "head.high", "F64", new long[] {act}, at, true);
        }
        return specs;
    }

    /**
     * The header's {@code tensors} list of format {@code version} for these layer sizes
     * ({@code dims[l] = {in, out}}); for tests crafting headers.
     */
    static ArrayNode tensorsJson(int version, long[][] dims, boolean norm, boolean tanh) {
        ArrayNode a = NODES.arrayNode();
        tensorSpecs(version, dims, norm, tanh).forEach(s -> a.add(s.toJson()));
        return a;
    }

    private static long add(List<TensorSpec> specs, String name, String dtype, long[] shape, long at,
                            boolean infiniteAllowed) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        long end = Math.addExact(at, Math.multiplyExact(count, dtype.equals("F32") ? Float.BYTES : Double.BYTES));
        specs.add(new TensorSpec(name, dtype, shape, at, end, infiniteAllowed));
        return end;
    }

    /**
     * Parses and checks the header of a format-{@code version} file (1 or 2, as the prefix says),
     * then reads the tensors from {@code data} (little-endian, exactly as long as the tensors need).
     * Version 1 files hold IF neurons and no {@code snn_bias} tensors: the SNN uses the ANN's biases.
     */
    static Decoded decode(String where, int version, byte[] bytes, int headerOffset, int headerLength,
                          ByteBuffer data) {
        if (version < ControllerFile.OLDEST_FORMAT_VERSION || version > ControllerFile.FORMAT_VERSION) {
            throw new IllegalArgumentException("format version " + version + " is not one this reader knows");
        }
        Header h = new Header(where);
        JsonNode root = h.parse(bytes, headerOffset, headerLength);
        String format = h.text(root, "format");
        if (!format.equals(ControllerFile.FORMAT_NAME)) {
            throw h.bad("format", "\"" + ControllerFile.FORMAT_NAME + "\"", root.get("format"));
        }
        JsonNode versionNode = h.field(root, "format_version");
        if (!versionNode.isIntegralNumber() || !versionNode.canConvertToLong() || versionNode.asLong() != version) {
            throw h.bad("format_version", version + " (the format version in the file's prefix)", versionNode);
        }
        JsonNode n = h.object(root, "network");
        int obs = h.integer(n, "network.observation_size", 1, MAX_WIDTH);
        int act = h.integer(n, "network.action_size", 1, MAX_WIDTH);
        JsonNode layersNode = h.array(n, "network.layers", 2, MAX_LAYERS);
        long[][] dims = new long[layersNode.size()][];
        for (int l = 0; l < dims.length; l++) {
            String f = "network.layers[" + l + "]";
            JsonNode layer = layersNode.get(l);
            if (!layer.isObject()) {
                throw h.bad(f, "an object {\"in\": .., \"out\": ..}", layer);
            }
            dims[l] = new long[] {h.integer(layer, f + ".in", 1, MAX_WIDTH), h.integer(layer, f + ".out", 1, MAX_WIDTH)};
            long expectedIn = l == 0 ? obs : dims[l - 1][1];
            if (dims[l][0] != expectedIn) {
                throw new SpikerlException(where + ": header field " + f + ".in is " + dims[l][0] + ", expected "
                        + expectedIn + (l == 0 ? " (the observation size)" : " (the previous layer's out)"));
            }
        }
        if (dims[dims.length - 1][1] != act) {
            throw new SpikerlException(where + ": header field network.layers[" + (dims.length - 1) + "].out is "
                    + dims[dims.length - 1][1] + ", expected " + act + " (the action size)");
        }
        NeuronPlan neuron = version == 1 ? neuronV1(h, n) : neuron(h, n);
        h.expectText(n, "network.reset", "subtract");
        int timesteps = h.integer(n, "network.timesteps", 1, MAX_TIMESTEPS);
        if (timesteps % neuron.period() != 0) {
            throw h.bad("network.timesteps", "a multiple of " + neuron.period() + " (the firing period of neuron "
                    + neuron.spec() + ")", n.get("timesteps"));
        }
        int delay = h.integer(n, "network.delay", 0, timesteps - 1);
        if (delay % neuron.period() != 0) {
            throw h.bad("network.delay", "a multiple of " + neuron.period() + " (the firing period of neuron "
                    + neuron.spec() + ")", n.get("delay"));
        }
        double alpha = h.number(n, "network.alpha", 0, 1);
        double v0Fraction = h.number(n, "network.v0_fraction", 0, 1);
        JsonNode normNode = h.field(n, "network.observation_norm");
        double eps = 0;
        double clip = 0;
        if (!normNode.isNull()) {
            if (!normNode.isObject()) {
                throw h.bad("network.observation_norm", "null or an object {\"eps\": .., \"clip\": ..}", normNode);
            }
            eps = h.number(normNode, "network.observation_norm.eps", Double.MIN_VALUE, Double.MAX_VALUE);
            clip = h.number(normNode, "network.observation_norm.clip", Double.MIN_VALUE, Double.MAX_VALUE);
        }
        String head = h.text(n, "network.head");
        if (!head.equals("tanh") && !head.equals("clip")) {
            throw h.bad("network.head", "\"tanh\" or \"clip\"", n.get("head"));
        }
        JsonNode source = n.get("actor_source");

        List<TensorSpec> specs = tensorSpecs(version, dims, !normNode.isNull(), head.equals("tanh"));
        JsonNode tensors = h.array(root, "tensors", specs.size(), specs.size());
        for (int i = 0; i < specs.size(); i++) {
            if (!specs.get(i).matches(tensors.get(i))) {
                throw new SpikerlException(where + ": header field tensors[" + i + "] is "
                        + ControllerFile.oneLine(tensors.get(i).toString()) + ", expected " + specs.get(i).toJson());
            }
        }
        long needed = specs.get(specs.size() - 1).end();
        if (needed != data.remaining()) {
            throw new SpikerlException(where + ": the header's tensors take " + needed + " bytes but the data section has "
                    + data.remaining() + (needed > data.remaining() ? "; the file is truncated or the header damaged"
                    : "; the file has bytes the header does not describe"));
        }

        // From here every size is backed by bytes present in the file.
        Map<String, float[]> f32 = new HashMap<>();
        Map<String, double[]> f64 = new HashMap<>();
        for (TensorSpec s : specs) {
            if (s.dtype().equals("F32")) {
                f32.put(s.name(), floats(where, s, data));
            } else {
                f64.put(s.name(), doubles(where, s, data));
            }
        }
        List<DenseLayer> layers = new ArrayList<>();
        float[][] thresholds = new float[dims.length - 1][];
        float[][] snnBiases = version >= 2 ? new float[dims.length - 1][] : null;
        for (int l = 0; l < dims.length; l++) {
            String p = "layer" + (l + 1) + ".";
            layers.add(new DenseLayer((int) dims[l][0], (int) dims[l][1], f32.get(p + "weight"), f32.get(p + "bias")));
            if (l < dims.length - 1) {
                thresholds[l] = f32.get(p + "threshold");
                if (snnBiases != null) {
                    snnBiases[l] = f32.get(p + "snn_bias");
                }
            }
        }
        ObservationNorm norm = null;
        if (!normNode.isNull()) {
            double[] var = f64.get("norm.var");
            for (int i = 0; i < var.length; i++) {
                if (var[i] < 0) {
                    throw new SpikerlException(where + ": tensor norm.var[" + i + "] is " + var[i] + ", expected >= 0");
                }
            }
            norm = new ObservationNorm(f64.get("norm.mean"), var, eps, clip);
        }
        ActionHead actionHead;
        if (head.equals("tanh")) {
            actionHead = new ActionHead.Tanh(f64.get("head.scale"), f64.get("head.bias"));
        } else {
            double[] low = f64.get("head.low");
            double[] high = f64.get("head.high");
            for (int i = 0; i < low.length; i++) {
                if (!(low[i] <= high[i])) {
                    throw new SpikerlException(where + ": tensors head.low[" + i + "] = " + low[i] + " and head.high["
                            + i + "] = " + high[i] + ", expected low <= high");
                }
            }
            actionHead = new ActionHead.Clip(low, high);
        }
        String actorSource = source != null && source.isTextual() ? source.asText() : "unknown actor";
        SpikingActor net;
        try {
            Actor actor = new Actor(layers, norm, actionHead, where + " (converted from " + actorSource + ")");
            net = new SpikingActor(actor, neuron, thresholds, snnBiases, timesteps, delay, alpha, v0Fraction);
        } catch (SpikerlException | IllegalArgumentException e) {
            // Checked above already; kept so that no invariant of the model classes escapes as a stack trace.
            throw new SpikerlException(where + ": " + e.getMessage(), e);
        }
        return new Decoded(net, provenance(h, root));
    }

    /** Version 1 knows the IF neuron only. */
    private static NeuronPlan neuronV1(Header h, JsonNode n) {
        h.expectText(n, "network.neuron", "if", "\"if\" (the only neuron of format version 1)");
        return NeuronPlan.IF;
    }

    /**
     * Version 2: a {@link NeuronPlan#spec()}, exactly as the writer writes it ({@code if}, {@code mt:3},
     * {@code signed}, or one per hidden layer: {@code if,mt:4}).
     */
    private static NeuronPlan neuron(Header h, JsonNode n) {
        JsonNode v = h.field(n, "network.neuron");
        if (v.isTextual()) {
            try {
                NeuronPlan m = NeuronPlan.parse(v.asText());
                if (m.spec().equals(v.asText())) {
                    return m;
                }
            } catch (SpikerlException e) {
                // reported below, naming the file and the field
            }
        }
        throw h.bad("network.neuron", NEURON_EXPECTED, v);
    }

    private static float[] floats(String where, TensorSpec spec, ByteBuffer data) {
        float[] v = new float[(int) (spec.bytes() / Float.BYTES)];
        data.slice((int) spec.begin(), (int) spec.bytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new SpikerlException(where + ": tensor " + spec.name() + "[" + i + "] is " + v[i]
                        + ", expected a finite number");
            }
        }
        return v;
    }

    /** float64 values; infinite ones only where the spec allows them (clip bounds: an unbounded side), never NaN. */
    private static double[] doubles(String where, TensorSpec spec, ByteBuffer data) {
        double[] v = new double[(int) (spec.bytes() / Double.BYTES)];
        data.slice((int) spec.begin(), (int) spec.bytes()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(v);
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i]) || (!spec.infiniteAllowed() && Double.isInfinite(v[i]))) {
                throw new SpikerlException(where + ": tensor " + spec.name() + "[" + i + "] is " + v[i]
                        + ", expected a finite number");
            }
        }
        return v;
    }

    private static Map<String, Object> provenance(Header h, JsonNode root) {
        JsonNode p = root.get("provenance");
        if (p == null || p.isNull()) {
            return Map.of();
        }
        if (!p.isObject()) {
            throw h.bad("provenance", "an object", p);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = MAPPER.convertValue(p, LinkedHashMap.class);
        return Collections.unmodifiableMap(m);
    }

    private static String version() {
        String v = ControllerCodec.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    /** Header field access with one-line errors naming the file and the field. */
    private record Header(String where) {
        JsonNode parse(byte[] bytes, int offset, int length) {
            JsonNode root;
            try {
                root = MAPPER.readTree(bytes, offset, length);
            } catch (JsonProcessingException e) {
                throw new SpikerlException(where + ": the header is not valid JSON ("
                        + ControllerFile.oneLine(e.getOriginalMessage()) + ")", e);
            } catch (IOException e) {
                throw new SpikerlException(where + ": the header cannot be read (" + ControllerFile.oneLine(e.toString())
                        + ")", e);
            }
            if (root == null || !root.isObject()) {
                throw new SpikerlException(where + ": the header is " + (root == null || root.isMissingNode() ? "empty" : "a JSON "
                        + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + ", expected a JSON object");
            }
            return root;
        }

        JsonNode field(JsonNode parent, String path) {
            JsonNode v = parent.get(path.substring(path.lastIndexOf('.') + 1));
            if (v == null) {
                throw new SpikerlException(where + ": header field " + path + " is missing");
            }
            return v;
        }

        JsonNode object(JsonNode parent, String path) {
            JsonNode v = field(parent, path);
            if (!v.isObject()) {
                throw bad(path, "an object", v);
            }
            return v;
        }

        JsonNode array(JsonNode parent, String path, int min, int max) {
            JsonNode v = field(parent, path);
            if (!v.isArray() || v.size() < min || v.size() > max) {
                throw bad(path, "an array of " + (min == max ? String.valueOf(min) : min + " to " + max) + " entries", v);
            }
            return v;
        }

        String text(JsonNode parent, String path) {
            JsonNode v = field(parent, path);
            if (!v.isTextual()) {
                throw bad(path, "a string", v);
            }
            return v.asText();
        }

        void expectText(JsonNode parent, String path, String expected) {
            expectText(parent, path, expected, "\"" + expected + "\"");
        }

        void expectText(JsonNode parent, String path, String expected, String described) {
            JsonNode v = field(parent, path);
            if (!v.isTextual() || !v.asText().equals(expected)) {
                throw bad(path, described, v);
            }
        }

        int integer(JsonNode parent, String path, long min, long max) {
            JsonNode v = field(parent, path);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
                throw bad(path, "an integer in [" + min + ", " + max + "]", v);
            }
            return (int) v.asLong();
        }

        double number(JsonNode parent, String path, double min, double max) {
            JsonNode v = field(parent, path);
            if (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
                throw bad(path, "a number in [" + min + ", " + max + "]", v);
            }
            return v.asDouble();
        }

        SpikerlException bad(String path, String expected, JsonNode got) {
            return new SpikerlException(where + ": header field " + path + " is "
                    + (got == null ? "missing" : ControllerFile.oneLine(got.toString())) + ", expected " + expected);
        }
    }
}
