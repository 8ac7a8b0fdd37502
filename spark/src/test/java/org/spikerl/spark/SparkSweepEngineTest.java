package org.spikerl.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.sweep.SweepEngine;

/** The engine is found by name with this module on the class path; executors must have the driver's versions. */
class SparkSweepEngineTest {
    private static final Map<String, String> DRIVER = Map.of("python", "3.11.2", "gymnasium", "1.3.0",
            "mujoco", "3.14.0", "numpy", "2.4.0");
    private static final CellTask TASK = new CellTask(List.of(3, 4), List.of(), List.of());

    private static TaskResult from(Map<String, String> versions) {
        return new TaskResult(List.of(3, 4), List.of(), versions, 0, "7", "node-2", 1.0);
    }

    @Test
    void theSparkEngineIsFoundByName() {
        assertInstanceOf(SparkSweepEngine.class, SweepEngine.find("spark"));
        assertEquals(List.of("local", "spark"), SweepEngine.names().stream().sorted().toList());
    }

    @Test
    void anExecutorWithOtherVersionsIsRefusedNamingThem() {
        assertDoesNotThrow(() -> SparkSweepEngine.checkVersions(DRIVER, from(Map.copyOf(DRIVER)), TASK));
        Map<String, String> other = new java.util.HashMap<>(DRIVER);
        other.put("mujoco", "3.2.0");
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> SparkSweepEngine.checkVersions(DRIVER, from(other), TASK));
        assertEquals("executor 7 on node-2 ran rows [3, 4] with mujoco 3.2.0 (driver 3.14.0); install the same"
                + " envs/requirements.txt on every worker (bash envs/bootstrap.sh)", e.getMessage());
        other.remove("mujoco");
        e = assertThrows(SpikerlException.class, () -> SparkSweepEngine.checkVersions(DRIVER, from(other), TASK));
        assertEquals(true, e.getMessage().contains("with mujoco missing (driver 3.14.0);"), e.getMessage());
    }
}
