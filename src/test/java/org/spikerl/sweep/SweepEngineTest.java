package org.spikerl.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

/** Engines are found by name on the class path; the core's class path has the local one only. */
class SweepEngineTest {
    @Test
    void theLocalEngineIsFoundByName() {
        assertInstanceOf(LocalSweepEngine.class, SweepEngine.find(SweepEngine.LOCAL));
        assertEquals(java.util.List.of(SweepEngine.LOCAL), SweepEngine.names());
    }

    @Test
    void sparkWithoutItsModuleSaysHowToGetIt() {
        SpikerlException e = assertThrows(SpikerlException.class, () -> SweepEngine.find("spark"));
        assertTrue(e.getMessage().contains("spark/pom.xml"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void anUnknownEngineNamesTheKnownOnes() {
        SpikerlException e = assertThrows(SpikerlException.class, () -> SweepEngine.find("ray"));
        assertTrue(e.getMessage().contains("expected one of local"), e.getMessage());
    }
}
