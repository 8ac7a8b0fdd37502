package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spikerl.cli.CliCapture.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs too large to be meant are refused before anything starts (no bridge, no memory for the
 * rows or the seeds), in one line with exit 2; {@code --dry-run} says what a run would do.
 */
class BoundsTest {
    @TempDir
    Path tmp;

    /** 1000 T x 100 alpha x 100 v0 = 10 million rows, every value distinct. */
    private Path tenMillionRows() throws IOException {
        String ts = IntStream.rangeClosed(1, 1000).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String alphas = IntStream.range(0, 100).mapToObj(i -> Double.toString(i / 100.0)).collect(Collectors.joining(", "));
        String v0s = IntStream.range(0, 100).mapToObj(i -> Double.toString(i / 100.0)).collect(Collectors.joining(", "));
        Files.writeString(tmp.resolve("actor.pt"), "not read: the grid is refused first");
        return Files.writeString(tmp.resolve("huge.yaml"), "description: ten million rows\nenv: Hopper-v4\n"
                + "policy: actor.pt\ngrid:\n  timesteps: [" + ts + "]\n  alpha: [" + alphas + "]\n  v0: [" + v0s + "]\n");
    }

    @Test
    void aTenMillionRowGridIsRefusedInOneLine() throws IOException {
        String line = cli("sweep", "--config", tenMillionRows().toString()).refusal();
        assertTrue(line.contains("the grid has 10000000 rows, more than the limit of 10000; raise it with --max-rows"),
                line);
    }

    @Test
    void aHundredMillionEpisodesAreRefusedAndTheDryRunEstimatesThem() throws IOException {
        Path actor = Files.writeString(tmp.resolve("actor.pt"), "x");
        String line = cli("eval", "--env", "Hopper-v4", "--policy", actor.toString(), "--episodes", "100000000")
                .refusal();
        assertTrue(line.contains("--episodes is 100000000 episodes, more than the limit of 100000 (about 13889 h);"
                + " raise it with --max-episodes 100000000"), line);
        CliCapture.Run dry = cli("eval", "--env", "Hopper-v4", "--policy", actor.toString(), "--episodes", "100000000",
                "--max-episodes", "100000000", "--dry-run");
        assertEquals(0, dry.status(), dry.err());
        assertTrue(dry.out().contains("seeds 0..99999999; 100000000 episodes, at most 100000000000 environment steps,"
                + " about 13889 h at 2000 steps/s"), dry.out());
    }

    @Test
    void theSweepDryRunCountsRowsAndEpisodes() throws IOException {
        Files.writeString(tmp.resolve("a.pt"), "x");
        Path f = Files.writeString(tmp.resolve("s.yaml"), "description: d\nenv: Hopper-v4\npolicy: a.pt\nepisodes: 3\n"
                + "grid:\n  timesteps: [2, 4, 8]\n  delay: [0, 4]\n");
        CliCapture.Run dry = cli("sweep", "--config", f.toString(), "--dry-run");
        assertEquals(0, dry.status(), dry.err());
        // delay 4 fits only T = 8: 3 + 1 conversions, and the ANN.
        assertTrue(dry.out().contains(": 5 rows (the ANN and 4 conversions) on Hopper-v4, 3 episodes each (seeds 0..2);"
                + " in all 15 episodes"), dry.out());
        String line = cli("sweep", "--config", f.toString(), "--max-episodes", "14").refusal();
        assertTrue(line.contains("the sweep is 15 episodes, more than the limit of 14"), line);
    }
}
