package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecJsonTest {

    @Test
    void makeReplyWithInfiniteBoundsBecomesASpec() {
        String json = "{\"id\": \"Pendulum-v1\", \"num_envs\": 2, \"handle\": 4,"
                + " \"observation\": {\"shape\": [3], \"low\": [-1.0, -Infinity, -8.0], \"high\": [1.0, Infinity, 8.0]},"
                + " \"action\": {\"shape\": [1], \"low\": [-2.0], \"high\": [2.0]}, \"max_episode_steps\": 200}";
        SpecJson.Made made = SpecJson.parseMade(json);
        assertEquals(4, made.handle());
        assertEquals(2, made.numEnvs());
        assertEquals("Pendulum-v1", made.spec().id());
        assertEquals(200, made.spec().maxEpisodeSteps());
        assertArrayEquals(new double[] {-1, Double.NEGATIVE_INFINITY, -8}, made.spec().observationSpace().low());
        assertArrayEquals(new double[] {1, Double.POSITIVE_INFINITY, 8}, made.spec().observationSpace().high());
        assertArrayEquals(new int[] {3}, made.spec().observationSpace().shape());
        assertArrayEquals(new double[] {2}, made.spec().actionSpace().high());
    }

    @Test
    void shapeMustMatchBounds() {
        String json = "{\"id\": \"X-v0\", \"num_envs\": 1, \"handle\": 1,"
                + " \"observation\": {\"shape\": [2, 2], \"low\": [0, 0], \"high\": [1, 1]},"
                + " \"action\": {\"shape\": [1], \"low\": [0], \"high\": [1]}, \"max_episode_steps\": 0}";
        BridgeException e = assertThrows(BridgeException.class, () -> SpecJson.parseMade(json));
        assertEquals("malformed reply from the Python bridge: observation: box shape does not match its bounds",
                e.getMessage());
    }

    @Test
    void missingFieldsAreNamed() {
        BridgeException e = assertThrows(BridgeException.class,
                () -> SpecJson.parseMade("{\"id\": \"X-v0\", \"handle\": 1, \"num_envs\": 1}"));
        assertEquals("malformed reply from the Python bridge: observation missing", e.getMessage());
        e = assertThrows(BridgeException.class, () -> SpecJson.parseMade("[1]"));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    }

    @Test
    void versionsKeepTheirOrder() {
        Map<String, String> v = SpecJson.parseVersions("{\"python\": \"3.11.7\", \"gymnasium\": \"1.3.0\", \"mujoco\": \"3.14.0\"}");
        assertEquals(List.of("python", "gymnasium", "mujoco"), List.copyOf(v.keySet()));
        assertEquals("1.3.0", v.get("gymnasium"));
    }
}
