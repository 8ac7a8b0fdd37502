package org.spikerl.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.spikerl.SpikerlException;

/**
 * Whether a stopped run's folder may be completed by the run about to start: its
 * {@code provenance.json} must have the same configuration, actor SHA-256, observation statistics
 * (file and SHA-256), spikerl version and versions (Python, Gymnasium, MuJoCo, Java, ...) as the
 * new run's provenance. Shared by
 * {@code sweep --resume} and {@code eval --resume}.
 */
public final class ResumeCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The provenance fields that must agree. */
    public static final List<String> FIELDS = List.of("config", "policy_sha256", "normalization", "spikerl_version",
            "versions");

    private ResumeCheck() {
    }

    /**
     * Refuses to resume {@code previous} unless its provenance agrees with {@code now} on
     * {@link #FIELDS}; the message names what differs and ends with {@code instead} (e.g. "start
     * a new sweep instead"). {@code ignoredConfig} names config keys that may differ (spellings of
     * a file name whose content is compared elsewhere).
     */
    public static void check(Path previous, Map<String, Object> now, String instead, String... ignoredConfig) {
        Path file = previous.resolve("provenance.json");
        JsonNode old;
        try {
            old = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new SpikerlException("cannot resume " + previous + ": cannot read " + file + " (" + e.getMessage()
                    .lines().findFirst().orElse("") + ")", e);
        }
        JsonNode cur;
        try {
            cur = JSON.readTree(JSON.writeValueAsString(now)); // as it would read back from the file
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (JsonNode n : new JsonNode[] {old.get("config"), cur.get("config")}) {
            if (n instanceof ObjectNode o) {
                for (String k : ignoredConfig) {
                    o.remove(k);
                }
            }
        }
        for (String field : FIELDS) {
            JsonNode a = old.get(field);
            JsonNode b = cur.get(field);
            if (!Objects.equals(a, b)) {
                throw new SpikerlException("cannot resume " + previous + ": its " + field + " differs from this run's"
                        + differences(a, b) + "; " + instead);
            }
        }
    }

    private static String differences(JsonNode a, JsonNode b) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            StringBuilder s = new StringBuilder();
            a.fieldNames().forEachRemaining(k -> {
                if (!Objects.equals(a.get(k), b.get(k)) && s.length() < 300) {
                    s.append(s.length() == 0 ? " (" : ", ").append(k).append(": ").append(a.get(k)).append(" then, ")
                            .append(b.get(k)).append(" now");
                }
            });
            b.fieldNames().forEachRemaining(k -> {
                if (!a.has(k) && s.length() < 300) {
                    s.append(s.length() == 0 ? " (" : ", ").append(k).append(": absent then, ").append(b.get(k))
                            .append(" now");
                }
            });
            return s.length() == 0 ? "" : s.append(")").toString();
        }
        return " (" + a + " then, " + b + " now)";
    }
}
