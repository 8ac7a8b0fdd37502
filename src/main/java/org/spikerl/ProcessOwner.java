package org.spikerl;

import java.time.Instant;
import java.util.Optional;

/**
 * The process that owns what a write leaves in a folder while it works (a staging folder, a
 * temporary file), written into its name as {@code p<pid>t<start>}: the PID and the start time
 * (epoch milliseconds, as {@link ProcessHandle} gives it; 0 when unknown). Only a process killed
 * outright (SIGKILL, out of memory, power loss) leaves such a name behind; the next writer tells
 * that from a write in progress with {@link #gone}.
 */
public final class ProcessOwner {
    private ProcessOwner() {
    }

    /** This process's tag, {@code p<pid>t<start>}. */
    public static String tag() {
        ProcessHandle self = ProcessHandle.current();
        return tag(self.pid(), startMillis(self).orElse(0L));
    }

    /** The tag of process {@code pid} started at {@code startMillis} (0: unknown). */
    public static String tag(long pid, long startMillis) {
        return "p" + pid + "t" + startMillis;
    }

    /**
     * Whether the process tagged with this PID and start time is gone. A live process whose start
     * time cannot be read (or a tag recorded without one) counts as the owner.
     */
    public static boolean gone(long pid, long startMillis) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return true;
        }
        Optional<Long> started = startMillis(h.get());
        return startMillis != 0 && started.isPresent() && started.get() != startMillis;
    }

    private static Optional<Long> startMillis(ProcessHandle h) {
        return h.info().startInstant().map(Instant::toEpochMilli);
    }
}
