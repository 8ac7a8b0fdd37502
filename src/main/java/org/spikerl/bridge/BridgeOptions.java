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
 */
public record BridgeOptions(Path python, Path script, Duration startTimeout, Duration callTimeout, boolean testHooks) {
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(30);

    public BridgeOptions {
        requirePositive("startTimeout", startTimeout);
        requirePositive("callTimeout", callTimeout);
        if (callTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new SpikerlException("bridge callTimeout " + callTimeout + " is too long (max ~24 days)");
        }
    }

    public static BridgeOptions defaults() {
        PythonLocator locator = PythonLocator.fromSystem();
        return new BridgeOptions(locator.python(), locator.script(), DEFAULT_START_TIMEOUT, DEFAULT_CALL_TIMEOUT,
                false);
    }

    public BridgeOptions withCallTimeout(Duration timeout) {
        return new BridgeOptions(python, script, startTimeout, timeout, testHooks);
    }

    public BridgeOptions withStartTimeout(Duration timeout) {
        return new BridgeOptions(python, script, timeout, callTimeout, testHooks);
    }

    public BridgeOptions withTestHooks(boolean enabled) {
        return new BridgeOptions(python, script, startTimeout, callTimeout, enabled);
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero() || d.toMillis() == 0) {
            throw new SpikerlException("bridge " + name + " must be at least 1 ms, got " + d);
        }
    }
}
