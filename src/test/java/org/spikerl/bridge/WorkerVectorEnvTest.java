package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.env.StepBatch;

/**
 * Slices of one vector env over two fake Python services: each slice is sent its own slots with
 * its base, results land at the caller's slot numbers, and a failing slice does not leave the
 * other's reply unread.
 */
class WorkerVectorEnvTest {
    private static final int OBS = 3;
    private static final int ACT = 1;

    private final FakeEnvService first = new FakeEnvService(OBS, ACT);
    private final FakeEnvService second = new FakeEnvService(OBS, ACT);
    private final WorkerVectorEnv env = new WorkerVectorEnv(List.of(
            new BridgeVectorEnv(FakeEnvService.link(first), "Fake-v0", 3, "{}", null, 0),
            new BridgeVectorEnv(FakeEnvService.link(second), "Fake-v0", 2, "{}", null, 3)));

    @Test
    void eachSliceGetsItsSlotsAndTheResultsLandInPlace() {
        assertEquals(5, env.size());
        assertEquals(2, env.slices());
        assertEquals(3, env.sliceStart(1));
        boolean[] all = {true, true, true, true, true};
        double[] obs = new double[5 * OBS];
        env.reset(all, new long[] {10, 11, 12, 13, 14}, obs);
        // The fake's reset observation of its slot k with seed s: s * 1000 + k * 10 + j.
        assertEquals(12_000.0 + 20 + 1, obs[2 * OBS + 1], "slot 2 is the first service's slot 2");
        assertEquals(13_000.0 + 0 + 2, obs[3 * OBS + 2], "slot 3 is the second service's slot 0");
        assertEquals(14_000.0 + 10, obs[4 * OBS], "slot 4 is the second service's slot 1");

        boolean[] some = {false, true, false, false, true};
        StepBatch out = new StepBatch(5, OBS);
        env.step(some, new double[] {0, 2, 0, 0, 3}, out);
        assertEquals(1, first.stepCalls.size());
        assertEquals(1, second.stepCalls.size());
        // After a step: k * 10 + sum(action) + j, reward k + 0.5 (the service's own k).
        assertEquals(10 + 2.0, out.observations[OBS]);
        assertEquals(10 + 3.0 + 1, out.observations[4 * OBS + 1]);
        assertEquals(1.5, out.rewards[4]);
    }

    @Test
    void aSliceWithNoMaskedSlotIsNotSent() {
        boolean[] firstOnly = {true, false, false, false, false};
        env.reset(firstOnly, new long[5], new double[5 * OBS]);
        assertEquals(1, first.resetCalls.size());
        assertEquals(0, second.resetCalls.size());
    }

    @Test
    void aFailedSliceStillLetsTheOthersAnswer() {
        boolean[] all = {true, true, true, true, true};
        env.reset(all, new long[5], new double[5 * OBS]);
        first.failNextStep = "slot 1 exploded";
        StepBatch out = new StepBatch(5, OBS);
        BridgeException e = assertThrows(BridgeException.class, () -> env.step(all, new double[5], out));
        assertEquals("step of Fake-v0: slot 1 exploded", e.getMessage());
        assertEquals(1, second.stepCalls.size(), "the second slice was stepped and its reply read");
        assertEquals(1.5, out.rewards[4], "its results are in place");
    }
    /**
     * The pipelined loop resets one slice's slots while another slice is begun: the reset touches
     * only its own slice, and the slice in flight still gets its reply read at its endStep.
     */
    @Test
    void aResetOfOneSliceWhileAnotherStepsLeavesTheOtherInFlight() {
        boolean[] all = {true, true, true, true, true};
        env.reset(all, new long[] {10, 11, 12, 13, 14}, new double[5 * OBS]);
        StepBatch out = new StepBatch(5, OBS);
        double[] actions = {0, 0, 0, 0, 3};
        env.beginStep(1, all, actions, out);
        boolean[] firstOnly = {true, false, false, false, false};
        double[] obs = new double[5 * OBS];
        env.reset(firstOnly, new long[] {20, 0, 0, 0, 0}, obs);
        assertEquals(20_000.0, obs[0], "slot 0 reset with its new seed");
        assertEquals(1, second.resetCalls.size(), "the slice in flight is not reset");
        env.endStep(1, all, out);
        assertEquals(1, second.stepCalls.size());
        assertEquals(10 + 3.0 + 1, out.observations[4 * OBS + 1], "slot 4's step result is in place");
        assertEquals(1.5, out.rewards[4]);
    }
}
