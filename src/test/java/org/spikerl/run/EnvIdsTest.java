package org.spikerl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

class EnvIdsTest {
    private static final List<String> REGISTERED = List.of("Hopper-v5", "Hopper-v4", "HopperX-v1", "Walker2d-v4");

    @Test
    void aVersionedIdPassesAsGiven() {
        assertEquals("Hopper-v4", EnvIds.versioned("Hopper-v4", REGISTERED));
    }

    @Test
    void anIdWithoutVersionIsRefusedWithTheRegisteredVersions() {
        SpikerlException e = assertThrows(SpikerlException.class, () -> EnvIds.versioned("Hopper", REGISTERED));
        assertEquals("env 'Hopper' has no version; give the exact Gymnasium id, e.g. Hopper-v4 or Hopper-v5"
                + " (the registered versions)", e.getMessage());
        e = assertThrows(SpikerlException.class, () -> EnvIds.versioned("Nothing", REGISTERED));
        assertEquals("env 'Nothing' has no version; give the exact Gymnasium id, e.g. Nothing-v4 (no version of"
                + " 'Nothing' is registered)", e.getMessage());
    }
}
