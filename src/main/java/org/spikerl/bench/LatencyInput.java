package org.spikerl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.io.ActorLoader;

/**
 * What the forked benchmark JVMs need, handed over in a JSON file because JMH measures in fresh
 * JVMs that have no bridge: the actor file, the env's action bounds (a state dict does not carry
 * them) and the recorded closed-loop observations, in the order they were visited. Doubles are
 * written in Java's shortest round-trip form, so a fork reads back exactly the recorded values.
 *
 * @param env environment id the observations came from
 * @param policy absolute path of the actor file
 * @param actionLow env action lower bounds
 * @param actionHigh env action upper bounds
 * @param seed seed of the recording's first episode
 * @param observations {@code [step][obs]}
 */
public record LatencyInput(String env, Path policy, double[] actionLow, double[] actionHigh, long seed,
                           double[][] observations) {
    /** System property naming the input file in the forked JVMs. */
    public static final String PROPERTY = "spikerl.bench.input";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The actor with the recorded env's action bounds, as the parent loaded it. */
    public Actor loadActor() {
        return ActorLoader.load(policy, ActorLoader.Options.defaults().withActionBounds(actionLow, actionHigh));
    }

    public void write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("env", env);
        root.put("policy", policy.toAbsolutePath().toString());
        root.set("action_low", array(actionLow));
        root.set("action_high", array(actionHigh));
        root.put("seed", seed);
        ArrayNode obs = root.putArray("observations");
        for (double[] o : observations) {
            obs.add(array(o));
        }
        try {
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new SpikerlException("cannot write benchmark input " + file + ": " + e.getMessage(), e);
        }
    }

    public static LatencyInput read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new SpikerlException("cannot read benchmark input " + file + ": " + e.getMessage(), e);
        }
        JsonNode obs = field(file, root, "observations");
        if (!obs.isArray() || obs.isEmpty()) {
            throw new SpikerlException(file + ": observations must be a non-empty array");
        }
        double[][] observations = new double[obs.size()][];
        for (int k = 0; k < observations.length; k++) {
            observations[k] = doubles(file, "observations[" + k + "]", obs.get(k));
        }
        return new LatencyInput(field(file, root, "env").asText(), Path.of(field(file, root, "policy").asText()),
                doubles(file, "action_low", field(file, root, "action_low")),
                doubles(file, "action_high", field(file, root, "action_high")),
                field(file, root, "seed").asLong(), observations);
    }

    /** The file named by {@link #PROPERTY}; fails with a clear message when it is not set. */
    public static LatencyInput fromSystemProperty() {
        String path = System.getProperty(PROPERTY);
        if (path == null || path.isBlank()) {
            throw new SpikerlException("system property " + PROPERTY + " is not set: the latency benchmarks"
                    + " read their observations from the file it names (run them through spikerl bench latency)");
        }
        return read(Path.of(path));
    }

    private static ArrayNode array(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonNode field(Path file, JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            throw new SpikerlException(file + ": field " + name + " is missing");
        }
        return n;
    }

    private static double[] doubles(Path file, String name, JsonNode n) {
        if (!n.isArray()) {
            throw new SpikerlException(file + ": " + name + " must be an array of numbers");
        }
        double[] d = new double[n.size()];
        for (int i = 0; i < d.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isNumber()) {
                throw new SpikerlException(file + ": " + name + "[" + i + "] must be a number, got " + v);
            }
            d[i] = v.asDouble();
        }
        return d;
    }
}
