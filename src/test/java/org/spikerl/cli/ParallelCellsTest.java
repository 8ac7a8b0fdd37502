package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.spikerl.cli.CliCapture.cli;

import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

/** {@code sweep --parallel-cells N|auto}: auto is one cell runner per Python worker; anything else is one line. */
class ParallelCellsTest {

    @Test
    void autoIsOneRunnerPerWorker() {
        assertEquals(2, SweepCommand.parallelCells("auto", 2));
        assertEquals(16, SweepCommand.parallelCells(" AUTO ", 16));
        assertEquals(1, SweepCommand.parallelCells("auto", 1));
        assertEquals(3, SweepCommand.parallelCells("3", 2), "a count is taken as given");
    }

    @Test
    void otherValuesAreRefused() {
        for (String bad : new String[] {"0", "-1", "1.5", "two", ""}) {
            SpikerlException e = assertThrows(SpikerlException.class, () -> SweepCommand.parallelCells(bad, 2));
            assertEquals("--parallel-cells must be a whole number >= 1 or auto, got '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void theCliRefusesABadValueInOneLineBeforeReadingTheConfig() {
        String line = cli("sweep", "--config", "no-such.yaml", "--parallel-cells", "0").refusal();
        assertEquals("spikerl: error: --parallel-cells must be a whole number >= 1 or auto, got '0'", line);
    }
}
