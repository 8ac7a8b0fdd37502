package org.spikerl.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.control.StopRequest;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;
import org.spikerl.testing.FiveStepBackend;
import org.spikerl.testing.Timings;
import org.spikerl.testing.TinyActor;

/**
 * A sweep stopped part-way keeps its finished rows (one file each and the tables) and names the
 * row that was running; resumed, it ends with the tables of an uninterrupted sweep; a resume
 * with another configuration is refused. On the five-step fake, without Python.
 */
class SweepStopResumeTest {
    @TempDir
    Path dir;

    @AfterEach
    void forgetTheStop() {
        StopRequest.clear();
    }

    /** The fake env, asking for a stop when it is reset with seed 0 for the {@code n}-th time. */
    private static EnvBackend stoppingAtReset(int n) {
        return atReset(n, () -> StopRequest.request("test"));
    }

    /** The fake env, doing {@code action} when it is reset with seed 0 for the {@code n}-th time. */
    private static EnvBackend atReset(int n, Runnable action) {
        FiveStepBackend fake = new FiveStepBackend();
        return new EnvBackend() {
            @Override
            public VectorEnv open(String envId, int size) {
                VectorEnv env = fake.open(envId, size);
                return new VectorEnv() {
                    int zeroResets;

                    @Override
                    public EnvSpec spec() {
                        return env.spec();
                    }

                    @Override
                    public int size() {
                        return env.size();
                    }

                    @Override
                    public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
                        if (mask[0] && seeds[0] == 0 && ++zeroResets == n) {
                            action.run();
                        }
                        env.reset(mask, seeds, obsOut);
                    }

                    @Override
                    public void step(boolean[] mask, double[] actions, StepBatch out) {
                        env.step(mask, actions, out);
                    }

                    @Override
                    public void close() {
                        env.close();
                    }
                };
            }

            @Override
            public java.util.Map<String, String> versions() {
                return fake.versions();
            }

            @Override
            public void close() {
                fake.close();
            }
        };
    }

    private Path config(int episodes) throws IOException {
        Path actor = TinyActor.write(dir);
        return Files.writeString(dir.resolve("sweep-" + episodes + ".yaml"), """
                description: stop and resume on the five-step fake
                env: fake-v0
                policy: %s
                episodes: %d
                seed: 0
                num_envs: 4
                calibration_steps: 40
                grid:
                  timesteps: [2, 4, 8]
                """.formatted(actor, episodes));
    }

    private static Path run(Path config, Path out, Path resume, EnvBackend backend) {
        return Sweep.run(SweepConfig.load(config, config.getParent()), config, out, resume, List.of("sweep"),
                new PrintWriter(new StringWriter()), () -> backend);
    }

    @Test
    void aStoppedSweepKeepsItsRowsAndResumesToTheUninterruptedTables() throws IOException {
        Path config = config(6);
        Path reference = run(config, dir.resolve("reference"), null, new FiveStepBackend());

        Path out = dir.resolve("stopped");
        // Seed 0 is reset for the ANN, then for each grid row: the third time is row 2.
        SpikerlException e = assertThrows(SpikerlException.class, () -> run(config, out, null, stoppingAtReset(3)));
        assertTrue(e.getMessage().startsWith("sweep row 2 of 3 (if max:neuron T=4 "), e.getMessage());
        assertTrue(e.getMessage().contains("interrupted by test (2 of 4 rows finished, kept in " + out
                + "; to finish: spikerl sweep --resume " + out + ")"), e.getMessage());
        JsonNode sweep = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertEquals("incomplete", sweep.get("status").asText());
        assertEquals("test", sweep.get("stopped_by").asText());
        assertEquals(2, sweep.get("rows").size());
        assertEquals(List.of("row-000000.json", "row-000001.json"), names(out.resolve("cells")));
        assertEquals(3, Files.readAllLines(out.resolve("sweep.csv")).size(), "header, ANN, row 1");
        assertEquals(List.of("cells", "provenance.json", "sweep.csv", "sweep.json", "sweep_episodes.csv"), names(out));
        assertEquals(List.of(), names(dir).stream().filter(n -> n.startsWith(".")).toList(),
                "nothing hidden left behind");

        StopRequest.clear();
        assertEquals(out, run(config, null, out, new FiveStepBackend()));
        for (String f : List.of("sweep.csv", "sweep_episodes.csv", "sweep.json", "sweep.md")) {
            assertEquals(Timings.strip(reference.resolve(f), "act_us_per_step"),
                    Timings.strip(out.resolve(f), "act_us_per_step"), f);
        }
        assertEquals(names(reference), names(out));
        assertEquals(names(reference.resolve("cells")), names(out.resolve("cells")));
        assertEquals(2, new ObjectMapper().readTree(out.resolve("provenance.json").toFile()).get("resumed_rows").asInt());
    }

    /**
     * A sweep killed outright leaves its staging folder as it stood: here a copy of it taken when
     * row 2 starts, named for a process that has ended. The next run into the folder moves it to
     * a visible folder, which {@code sweep --resume} completes to the uninterrupted tables.
     */
    @Test
    void aKilledSweepsStagingIsRecoveredByTheNextRunAndResumes() throws Exception {
        Path config = config(6);
        Path reference = run(config, dir.resolve("reference"), null, new FiveStepBackend());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        gone.onExit().get();
        Path leftover = dir.resolve(".killed.partial-p" + gone.pid() + "t1-k1");
        run(config, dir.resolve("running"), null, atReset(3, () -> {
            try (Stream<Path> s = Files.list(dir)) {
                Path staging = s.filter(p -> p.getFileName().toString().startsWith(".running.partial-")).findFirst()
                        .orElseThrow();
                try (Stream<Path> files = Files.walk(staging)) {
                    for (Path f : files.toList()) {
                        Files.copy(f, leftover.resolve(staging.relativize(f).toString()));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        assertEquals(List.of("cells", "provenance.json"), names(leftover),
                "the killed sweep's description and its finished rows");

        Path killed = dir.resolve("killed");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            run(config, dir.resolve("next"), null, new FiveStepBackend());
        } finally {
            System.setErr(err);
        }
        assertEquals("spikerl: note: a run killed before it finished (pid " + gone.pid() + ") left 2 finished sweep"
                + " rows in the hidden folder " + leftover.getFileName() + "; moved to " + killed
                + " (to finish: spikerl sweep --resume " + killed + ")\n", printed.toString(
                        java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(killed, run(config, null, killed, new FiveStepBackend()));
        for (String f : List.of("sweep.csv", "sweep_episodes.csv", "sweep.json", "sweep.md")) {
            assertEquals(Timings.strip(reference.resolve(f), "act_us_per_step"),
                    Timings.strip(killed.resolve(f), "act_us_per_step"), f);
        }
        assertEquals(names(reference), names(killed));
        assertEquals(List.of(), names(dir).stream().filter(n -> n.startsWith(".")).toList(), "nothing hidden left");
    }

    @Test
    void aResumeWithAnotherConfigurationIsRefused() throws IOException {
        Path out = dir.resolve("stopped");
        assertThrows(SpikerlException.class, () -> run(config(6), out, null, stoppingAtReset(2)));
        StopRequest.clear();
        SpikerlException e = assertThrows(SpikerlException.class, () -> run(config(5), null, out,
                new FiveStepBackend()));
        assertTrue(e.getMessage().startsWith("cannot resume " + out + ": its config differs from this run's"
                + " (episodes: 6 then, 5 now)"), e.getMessage());
        assertEquals("incomplete", new ObjectMapper().readTree(out.resolve("sweep.json").toFile()).get("status")
                .asText(), "the stopped sweep is left as it was");
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
