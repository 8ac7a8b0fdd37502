package org.spikerl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.testing.FiveStepBackend;
import org.spikerl.testing.FiveStepEnv;
import org.spikerl.testing.TinyActor;

/** The jobs' shared start-up against the fake backend: what it opens, loads and always closes. */
class EnvSessionTest {
    @TempDir
    Path dir;

    @Test
    void opensTheEnvLoadsTheActorAndClosesTheBackend() {
        FiveStepBackend backend = new FiveStepBackend();
        try (EnvSession s = EnvSession.open(() -> backend, FiveStepEnv.ID, 3, TinyActor.write(dir))) {
            assertEquals(3, s.env().size());
            assertEquals(2, s.actor().observationSize());
            assertEquals(FiveStepBackend.VERSIONS, s.versions());
            assertEquals(1, backend.opened.size());
        }
        assertTrue(backend.closed);
    }

    @Test
    void backendIsClosedWhenTheEnvCannotBeMade() {
        FiveStepBackend backend = new FiveStepBackend();
        SpikerlException e = assertThrows(SpikerlException.class, () -> EnvSession.open(() -> backend, "Nope-v0", 2));
        assertEquals("unknown environment id 'Nope-v0'", e.getMessage());
        assertTrue(backend.closed);
    }

    @Test
    void backendIsClosedWhenTheActorCannotBeLoaded() {
        FiveStepBackend backend = new FiveStepBackend();
        Path missing = dir.resolve("missing.pt");
        assertThrows(SpikerlException.class, () -> EnvSession.open(() -> backend, FiveStepEnv.ID, 2, missing));
        assertTrue(backend.closed);
    }
}
