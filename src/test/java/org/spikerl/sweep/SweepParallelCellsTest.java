package org.spikerl.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;
import org.spikerl.testing.FiveStepBackend;
import org.spikerl.testing.FiveStepEnv;
import org.spikerl.testing.TinyActor;

/**
 * Concurrent cells on the five-step fake: a sweep with several cell runners (each its own
 * backend) writes the tables of the same sweep with one runner, rows merged by index; every
 * backend is closed; a runner's failure keeps the finished rows and names the failed row.
 */
class SweepParallelCellsTest {
    /** Fails at the reset of its second evaluation (the second time seed 0 is reset). */
    private static final class FailingEnv extends FiveStepEnv {
        private int evaluations;

        FailingEnv(int size) {
            super(size);
        }

        @Override
        public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
            for (int k = 0; k < size; k++) {
                if (mask[k] && seeds[k] == 0 && ++evaluations == 2) {
                    throw new SpikerlException("injected failure");
                }
            }
            super.reset(mask, seeds, obsOut);
        }
    }

    @TempDir
    Path dir;

    private Path config() throws IOException {
        Path actor = TinyActor.write(dir);
        return Files.writeString(dir.resolve("sweep.yaml"), """
                description: concurrent cells on the five-step fake
                env: fake-v0
                policy: %s
                episodes: 7
                seed: 0
                num_envs: 3
                calibration_steps: 40
                grid:
                  timesteps: [2, 4, 8, 16]
                  alpha: [0.0, 0.5]
                """.formatted(actor));
    }

    private static Path sweep(Path config, Path out, Path resume, EnvBackend.Factory backends, int cells) {
        return Sweep.run(SweepConfig.load(config, config.getParent()), config, out, resume, List.of("sweep"),
                new PrintWriter(new StringWriter()), backends, cells);
    }

    @Test
    void concurrentCellsWriteTheTablesOfOneRunner() throws IOException {
        Path config = config();
        Path one = sweep(config, dir.resolve("one"), null, FiveStepBackend::new, 1);
        List<FiveStepBackend> started = Collections.synchronizedList(new ArrayList<>());
        EnvBackend.Factory counting = () -> {
            FiveStepBackend b = new FiveStepBackend();
            started.add(b);
            return b;
        };
        Path three = sweep(config, dir.resolve("three"), null, counting, 3);
        MeasuredTimes.assertSameSweep(one, three);
        assertEquals(3, started.size(), "one backend per cell runner");
        assertTrue(started.stream().allMatch(b -> b.closed), "every backend closed");
        // Each of the 9 rows was evaluated once, by one runner or another: seed 0 starts every evaluation.
        long evaluations = started.stream().flatMap(b -> b.opened.stream())
                .mapToLong(env -> env.resetSeeds.stream().filter(seed -> seed == 0L).count()).sum();
        assertEquals(9, evaluations);
        assertEquals(3, new ObjectMapper().readTree(three.resolve("provenance.json").toFile()).get("parallel_cells")
                .asInt());
    }

    @Test
    void aFailingRunnerKeepsTheFinishedRowsAndTheResumeEqualsOneRunner() throws IOException {
        Path config = config();
        Path one = sweep(config, dir.resolve("one"), null, FiveStepBackend::new, 1);
        // The second backend started serves a runner whose env fails when its second evaluation starts.
        List<FiveStepBackend> started = Collections.synchronizedList(new ArrayList<>());
        EnvBackend.Factory failing = () -> {
            FiveStepBackend b = new FiveStepBackend();
            started.add(b);
            boolean poisoned = started.size() == 2;
            return new EnvBackend() {
                @Override
                public VectorEnv open(String envId, int size) {
                    return poisoned ? new FailingEnv(size) : b.open(envId, size);
                }

                @Override
                public Map<String, String> versions() {
                    return b.versions();
                }

                @Override
                public void close() {
                    b.close();
                }
            };
        };
        Path stopped = dir.resolve("stopped");
        SpikerlException e = assertThrows(SpikerlException.class, () -> sweep(config, stopped, null, failing, 2));
        assertTrue(e.getMessage().startsWith("sweep row "), e.getMessage());
        assertTrue(e.getMessage().contains("to finish: spikerl sweep --resume"), e.getMessage());
        assertTrue(started.stream().allMatch(b -> b.closed), "every backend closed");
        int kept = MeasuredTimes.entries(stopped.resolve("cells")).size();
        assertTrue(kept >= 1 && kept < 9, "some rows kept: " + kept);

        Path resumed = sweep(config, null, stopped, FiveStepBackend::new, 2);
        MeasuredTimes.assertSameSweep(one, resumed);
    }
}
