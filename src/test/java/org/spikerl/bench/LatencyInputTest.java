package org.spikerl.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;

class LatencyInputTest {
    @TempDir
    Path dir;

    @Test
    void observationsComeBackBitForBit() {
        double[][] obs = {
            {0.1 + 0.2, -0.0, 1e-300, Math.PI, -7.25},
            {Double.MIN_VALUE, 123456789.123456789, -1.0 / 3.0, 2.5e-8, 0.0},
        };
        LatencyInput in = new LatencyInput("Hopper-v4", dir.resolve("actor.pt"), new double[] {-1, -0.5},
                new double[] {1, 2}, 7, obs);
        Path file = dir.resolve("input.json");
        in.write(file);
        LatencyInput back = LatencyInput.read(file);
        assertEquals("Hopper-v4", back.env());
        assertEquals(dir.resolve("actor.pt").toAbsolutePath(), back.policy());
        assertArrayEquals(new double[] {-1, -0.5}, back.actionLow());
        assertArrayEquals(new double[] {1, 2}, back.actionHigh());
        assertEquals(7, back.seed());
        assertEquals(obs.length, back.observations().length);
        for (int k = 0; k < obs.length; k++) {
            for (int i = 0; i < obs[k].length; i++) {
                assertEquals(Double.doubleToRawLongBits(obs[k][i]),
                        Double.doubleToRawLongBits(back.observations()[k][i]), "observation " + k + " entry " + i);
            }
        }
    }

    @Test
    void badFilesNameTheFieldAndTheFile() throws IOException {
        Path noObs = dir.resolve("a.json");
        Files.writeString(noObs, "{\"env\": \"Hopper-v4\", \"policy\": \"/x\", \"action_low\": [-1],"
                + " \"action_high\": [1], \"seed\": 0}");
        assertEquals(noObs + ": field observations is missing",
                assertThrows(SpikerlException.class, () -> LatencyInput.read(noObs)).getMessage());

        Path text = dir.resolve("b.json");
        Files.writeString(text, "{\"env\": \"Hopper-v4\", \"policy\": \"/x\", \"action_low\": [-1],"
                + " \"action_high\": [1], \"seed\": 0, \"observations\": [[1.0, 2.0], [1.0, \"x\"]]}");
        assertEquals(text + ": observations[1][1] must be a number, got \"x\"",
                assertThrows(SpikerlException.class, () -> LatencyInput.read(text)).getMessage());

        Path missing = dir.resolve("missing.json");
        assertTrue(assertThrows(SpikerlException.class, () -> LatencyInput.read(missing)).getMessage()
                .startsWith("cannot read benchmark input " + missing));
    }

    @Test
    void forkWithoutThePropertySaysWhatIsMissing() {
        String saved = System.clearProperty(LatencyInput.PROPERTY);
        try {
            SpikerlException e = assertThrows(SpikerlException.class, LatencyInput::fromSystemProperty);
            assertTrue(e.getMessage().startsWith("system property spikerl.bench.input is not set"), e.getMessage());
        } finally {
            if (saved != null) {
                System.setProperty(LatencyInput.PROPERTY, saved);
            }
        }
    }
}
