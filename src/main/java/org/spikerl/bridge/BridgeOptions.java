package org.spikerl.bridge;

import java.nio.file.Path;
import java.time.Duration;
import org.spikerl.SpikerlException;

/**
 * How to start a {@link PythonBridge}. {@link #defaults()} finds the interpreter and script with
 * {@link PythonLocator} (system properties {@code spikerl.python}, {@code spikerl.home},
 * environment variable {@code SPIKERL_PYTHON}).
 *
 * @param python venv interpreter
 * @param script {@code envs/spikerl_bridge.py}
 * @param startTimeout how long the Python process may take to connect and register
 * @param callTimeout how long any single bridge call may take; past it the call fails and the
 *     process is killed
 * @param testHooks start Python with {@code --test-hooks} (enables {@code debugSleep}, the test
 *     environments and a late listen() of the callback server); tests only
 * @param pollSpin how long the Python process polls its data channel for the next frame, yielding
 *     the core between polls, before it blocks in {@code read} (0: block at once). On a VM an idle
 *     core that halted takes a few hundred microseconds to wake (docs/throughput.md), so a worker that
 *     blocked between two steps paid that on every step; the poll keeps it awake while Java computes
 *     the next actions. What the environments do is the same either way.
 */
public record BridgeOptions(Path python, Path script, Duration startTimeout, Duration callTimeout, boolean testHooks,
                            Duration pollSpin) {
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** {@link #pollSpin} unless {@link #POLL_SPIN_PROPERTY} or {@code SPIKERL_BRIDGE_SPIN_US} says otherwise. */
    public static final Duration DEFAULT_POLL_SPIN = Duration.ofNanos(300_000);
    /** Longest {@link #pollSpin}: past it a waiting worker would spend more of a core than it saves. */
    public static final Duration MAX_POLL_SPIN = Duration.ofMillis(100);
    /** System property for {@link #pollSpin} in microseconds; the environment variable is {@code SPIKERL_BRIDGE_SPIN_US}. */
    public static final String POLL_SPIN_PROPERTY = "spikerl.bridge.spin-us";

    public BridgeOptions {
        requirePositive("startTimeout", startTimeout);
        requirePositive("callTimeout", callTimeout);
        if (callTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new SpikerlException("bridge callTimeout " + callTimeout + " is too long (max ~24 days)");
        }
        if (pollSpin == null || pollSpin.isNegative() || pollSpin.compareTo(MAX_POLL_SPIN) > 0) {
            throw new SpikerlException("bridge pollSpin must be in 0.." + MAX_POLL_SPIN.toMillis() + " ms, got " + pollSpin);
        }
    }

    /** With the {@link #DEFAULT_POLL_SPIN}. */
    public BridgeOptions(Path python, Path script, Duration startTimeout, Duration callTimeout, boolean testHooks) {
        this(python, script, startTimeout, callTimeout, testHooks, DEFAULT_POLL_SPIN);
    }

    public static BridgeOptions defaults() {
        PythonLocator locator = PythonLocator.fromSystem();
        return new BridgeOptions(locator.python(), locator.script(), DEFAULT_START_TIMEOUT, DEFAULT_CALL_TIMEOUT,
                false, pollSpinFromSystem(System.getProperty(POLL_SPIN_PROPERTY), System.getenv("SPIKERL_BRIDGE_SPIN_US")));
    }

    /**
     * {@link #pollSpin} from {@code -Dspikerl.bridge.spin-us} (first) or {@code SPIKERL_BRIDGE_SPIN_US}:
     * whole microseconds in {@code 0..100000}; neither set gives {@link #DEFAULT_POLL_SPIN}.
     *
     * @throws SpikerlException one line naming the setting and what was expected
     */
    static Duration pollSpinFromSystem(String property, String environment) {
        long max = MAX_POLL_SPIN.toNanos() / 1000;
        java.util.OptionalLong us = SystemSettings.wholeNumber(POLL_SPIN_PROPERTY, property, "SPIKERL_BRIDGE_SPIN_US",
                environment, 0, max, "whole microseconds in 0.." + max
                        + " (how long a Python worker polls for the next step before it blocks)");
        return us.isPresent() ? Duration.ofNanos(us.getAsLong() * 1000) : DEFAULT_POLL_SPIN;
    }

    public BridgeOptions withCallTimeout(Duration timeout) {
        return new BridgeOptions(python, script, startTimeout, timeout, testHooks, pollSpin);
    }

    public BridgeOptions withStartTimeout(Duration timeout) {
        return new BridgeOptions(python, script, timeout, callTimeout, testHooks, pollSpin);
    }

    public BridgeOptions withTestHooks(boolean enabled) {
        return new BridgeOptions(python, script, startTimeout, callTimeout, enabled, pollSpin);
    }

    public BridgeOptions withPollSpin(Duration spin) {
        return new BridgeOptions(python, script, startTimeout, callTimeout, testHooks, spin);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.toMillis() == 0) {
            throw new SpikerlException("bridge " + name + " must be at least 1 ms, got " + d);
        }
    }
}
