package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.bench.LatencySettings;

/**
 * {@code spikerl bench latency} rejects bad options with exit status 2 and a one-line message,
 * before it starts the bridge or any JVM (so these tests need no Python).
 */
class BenchLatencyOptionsTest {
    @TempDir
    Path dir;

    private Path policy;

    @BeforeEach
    void actorFile() throws IOException {
        policy = Files.writeString(dir.resolve("actor.pt"), "not read: options fail first");
    }

    private record Run(int status, String err) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Run(status, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private void assertRejected(String expectedLine, String... args) {
        Run r = run(args);
        assertEquals(Main.EXIT_USAGE, r.status(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertEquals("spikerl: error: " + expectedLine, first);
    }

    @Test
    void missingPolicyFile() {
        Path absent = dir.resolve("absent.pt");
        assertRejected("--policy " + absent + ": no such file",
                "bench", "latency", "--env", "Hopper-v4", "--policy", absent.toString());
    }

    @Test
    void stepsForksAndSeedOutOfRange() {
        String p = policy.toString();
        assertRejected("--steps must be in 1.." + LatencySettings.MAX_STEPS + ", got 0",
                "bench", "latency", "--env", "Hopper-v4", "--policy", p, "--steps", "0");
        assertRejected("--steps must be in 1.." + LatencySettings.MAX_STEPS + ", got 1000001",
                "bench", "latency", "--env", "Hopper-v4", "--policy", p, "--steps", "1000001");
        assertRejected("--forks must be >= 1 (JMH measures in fresh JVMs), got 0",
                "bench", "latency", "--env", "Hopper-v4", "--policy", p, "--forks", "0");
        assertRejected("--seed must be >= 0, got -1",
                "bench", "latency", "--env", "Hopper-v4", "--policy", p, "--seed", "-1");
        assertRejected("--env is required, e.g. --env Hopper-v4",
                "bench", "latency", "--env", " ", "--policy", p);
    }

    @Test
    void requiredOptionsAndTypesAreCheckedByTheParser() {
        Run noEnv = run("bench", "latency", "--policy", policy.toString());
        assertEquals(Main.EXIT_USAGE, noEnv.status());
        assertTrue(noEnv.err().contains("Missing required option: '--env=<env>'"), noEnv.err());

        Run notNumber = run("bench", "latency", "--env", "Hopper-v4", "--policy", policy.toString(), "--steps", "many");
        assertEquals(Main.EXIT_USAGE, notNumber.status());
        assertTrue(notNumber.err().contains("'many' is not an int"), notNumber.err());
    }

    @Test
    void quickScheduleIsOneShortForkOnFewSteps() {
        LatencySettings s = LatencySettings.of("Hopper-v4", policy, 2000, 0, 2).quick();
        assertEquals(300, s.steps());
        assertEquals(1, s.forks());
        assertEquals(1, s.measurementIterations());
        assertEquals(50, LatencySettings.of("Hopper-v4", policy, 50, 0, 2).quick().steps());
    }
}
