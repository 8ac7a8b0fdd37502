package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.spikerl.env.StepBatch;

/** The Python process never outlives its bridge, and every way of losing it is reported clearly. */
class BridgeLifecycleIT {
    // Generous: start-up on a loaded 2-core machine; the behaviour asserted is that the process goes.
    private static final Duration GONE_WITHIN = Duration.ofSeconds(15);

    /**
     * Py4J's callback server calls listen() on its own thread, after the port is known; with the
     * test hooks it does so 0.5 s late. The bridge must not hand Java the port before then: Java's
     * first call right after start() would find it closed (seen as a flaky failure under load).
     */
    @Test
    void firstCallSucceedsWhenTheCallbackServerListensLate() {
        try (PythonBridge bridge = PythonBridge.start(BridgeOptions.defaults().withTestHooks(true))) {
            assertEquals(41, bridge.ping(41));
        }
    }

    @Test
    void noPythonProcessAfterClose() throws InterruptedException {
        long pid;
        try (PythonBridge bridge = PythonBridge.start()) {
            pid = bridge.pid();
            assertTrue(ProcessProbe.running(pid), "control: the child runs while the bridge is open");
            try (BridgeVectorEnv env = bridge.makeVectorEnv("Hopper-v4", 2)) {
                env.reset(new boolean[] {true, true}, new long[] {0, 1}, new double[22]);
            }
        }
        // close() reaps the child itself: no waiting needed.
        assertTrue(!ProcessProbe.running(pid), "python " + pid + " still running after close()");
    }

    @Test
    void pythonExitsWhenItsJvmIsKilled() throws Exception {
        try (BridgeHolderJvm jvm = BridgeHolderJvm.start()) {
            long[] pids = jvm.awaitPids("python-pid ", Duration.ofSeconds(90));
            assertEquals(1, pids.length, Arrays.toString(pids));
            long pid = pids[0];
            assertTrue(ProcessProbe.procFile(pid, "cmdline").contains("spikerl_bridge.py"), "control: bridge process");

            jvm.kill();
            assertTrue(ProcessProbe.awaitGone(pid, GONE_WITHIN), "python " + pid + " outlived its JVM");
        }
    }

    @Test
    void aHangingCallFailsAfterTheTimeoutAndTheProcessIsKilled() throws InterruptedException {
        BridgeOptions options = BridgeOptions.defaults().withTestHooks(true).withCallTimeout(Duration.ofSeconds(2));
        try (PythonBridge bridge = PythonBridge.start(options)) {
            assertEquals(0.01, bridge.debugSleep(0.01), "control: a short sleep answers");
            long start = System.nanoTime();
            BridgeException e = assertThrows(BridgeException.class, () -> bridge.debugSleep(120));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(e.getMessage().startsWith("debugSleep of (bridge) got no reply within 2 s; the Python process"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("was killed"), e.getMessage());
            assertTrue(seconds >= 1.9 && seconds < 60, "failed after " + seconds + " s");
            assertTrue(ProcessProbe.awaitGone(bridge.pid(), GONE_WITHIN));
            BridgeException later = assertThrows(BridgeException.class, () -> bridge.ping(1));
            assertTrue(later.getMessage().contains("unusable after an earlier failure"), later.getMessage());
        }
    }

    @Test
    void testHooksAreOffByDefault() {
        try (PythonBridge bridge = PythonBridge.start()) {
            BridgeException e = assertThrows(BridgeException.class, () -> bridge.debugSleep(0.01));
            assertEquals("debugSleep of (bridge) failed in Python: debugSleep is a test hook; the bridge was started"
                    + " without --test-hooks", e.getMessage());
        }
    }

    @Test
    void killingPythonMidRunGivesAClearError() throws InterruptedException {
        try (PythonBridge bridge = PythonBridge.start();
                BridgeVectorEnv env = bridge.makeVectorEnv("Hopper-v4", 2)) {
            boolean[] all = {true, true};
            StepBatch out = new StepBatch(2, 11);
            env.reset(all, new long[] {0, 1}, out.observations);
            double[] zero = new double[6];
            for (int t = 0; t < 5; t++) {
                env.step(all, zero, out);
            }
            long pid = bridge.pid();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertTrue(ProcessProbe.awaitGone(pid, GONE_WITHIN));

            BridgeException e = assertThrows(BridgeException.class, () -> env.step(all, zero, out));
            assertTrue(e.getMessage().startsWith("the Python bridge process (pid " + pid + ") was killed by signal 9"
                    + " (SIGKILL; perhaps out of memory, or killed by hand) during step of Hopper-v4; output: "),
                    e.getMessage());
            assertFalse(e.getMessage().contains("Warning:"), "Python warnings are not quoted as output: "
                    + e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            BridgeException later = assertThrows(BridgeException.class, () -> env.reset(all, new long[2], out.observations));
            assertTrue(later.getMessage().startsWith("reset of Hopper-v4: the Python bridge is unusable"), later.getMessage());
        }
    }
}
