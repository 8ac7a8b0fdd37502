package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.spikerl.env.StepBatch;

/** Bad requests get one-line errors that say what is wrong; the bridge keeps working after them. */
class BridgeErrorsIT {
    private static PythonBridge bridge;

    @BeforeAll
    static void start() {
        bridge = PythonBridge.start(BridgeOptions.defaults().withTestHooks(true));
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @AfterEach
    void bridgeStillWorks() {
        assertEquals(3, bridge.ping(3));
    }

    private static String makeError(String id, String kwargs) {
        BridgeException e = assertThrows(BridgeException.class, () -> bridge.makeVectorEnv(id, 1, kwargs).close());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void unknownIdSuggestsCloseIds() {
        String m = makeError("Hoper-v4", "{}");
        assertTrue(m.startsWith("make of Hoper-v4 failed in Python: unknown environment id 'Hoper-v4'"), m);
        assertTrue(m.contains("close ids: Hopper-v4"), m);
    }

    @Test
    void unknownVersionSuggestsTheVersionsThatExist() {
        String m = makeError("Walker2d-v9", "{}");
        assertTrue(m.contains("Walker2d-v4") && m.contains("Walker2d-v5"), m);
    }

    @Test
    void nonBoxSpaceIsRefusedByName() {
        String m = makeError("CartPole-v1", "{}");
        assertEquals("make of CartPole-v1 failed in Python: CartPole-v1: action space is Discrete(2);"
                + " spikerl supports only Box observation and action spaces", m);
    }

    @Test
    void badKeywordArgumentIsNamed() {
        String m = makeError("Hopper-v4", "{\"no_such_option\": 1}");
        assertTrue(m.contains("no_such_option"), m);
        assertTrue(makeError("Hopper-v4", "[1]").contains("must be a JSON object"));
    }

    @Test
    void nanObservationNamesEnvSlotSeedAndStep() {
        try (BridgeVectorEnv env = bridge.makeVectorEnv("spikerl-test/NanObservation-v0", 2)) {
            boolean[] all = {true, true};
            StepBatch out = new StepBatch(2, 2);
            env.reset(all, new long[] {7, 8}, out.observations);
            double[] zero = new double[2];
            env.step(all, zero, out);
            assertEquals(1.0, out.observations[0], "control: finite before step 3");
            env.step(all, zero, out);
            BridgeException e = assertThrows(BridgeException.class, () -> env.step(all, zero, out));
            assertEquals("step of spikerl-test/NanObservation-v0 failed in Python: spikerl-test/NanObservation-v0"
                    + " slot 0 (episode seed 7) step 3: observation has NaN or Inf at indices [0, 1]", e.getMessage());
            // The failed batch reports its lowest failing slot; the other slots of that batch may
            // have been stepped too (slots are stepped in parallel), so slot 1 is now at step 3 or 4.
            boolean[] second = {false, true};
            e = assertThrows(BridgeException.class, () -> env.step(second, zero, out));
            assertTrue(e.getMessage().matches(".*slot 1 \\(episode seed 8\\) step [34]: observation has NaN.*"),
                    e.getMessage());
        }
    }

    @Test
    void stepBeforeResetIsRefused() {
        try (BridgeVectorEnv env = bridge.makeVectorEnv("Hopper-v4", 1)) {
            BridgeException e = assertThrows(BridgeException.class,
                    () -> env.step(new boolean[] {true}, new double[3], new StepBatch(1, 11)));
            assertTrue(e.getMessage().startsWith("step of Hopper-v4 failed in Python: Hopper-v4 slot 0: step before"
                    + " reset or after the episode ended"), e.getMessage());
        }
    }

    @Test
    void stepAfterTheEpisodeEndedIsRefused() {
        try (BridgeVectorEnv env = bridge.makeVectorEnv("spikerl-test/NanObservation-v0", 1, "{\"max_episode_steps\": 2}")) {
            boolean[] one = {true};
            StepBatch out = new StepBatch(1, 2);
            env.reset(one, new long[] {0}, out.observations);
            env.step(one, new double[1], out);
            env.step(one, new double[1], out);
            assertTrue(out.truncated[0], "control: TimeLimit of 2 steps truncates");
            BridgeException e = assertThrows(BridgeException.class, () -> env.step(one, new double[1], out));
            assertTrue(e.getMessage().contains("slot 0: step before reset or after the episode ended (step 2)"),
                    e.getMessage());
        }
    }

    @Test
    void versionsNameThePinnedStack() {
        var v = bridge.versions();
        assertEquals("1.3.0", v.get("gymnasium"));
        assertEquals("3.14.0", v.get("mujoco"));
        assertEquals("0.10.9.9", v.get("py4j"));
        assertTrue(v.containsKey("python") && v.containsKey("numpy"), v.toString());
        assertTrue(bridge.envIds().contains("Hopper-v5"));
    }
}
