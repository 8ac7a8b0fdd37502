package org.spikerl.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.bridge.BridgeException;
import org.spikerl.control.StopRequest;
import org.spikerl.results.OutputException;

/**
 * What stopped a run before it finished, for the {@code "status": "incomplete"} results written
 * from the work that did finish: a signal ({@code SIGINT}, {@code SIGTERM}), the bridge (its
 * process died or stopped answering), a failed write, or another error; with the one-line error.
 *
 * @param stoppedBy {@code SIGINT}, {@code SIGTERM}, {@code bridge}, {@code output} or {@code error}
 * @param error the failure's message (names the environment, episode and step, and a sweep's row)
 */
public record Interruption(String stoppedBy, String error) {

    /** Classifies {@code failure}; a requested stop wins over the failure it caused. */
    public static Interruption of(Throwable failure) {
        String by;
        if (StopRequest.requested()) {
            by = StopRequest.reason();
        } else if (OutputException.find(failure) != null) {
            by = "output";
        } else if (has(failure, BridgeException.class)) {
            by = "bridge";
        } else {
            by = "error";
        }
        return new Interruption(by, failure.getMessage());
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** {@code status}, {@code stopped_by} and {@code error}, for a summary or a sweep file. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "incomplete");
        m.put("stopped_by", stoppedBy);
        m.put("error", error);
        return m;
    }
}
