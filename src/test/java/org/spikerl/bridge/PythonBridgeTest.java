package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;

/** The parts of PythonBridge that need no Python: error parsing and start-up failures (with /bin/sh). */
class PythonBridgeTest {
    @TempDir
    Path dir;

    /** A stand-in interpreter: a shell script that ignores the bridge's arguments. */
    private Path fakePython(String body) throws IOException {
        Path p = dir.resolve("python");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private BridgeOptions options(Path python, Duration startTimeout) {
        return new BridgeOptions(python, dir.resolve("spikerl_bridge.py"), startTimeout, Duration.ofSeconds(5), false);
    }

    @Test
    void brokenVenvReportsTheExitCodeAndOutputAndTheFix() throws IOException {
        Path python = fakePython("echo \"ModuleNotFoundError: No module named 'mujoco'\" >&2\nexit 1");
        BridgeException e = assertThrows(BridgeException.class,
                () -> PythonBridge.start(options(python, Duration.ofSeconds(60))));
        assertEquals("the Python bridge (" + python + ") exited with code 1 during start-up; output:"
                + " ModuleNotFoundError: No module named 'mujoco'; if the venv is broken, run `bash envs/bootstrap.sh`"
                + " in the spikerl directory to create the Python venv", e.getMessage());
    }

    @Test
    void childThatNeverRegistersTimesOutAndIsReaped() throws IOException, InterruptedException {
        Path pidFile = dir.resolve("pid");
        // The child's stderr is its output (stdout is the data channel).
        Path python = fakePython("echo $$ > " + pidFile + "\necho starting >&2\nexec sleep 60");
        long start = System.nanoTime();
        BridgeException e = assertThrows(BridgeException.class,
                () -> PythonBridge.start(options(python, Duration.ofSeconds(1))));
        assertEquals("the Python bridge (" + python + ") did not register within 1 s; output: starting", e.getMessage());
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " left running");
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "start-up failure took too long");
    }

    @Test
    void pythonErrorIsTheLastBridgeErrorLineOfTheTraceback() {
        String proxy = "An exception was raised by the Python Proxy. Return Message: Traceback (most recent call last):\n"
                + "  File \"x.py\", line 3, in call\n    return method(*args)\n"
                + "__main__.BridgeError: unknown environment id 'Hoper-v4'; close ids: Hopper-v4, Hopper-v5\n";
        assertEquals("unknown environment id 'Hoper-v4'; close ids: Hopper-v4, Hopper-v5", PythonBridge.pythonError(proxy));
    }

    @Test
    void otherPythonErrorsGiveTheirLastLine() {
        String proxy = "An exception was raised by the Python Proxy. Return Message: Traceback (most recent call last):\n"
                + "  File \"x.py\", line 3\nAttributeError: 'EnvService' object has no attribute 'nope'\n\n";
        assertEquals("AttributeError: 'EnvService' object has no attribute 'nope'", PythonBridge.pythonError(proxy));
    }

    @Test
    void startWithAMissingInterpreterSaysToRunBootstrap() {
        BridgeOptions options = new BridgeOptions(Path.of("/nonexistent/python"), Path.of("/nonexistent/bridge.py"),
                Duration.ofSeconds(5), Duration.ofSeconds(5), false);
        BridgeException e = assertThrows(BridgeException.class, () -> PythonBridge.start(options));
        assertTrue(e.getMessage().startsWith("cannot start the Python bridge with /nonexistent/python"), e.getMessage());
        assertTrue(e.getMessage().endsWith("run `bash envs/bootstrap.sh` in the spikerl directory to create the Python venv"),
                e.getMessage());
    }

    @Test
    void timeoutsMustBePositive() {
        Path p = Path.of("python");
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> new BridgeOptions(p, p, Duration.ZERO, Duration.ofSeconds(1), false));
        assertEquals("bridge startTimeout must be at least 1 ms, got PT0S", e.getMessage());
        e = assertThrows(SpikerlException.class,
                () -> new BridgeOptions(p, p, Duration.ofSeconds(1), Duration.ofNanos(10), false));
        assertEquals("bridge callTimeout must be at least 1 ms, got PT0.00000001S", e.getMessage());
    }

    @Test
    void thePollBeforeBlockingComesFromThePropertyThenTheEnvironment() {
        assertEquals(BridgeOptions.DEFAULT_POLL_SPIN, BridgeOptions.pollSpinFromSystem(null, null));
        assertEquals(BridgeOptions.DEFAULT_POLL_SPIN, BridgeOptions.pollSpinFromSystem(null, " "));
        assertEquals(Duration.ZERO, BridgeOptions.pollSpinFromSystem(null, "0"));
        assertEquals(Duration.ofNanos(150_000), BridgeOptions.pollSpinFromSystem("150", "900"));
        assertEquals(Duration.ofMillis(100), BridgeOptions.pollSpinFromSystem(null, "100000"));
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> BridgeOptions.pollSpinFromSystem(null, "100001"));
        assertEquals("SPIKERL_BRIDGE_SPIN_US is '100001'; expected whole microseconds in 0..100000 (how long a "
                + "Python worker polls for the next step before it blocks)", e.getMessage());
        e = assertThrows(SpikerlException.class, () -> BridgeOptions.pollSpinFromSystem("-1", null));
        assertTrue(e.getMessage().startsWith("-Dspikerl.bridge.spin-us is '-1'; expected whole microseconds"),
                e.getMessage());
        e = assertThrows(SpikerlException.class, () -> BridgeOptions.pollSpinFromSystem("0.3ms", null));
        assertTrue(e.getMessage().startsWith("-Dspikerl.bridge.spin-us is '0.3ms'"), e.getMessage());
        Path p = Path.of("python");
        e = assertThrows(SpikerlException.class, () -> new BridgeOptions(p, p, Duration.ofSeconds(1),
                Duration.ofSeconds(1), false, Duration.ofMillis(101)));
        assertEquals("bridge pollSpin must be in 0..100 ms, got PT0.101S", e.getMessage());
    }

    @Test
    void aChildEndedByASignalIsSaidToBeKilledBySignal() {
        assertEquals("exited with code 1", PythonBridge.exitDescription(1));
        assertEquals("was killed by signal 9 (SIGKILL; perhaps out of memory, or killed by hand)",
                PythonBridge.exitDescription(137));
        assertEquals("was killed by signal 15 (SIGTERM)", PythonBridge.exitDescription(143));
    }
}
