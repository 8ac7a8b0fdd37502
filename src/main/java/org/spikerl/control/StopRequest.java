package org.spikerl.control;

import org.spikerl.SpikerlException;

/**
 * A process-wide request to stop a run early (SIGINT, SIGTERM), asked for by the CLI's signal
 * handlers and honoured by the episode loop at its next step: the loop then fails with
 * {@link Stopped}, whose message names the environment, episode and step like any loop failure,
 * and the job writes what finished. The first request wins; it is never cleared in a real run
 * (a stopped process exits), only between in-process tests.
 */
public final class StopRequest {
    private static volatile String reason;
    private static volatile long requestedAtNanos;

    private StopRequest() {
    }

    /** Asks every running loop to stop; {@code why} says what asked, e.g. {@code "SIGINT"}. */
    public static synchronized void request(String why) {
        if (reason == null) {
            requestedAtNanos = System.nanoTime();
            reason = why;
        }
    }

    public static boolean requested() {
        return reason != null;
    }

    /** What asked for the stop, or null. */
    public static String reason() {
        return reason;
    }

    /** Seconds since the stop was asked for (for the "stopped after" line), or NaN. */
    public static double secondsSinceRequest() {
        return reason == null ? Double.NaN : (System.nanoTime() - requestedAtNanos) / 1e9;
    }

    /** Throws {@link Stopped} when a stop was asked for. Cheap: one volatile read. */
    public static void check() {
        String r = reason;
        if (r != null) {
            throw new Stopped(r);
        }
    }

    /** Forgets a request (for in-process tests and the start of an in-process CLI run). */
    public static synchronized void clear() {
        reason = null;
    }

    /** The loop's answer to a stop request. */
    public static final class Stopped extends SpikerlException {
        private static final long serialVersionUID = 1L;

        Stopped(String reason) {
            super("interrupted by " + reason);
        }
    }
}
