package org.spikerl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Asserts that a call allocates nothing, measured with the thread's allocated-bytes counter.
 *
 * <p>Several windows of calls after warm-up: one allocation per call would show in every window
 * (at least 16 bytes times the window), while a one-off allocation by the JIT (a deoptimisation
 * or recompilation on a loaded machine) shows in one window only. So at least one window must be
 * exactly 0 and none may reach one byte per call.
 */
public final class Allocation {
    private Allocation() {
    }

    public static void assertNoAllocationPerCall(Runnable call, String what) {
        for (int k = 0; k < 30_000; k++) {
            call.run();
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled());
        long baseline = bean.getCurrentThreadAllocatedBytes();
        long overhead = bean.getCurrentThreadAllocatedBytes() - baseline;
        int perWindow = 2_000;
        long[] windows = new long[5];
        for (int w = 0; w < windows.length; w++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < perWindow; k++) {
                call.run();
            }
            windows[w] = bean.getCurrentThreadAllocatedBytes() - before - overhead;
        }
        String all = "bytes per " + perWindow + " calls of " + what + ": " + Arrays.toString(windows);
        assertEquals(0, Arrays.stream(windows).min().orElseThrow(), all);
        assertTrue(Arrays.stream(windows).max().orElseThrow() < perWindow, all);
    }
}
