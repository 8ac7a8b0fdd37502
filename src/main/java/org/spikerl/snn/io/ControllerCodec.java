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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ActionHead;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.ObservationNorm;
import org.spikerl.snn.SpikingActor;

/**
 * The JSON header and the tensor data of a controller file (the framing is {@link ControllerFile}'s).
 * Tensors, in this order, with offsets relative to the start of the data section:
 * <pre>
 *   for l = 1..L:  layer{l}.weight  F32 [out_l, in_l]  (row-major, PyTorch's nn.Linear layout)
 *                  layer{l}.bias    F32 [out_l]
 *                  layer{l}.threshold F32 [out_l]      (hidden layers l &lt; L only)
 *   if the header has an observation norm:  norm.mean F64 [obs], norm.var F64 [obs]
 *   tanh head: head.scale F64 [act], head.bias F64 [act];  clip head: head.low F64 [act], head.high F64 [act]
 * </pre>
 * The reader derives this list from the header's layer sizes and requires the header's
 * {@code tensors} list to equal it, and the data section to be exactly as long as the list says,
 * before it allocates a single array.
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

    /** One tensor of the data section: {@code [begin, end)} bytes from the data start. */
    private record TensorSpec(String name, String dtype, long[] shape, long begin, long end) {
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
        n.put("neuron", "if");
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
        List<TensorSpec> specs = tensorSpecs(dims(layers), norm != null, actor.head() instanceof ActionHead.Tanh);
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
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = layers.get(l);
            data.asFloatBuffer().put(d.weight());
            data.position(data.position() + d.weight().length * Float.BYTES);
            putFloats(data, d.bias());
            if (l < layers.size() - 1) {
                putFloats(data, net.thresholds(l));
            }
        }
        if (norm != null) {
            putDoubles(data, norm.mean());
            putDoubles(data, norm.var());
        }
        if (actor.head() instanceof ActionHead.Tanh t) {
            putDoubles(data, t.scale());
            putDoubles(data, t.bias());
        } else if (actor.head() instanceof ActionHead.Clip c) {
            putDoubles(data, c.low());
            putDoubles(data, c.high());
        }
        try {
            return new Encoded(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), data.array());
        } catch (JsonProcessingException e) {
            throw new SpikerlException(where + ": cannot write the header (" + ControllerFile.oneLine(e.getOriginalMessage())
                    + ")", e);
        }
    }

    private static void putFloats(ByteBuffer b, float[] v) {
        b.asFloatBuffer().put(v);
        b.position(b.position() + v.length * Float.BYTES);
    }

    private static void putDoubles(ByteBuffer b, double[] v) {
        b.asDoubleBuffer().put(v);
        b.position(b.position() + v.length * Double.BYTES);
    }

    private static long[][] dims(List<DenseLayer> layers) {
        long[][] d = new long[layers.size()][];
        for (int l = 0; l < d.length; l++) {
            d[l] = new long[] {layers.get(l).in(), layers.get(l).out()};
        }
        return d;
    }

    /**
     * The tensors a network of these layer sizes has, in file order, with byte offsets. Widths are
     * at most {@link #MAX_WIDTH} and layers at most {@link #MAX_LAYERS}, so no sum overflows a long.
     */
    private static List<TensorSpec> tensorSpecs(long[][] dims, boolean norm, boolean tanh) {
        List<TensorSpec> specs = new ArrayList<>();
        long at = 0;
        int last = dims.length - 1;
        for (int l = 0; l <= last; l++) {
            long in = dims[l][0];
            long out = dims[l][1];
            String p = "layer" + (l + 1) + ".";
            at = add(specs, p + "weight", "F32", new long[] {out, in}, at);
            at = add(specs, p + "bias", "F32", new long[] {out}, at);
            if (l < last) {
                at = add(specs, p + "threshold", "F32", new long[] {out}, at);
            }
        }
        long obs = dims[0][0];
        long act = dims[last][1];
        if (norm) {
            at = add(specs, "norm.mean", "F64", new long[] {obs}, at);
            at = add(specs, "norm.var", "F64", new long[] {obs}, at);
        }
        at = add(specs, tanh ? "head.scale" : "head.low", "F64", new long[] {act}, at);
        add(specs, tanh ? "head.bias" : "head.high", "F64", new long[] {act}, at);
        return specs;
    }

    /** The header's {@code tensors} list for these layer sizes ({@code dims[l] = {in, out}}); for tests crafting headers. */
    static ArrayNode tensorsJson(long[][] dims, boolean norm, boolean tanh) {
        ArrayNode a = NODES.arrayNode();
        tensorSpecs(dims, norm, tanh).forEach(s -> a.add(s.toJson()));
        return a;
    }

    private static long add(List<TensorSpec> specs, String name, String dtype, long[] shape, long at) {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        long end = Math.addExact(at, Math.multiplyExact(count, dtype.equals("F32") ? Float.BYTES : Double.BYTES));
        specs.add(new TensorSpec(name, dtype, shape, at, end));
        return end;
    }

    /**
     * Parses and checks the header, then reads the tensors from {@code data} (little-endian, exactly
     * as long as the tensors need).
     */
    static Decoded decode(String where, byte[] bytes, int headerOffset, int headerLength, ByteBuffer data) {
        Header h = new Header(where);
        JsonNode root = h.parse(bytes, headerOffset, headerLength);
        String format = h.text(root, "format");
        if (!format.equals(ControllerFile.FORMAT_NAME)) {
            throw h.bad("format", "\"" + ControllerFile.FORMAT_NAME + "\"", root.get("format"));
        }
        h.integer(root, "format_version", ControllerFile.FORMAT_VERSION, ControllerFile.FORMAT_VERSION);
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
        h.expectText(n, "network.neuron", "if");
        h.expectText(n, "network.reset", "subtract");
        int timesteps = h.integer(n, "network.timesteps", 1, MAX_TIMESTEPS);
        int delay = h.integer(n, "network.delay", 0, timesteps - 1);
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

        List<TensorSpec> specs = tensorSpecs(dims, !normNode.isNull(), head.equals("tanh"));
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
        int t = 0;
        List<DenseLayer> layers = new ArrayList<>();
        float[][] thresholds = new float[dims.length - 1][];
        for (int l = 0; l < dims.length; l++) {
            int in = (int) dims[l][0];
            int out = (int) dims[l][1];
            float[] w = floats(where, specs.get(t++), data);
            float[] b = floats(where, specs.get(t++), data);
            layers.add(new DenseLayer(in, out, w, b));
            if (l < dims.length - 1) {
                thresholds[l] = floats(where, specs.get(t++), data);
            }
        }
        ObservationNorm norm = null;
        if (!normNode.isNull()) {
            double[] mean = doubles(where, specs.get(t++), data, false);
            double[] var = doubles(where, specs.get(t++), data, false);
            for (int i = 0; i < var.length; i++) {
                if (var[i] < 0) {
                    throw new SpikerlException(where + ": tensor norm.var[" + i + "] is " + var[i] + ", expected >= 0");
                }
            }
            norm = new ObservationNorm(mean, var, eps, clip);
        }
        ActionHead actionHead;
        if (head.equals("tanh")) {
            actionHead = new ActionHead.Tanh(doubles(where, specs.get(t++), data, false),
                    doubles(where, specs.get(t++), data, false));
        } else {
            double[] low = doubles(where, specs.get(t++), data, true);
            double[] high = doubles(where, specs.get(t++), data, true);
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
            net = new SpikingActor(actor, thresholds, timesteps, delay, alpha, v0Fraction);
        } catch (SpikerlException | IllegalArgumentException e) {
            // Checked above already; kept so that no invariant of the model classes escapes as a stack trace.
            throw new SpikerlException(where + ": " + e.getMessage(), e);
        }
        return new Decoded(net, provenance(h, root));
    }

    private static float[] floats(String where, TensorSpec spec, ByteBuffer data) {
        float[] v = new float[(int) ((spec.end() - spec.begin()) / Float.BYTES)];
        data.slice((int) spec.begin(), (int) (spec.end() - spec.begin())).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer().get(v);
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new SpikerlException(where + ": tensor " + spec.name() + "[" + i + "] is " + v[i]
                        + ", expected a finite number");
            }
        }
        return v;
    }

    /** float64 values; {@code infinityAllowed} for clip bounds (an unbounded side), never NaN. */
    private static double[] doubles(String where, TensorSpec spec, ByteBuffer data, boolean infinityAllowed) {
        double[] v = new double[(int) ((spec.end() - spec.begin()) / Double.BYTES)];
        data.slice((int) spec.begin(), (int) (spec.end() - spec.begin())).order(ByteOrder.LITTLE_ENDIAN)
                .asDoubleBuffer().get(v);
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i]) || (!infinityAllowed && Double.isInfinite(v[i]))) {
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
            JsonNode v = field(parent, path);
            if (!v.isTextual() || !v.asText().equals(expected)) {
                throw bad(path, "\"" + expected + "\"", v);
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
