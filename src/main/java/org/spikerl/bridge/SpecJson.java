package org.spikerl.bridge;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.env.BoxSpace;
import org.spikerl.env.EnvSpec;

/** Reads the JSON the Python bridge returns from {@code make} and {@code versions}. */
final class SpecJson {
    // Python's json writes infinite Box bounds as Infinity / -Infinity.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private SpecJson() {
    }

    /** A made environment group: its handle on the Python side and its spec. */
    record Made(int handle, int numEnvs, EnvSpec spec) {
    }

    static Made parseMade(String json) {
        JsonNode root = read(json, "make");
        EnvSpec spec = new EnvSpec(
                text(root, "id"),
                box(root, "observation"),
                box(root, "action"),
                integer(root, "max_episode_steps"));
        return new Made(integer(root, "handle"), integer(root, "num_envs"), spec);
    }

    static Map<String, String> parseVersions(String json) {
        JsonNode root = read(json, "versions");
        Map<String, String> versions = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
        return Collections.unmodifiableMap(versions);
    }

    private static BoxSpace box(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || !node.isObject()) {
            throw malformed(field + " missing");
        }
        JsonNode shape = array(node, "shape", field);
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asInt();
        }
        try {
            return new BoxSpace(doubles(array(node, "low", field)), doubles(array(node, "high", field)), dims);
        } catch (IllegalArgumentException e) {
            throw malformed(field + ": " + e.getMessage());
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static JsonNode array(JsonNode node, String field, String parent) {
        JsonNode a = node.get(field);
        if (a == null || !a.isArray()) {
            throw malformed(parent + "." + field + " missing");
        }
        return a;
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw malformed(field + " missing");
        }
        return n.asText();
    }

    private static int integer(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToInt()) {
            throw malformed(field + " missing or not an int");
        }
        return n.asInt();
    }

    private static JsonNode read(String json, String what) {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw malformed(what + " reply is not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw malformed(what + " reply is not JSON: " + e.getMessage());
        }
    }

    private static BridgeException malformed(String detail) {
        return new BridgeException("malformed reply from the Python bridge: " + detail);
    }
}
