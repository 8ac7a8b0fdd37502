package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikerl.env.Env;
import org.spikerl.env.StepBatch;

/** Seeds decide episodes exactly, and batching changes nothing (SPEC section 8). */
class DeterminismIT {
    private static final int STEPS = 120;
    private static PythonBridge bridge;

    @BeforeAll
    static void start() {
        bridge = PythonBridge.start();
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    /** A fixed, slot-dependent action sequence that moves the robot (zero actions barely do). */
    private static void action(int slot, int t, double[] out, int offset, int size) {
        for (int j = 0; j < size; j++) {
            out[offset + j] = 0.8 * Math.sin(0.07 * t * (j + 1) + slot);
        }
    }

    private static List<Env.Step> run(Env env, long seed, int slot, double[] firstObs) {
        System.arraycopy(env.reset(seed), 0, firstObs, 0, firstObs.length);
        int actSize = env.spec().actionSpace().size();
        double[] a = new double[actSize];
        List<Env.Step> steps = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            action(slot, t, a, 0, actSize);
            Env.Step s = env.step(a);
            steps.add(s);
            if (s.terminated() || s.truncated()) {
                break;
            }
        }
        return steps;
    }

    @Test
    void sameSeedGivesTheSameTrajectoryInAnotherProcess() {
        try (PythonBridge other = PythonBridge.start();
                BridgeEnv a = bridge.makeEnv("Hopper-v4");
                BridgeEnv b = other.makeEnv("Hopper-v4")) {
            double[] firstA = new double[11];
            double[] firstB = new double[11];
            List<Env.Step> runA = run(a, 42, 0, firstA);
            List<Env.Step> runB = run(b, 42, 0, firstB);
            assertArrayEquals(firstA, firstB);
            assertEquals(runA.size(), runB.size());
            assertTrue(runA.size() > 10, "episode too short to compare: " + runA.size());
            for (int t = 0; t < runA.size(); t++) {
                assertArrayEquals(runA.get(t).observation(), runB.get(t).observation(), "step " + t);
                assertEquals(runA.get(t).reward(), runB.get(t).reward(), 0.0, "step " + t);
                assertEquals(runA.get(t).terminated(), runB.get(t).terminated(), "step " + t);
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentStarts() {
        try (BridgeEnv env = bridge.makeEnv("Hopper-v4")) {
            double[] seed0 = env.reset(0);
            double[] seed1 = env.reset(1);
            double[] seed0Again = env.reset(0);
            assertFalse(Arrays.equals(seed0, seed1));
            assertArrayEquals(seed0, seed0Again);
        }
    }

    /**
     * K slots stepped together equal K single environments run one after the other, step for step.
     * Humanoid's 376-value observation would need one Py4J message a slot; the bridge's pipe takes
     * any batch as one message (the Py4J split is covered by BridgeVectorEnvTest).
     */
    @ParameterizedTest
    @ValueSource(strings = {"Hopper-v4", "Humanoid-v4"})
    void batchOfThreeEqualsThreeSequentialRuns(String id) {
        int k = 3;
        long[] seeds = {7, 8, 9};
        List<List<Env.Step>> sequential = new ArrayList<>();
        List<double[]> firstObs = new ArrayList<>();
        try (BridgeEnv single = bridge.makeEnv(id)) {
            for (int slot = 0; slot < k; slot++) {
                double[] first = new double[single.spec().observationSpace().size()];
                sequential.add(run(single, seeds[slot], slot, first));
                firstObs.add(first);
            }
        }
        try (BridgeVectorEnv batch = bridge.makeVectorEnv(id, k)) {
            int obsSize = batch.spec().observationSpace().size();
            int actSize = batch.spec().actionSpace().size();
            assertEquals(1, batch.messagesPerBatch());
            boolean[] live = {true, true, true};
            StepBatch out = new StepBatch(k, obsSize);
            batch.reset(live, seeds, out.observations);
            for (int slot = 0; slot < k; slot++) {
                assertArrayEquals(firstObs.get(slot), Arrays.copyOfRange(out.observations, slot * obsSize,
                        (slot + 1) * obsSize), "first observation, slot " + slot);
            }
            double[] actions = new double[k * actSize];
            for (int t = 0; t < STEPS && (live[0] || live[1] || live[2]); t++) {
                for (int slot = 0; slot < k; slot++) {
                    action(slot, t, actions, slot * actSize, actSize);
                }
                batch.step(live, actions, out);
                for (int slot = 0; slot < k; slot++) {
                    if (!live[slot]) {
                        continue;
                    }
                    Env.Step expected = sequential.get(slot).get(t);
                    String where = id + " slot " + slot + " step " + t;
                    assertArrayEquals(expected.observation(), Arrays.copyOfRange(out.observations, slot * obsSize,
                            (slot + 1) * obsSize), where);
                    assertEquals(expected.reward(), out.rewards[slot], 0.0, where);
                    assertEquals(expected.terminated(), out.terminated[slot], where);
                    assertEquals(expected.truncated(), out.truncated[slot], where);
                    live[slot] = !(out.terminated[slot] || out.truncated[slot]);
                    assertEquals(live[slot], t + 1 < sequential.get(slot).size(), where + ": episode length");
                }
            }
        }
    }
}
