package org.spikerl.cli;

import java.util.List;
import org.spikerl.control.StopRequest;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM ask the running job to stop ({@link StopRequest}) instead of
 * ending the JVM at once: the episode loop stops at its next step, the job writes every finished
 * episode or sweep row with {@code "status": "incomplete"}, the bridge is closed and reaped, and
 * the CLI exits with 128 + the signal's number (130, 143). A second signal ends the process at
 * once (the shutdown hook still ends the bridge).
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the JDK's only way to handle a
 * signal without starting the JVM's shutdown; shutdown hooks cannot let a job finish writing
 * while the bridge's own hook is ending the child.
 */
final class StopSignals {
    private static volatile int exitStatus = Main.EXIT_INTERRUPTED;

    private StopSignals() {
    }

    static void install() {
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal.handle(new Signal(name), s -> onSignal("SIG" + s.getName(), 128 + s.getNumber()));
            } catch (IllegalArgumentException e) {
                // not a signal on this platform
            }
        }
    }

    private static void onSignal(String name, int status) {
        if (StopRequest.requested()) {
            System.err.println("spikerl: second " + name + ": stopping at once, unfinished work is lost");
            System.err.flush();
            System.exit(status);
        }
        exitStatus = status;
        StopRequest.request(name);
        System.err.println("spikerl: " + name + ": stopping after the current step; finished work is kept"
                + " (send it again to stop at once)");
        System.err.flush();
    }

    /** The exit status for an interrupted run: 128 + the number of the signal that stopped it. */
    static int exitStatus() {
        return exitStatus;
    }
}
