package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine;

/** Runs the CLI in process with stdout and stderr captured, for the command ITs. */
final class CliCapture {
    private CliCapture() {
    }

    /** Exit status and everything printed on stdout and stderr. */
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        List<String> outLines() {
            return out.lines().toList();
        }

        /** Status 2 and exactly one line on stderr, "spikerl: error: ..." with no stack trace; returns the line. */
        String refusal() {
            assertEquals(Main.EXIT_USAGE, status, err);
            assertEquals(1, errLines().size(), "exactly one line on stderr: " + err);
            String line = errLines().get(0);
            assertTrue(line.startsWith("spikerl: error: "), line);
            assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace: " + err);
            return line;
        }
    }

    /** Runs {@code spikerl args...}; echoes what it printed to the real stdout for the test log. */
    static Run cli(String... args) {
        return cli(CommandLine.defaultFactory(), args);
    }

    /** Like {@link #cli(String...)}, with commands made by {@code factory} (tests inject bridge hooks). */
    static synchronized Run cli(CommandLine.IFactory factory, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = Main.execute(factory, args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Run r = new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.println("spikerl " + String.join(" ", args) + " -> " + status + "\n" + r.out + r.err);
        return r;
    }

    static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Writes {@code dir/name}: a sweep of the CRPI TD3 Hopper actor with five rows, the ANN and
     * latencies {@code t1}, {@code t2} times alpha 0, 0.5 (threshold max:neuron, no delay), two
     * episodes each from seed 0, thresholds calibrated on 2000 steps.
     */
    static Path hopperSweep(Path dir, String name, String description, int t1, int t2) throws IOException {
        return hopperSweep(dir, name, description, t1, t2, 2);
    }

    /** {@link #hopperSweep(Path, String, String, int, int)} with {@code episodes} episodes per row. */
    static Path hopperSweep(Path dir, String name, String description, int t1, int t2, int episodes)
            throws IOException {
        return Files.writeString(dir.resolve(name), String.format(Locale.ROOT, """
                description: %s
                env: Hopper-v4
                policy: %s
                episodes: %d
                seed: 0
                calibration_steps: 2000
                grid:
                  timesteps: [%d, %d]
                  threshold: [max:neuron]
                  delay: [0]
                  alpha: [0, 0.5]
                """, description, crpi("TD3_Hopper-v4_actor"), episodes, t1, t2));
    }

    /** The external CRPI actors (../shared, never copied into the project). */
    static Path crpi(String name) {
        return Path.of(System.getProperty("spikerl.home", ".")).resolve("../shared/policies/crpi").resolve(name)
                .normalize();
    }
}
