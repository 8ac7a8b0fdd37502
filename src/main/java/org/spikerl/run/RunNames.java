package org.spikerl.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and compact records of a run: the default folder's tag and the seeds as a range. */
public final class RunNames {
    private RunNames() {
    }

    /**
     * The controller kind, then for a converted controller its T and a short hash of all its
     * settings ({@code snn-T8-3fa9c2d1}): runs of different conversions never share a folder name.
     */
    public static String tag(String kind, Map<String, Object> settings) {
        if (settings == null || settings.isEmpty()) {
            return kind;
        }
        Object t = settings.get("timesteps");
        return kind + (t != null ? "-T" + t : "") + "-" + shortHash(settings.toString());
    }

    static String shortHash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Episode seeds {@code first..last} (episode i has seed {@code first + i}, SPEC 8), stored as a
     * range so provenance stays small however many episodes run.
     */
    public static Map<String, Object> seedRange(long first, long count) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("first", first);
        m.put("last", first + count - 1);
        m.put("count", count);
        return m;
    }
}
