package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

/** How many Python workers a backend starts: the property, else one per core. */
class BackendsTest {
    @AfterEach
    void clear() {
        System.clearProperty(Backends.WORKERS_PROPERTY);
    }

    @Test
    void propertyGivesTheNumberOfWorkers() {
        System.setProperty(Backends.WORKERS_PROPERTY, " 3 ");
        assertEquals(3, Backends.workers());
    }

    @Test
    void withoutSettingsOnePerCoreThisJvmMayUse() {
        if (System.getenv("SPIKERL_WORKERS") == null) {
            assertEquals(Runtime.getRuntime().availableProcessors(), Backends.workers());
        }
    }

    @Test
    void aBadNumberIsRefusedInOneLineNamingTheProperty() {
        for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
            System.setProperty(Backends.WORKERS_PROPERTY, bad);
            SpikerlException e = assertThrows(SpikerlException.class, Backends::workers);
            assertEquals("-Dspikerl.workers is '" + bad + "'; expected a whole number of Python workers >= 1",
                    e.getMessage());
        }
    }
}
