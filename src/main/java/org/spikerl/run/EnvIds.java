package org.spikerl.run;

import java.util.List;
import java.util.regex.Pattern;
import org.spikerl.SpikerlException;
import org.spikerl.env.EnvBackend;

/**
 * Environment ids carry their version (SPEC 8): {@code Hopper-v4}, not {@code Hopper}, which
 * Gymnasium would quietly resolve to its newest version while the results record "Hopper".
 */
public final class EnvIds {
    private static final Pattern VERSIONED = Pattern.compile(".+-v\\d+");

    private EnvIds() {
    }

    /** Returns {@code id} when it has a version; otherwise refuses it, naming the registered versions. */
    public static String versioned(String id, EnvBackend backend) {
        if (VERSIONED.matcher(id).matches()) {
            return id;
        }
        return versioned(id, backend.envIds());
    }

    static String versioned(String id, List<String> registered) {
        if (VERSIONED.matcher(id).matches()) {
            return id;
        }
        // Namespaced ids keep their namespace ("ns/Name-v0"); the versions of exactly this name.
        Pattern sameName = Pattern.compile(Pattern.quote(id) + "-v\\d+");
        List<String> versions = registered.stream().filter(r -> sameName.matcher(r).matches()).sorted().toList();
        throw new SpikerlException("env '" + id + "' has no version; give the exact Gymnasium id, e.g. "
                + (versions.isEmpty() ? id + "-v4 (no version of '" + id + "' is registered)"
                : String.join(" or ", versions) + " (the registered versions)"));
    }
}
