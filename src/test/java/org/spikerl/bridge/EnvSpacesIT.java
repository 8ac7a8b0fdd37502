package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikerl.env.EnvSpec;

/**
 * Spaces and time limits as Gymnasium documents them (gymnasium.farama.org, MuJoCo and classic
 * control pages): MuJoCo observations are unbounded, actions in [-1, 1], 1000 steps; Pendulum
 * observes (cos, sin, angular velocity) within [-1, 1] x [-1, 1] x [-8, 8], torque in [-2, 2],
 * 200 steps.
 */
class EnvSpacesIT {
    private static PythonBridge bridge;

    @BeforeAll
    static void start() {
        bridge = PythonBridge.start();
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    @ParameterizedTest
    @CsvSource({
        "Hopper-v4, 11, 3",
        "Hopper-v5, 11, 3",
        "Walker2d-v4, 17, 6",
        "Walker2d-v5, 17, 6",
        "InvertedDoublePendulum-v4, 11, 1",
        "InvertedDoublePendulum-v5, 9, 1",
        "HalfCheetah-v4, 17, 6",
        "Ant-v4, 27, 8",
    })
    void mujocoTasks(String id, int obsSize, int actSize) {
        try (BridgeEnv env = bridge.makeEnv(id)) {
            EnvSpec spec = env.spec();
            assertEquals(id, spec.id());
            assertEquals(1000, spec.maxEpisodeSteps());
            assertArrayEquals(new int[] {obsSize}, spec.observationSpace().shape());
            assertArrayEquals(filled(obsSize, Double.NEGATIVE_INFINITY), spec.observationSpace().low());
            assertArrayEquals(filled(obsSize, Double.POSITIVE_INFINITY), spec.observationSpace().high());
            assertArrayEquals(new int[] {actSize}, spec.actionSpace().shape());
            assertArrayEquals(filled(actSize, -1.0), spec.actionSpace().low());
            assertArrayEquals(filled(actSize, 1.0), spec.actionSpace().high());
            assertEquals(obsSize, env.reset(0).length);
        }
    }

    @Test
    void pendulum() {
        try (BridgeEnv env = bridge.makeEnv("Pendulum-v1")) {
            EnvSpec spec = env.spec();
            assertEquals(200, spec.maxEpisodeSteps());
            assertArrayEquals(new double[] {-1, -1, -8}, spec.observationSpace().low());
            assertArrayEquals(new double[] {1, 1, 8}, spec.observationSpace().high());
            assertArrayEquals(new double[] {-2}, spec.actionSpace().low());
            assertArrayEquals(new double[] {2}, spec.actionSpace().high());
            double[] obs = env.reset(0);
            // cos^2 + sin^2 = 1 (float32 observation)
            assertEquals(1.0, obs[0] * obs[0] + obs[1] * obs[1], 1e-6);
        }
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }
}
