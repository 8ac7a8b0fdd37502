package org.spikerl.bridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Looks at processes through /proc, for tests about the Python child's life and arguments. */
final class ProcessProbe {
    private ProcessProbe() {
    }

    /** True while the process runs; a zombie (exited, not yet reaped by its new parent) counts as gone. */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static boolean awaitGone(long pid, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** The NUL-separated contents of /proc/PID/{cmdline,environ}, as text. */
    static String procFile(long pid, String name) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/" + name)), StandardCharsets.UTF_8);
    }
}
