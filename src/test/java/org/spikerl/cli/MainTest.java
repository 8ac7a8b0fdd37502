package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage errors print one line on stderr and exit with status 2 (no Python needed to get there). */
class MainTest {

    /** Status and stderr lines of one run. */
    private static synchronized List<String> run(int expectedStatus, String... args) {
        PrintStream oldErr = System.err;
        PrintStream oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(expectedStatus, Main.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void noCommandIsOneLine() {
        assertEquals(List.of("spikerl: error: a command is required: eval, convert, sweep or bench"
                + " (see 'spikerl --help')"),
                run(Main.EXIT_USAGE));
    }

    @Test
    void parseErrorsAreOneLineWithTheHelpHint() {
        assertEquals(List.of("spikerl: error: Unknown option: '--bogus' (see 'spikerl eval --help')"),
                run(Main.EXIT_USAGE, "eval", "--env", "Hopper-v4", "--policy", "x", "--bogus"));
        assertEquals(List.of("spikerl: error: Invalid value for option '--num-envs': 'many' is not an int"
                + " (see 'spikerl eval --help')"),
                run(Main.EXIT_USAGE, "eval", "--env", "Hopper-v4", "--policy", "x", "--num-envs", "many"));
    }

    @Test
    void invalidValuesAreRefusedBeforeAnythingStarts() {
        // EvalConfig validates first; these never reach the bridge (none is available to unit tests).
        assertEquals(List.of("spikerl: error: --num-envs must be in 1..256, got 300"),
                run(Main.EXIT_USAGE, "eval", "--env", "Hopper-v4", "--policy", "x", "--num-envs", "300"));
        assertEquals(List.of("spikerl: error: --env is required, e.g. --env Hopper-v4"),
                run(Main.EXIT_USAGE, "eval", "--env", " ", "--policy", "x"));
    }

    @Test
    void aSparkSweepWithoutTheSparkModuleIsOneLine() {
        List<String> err = run(Main.EXIT_USAGE, "sweep", "--config", "configs/hopper.yaml", "--engine", "spark",
                "--master", "local[2]");
        assertEquals(1, err.size(), String.join("\n", err));
        assertTrue(err.get(0).startsWith("spikerl: error: --engine spark: the Spark engine is not on the class path;"
                + " build it with"), err.get(0));
        assertEquals(List.of("spikerl: error: --master local[2] needs a cluster engine, e.g. --engine spark"),
                run(Main.EXIT_USAGE, "sweep", "--config", "configs/hopper.yaml", "--master", "local[2]"));
    }

    @Test
    void oneLineJoinsLinesOfAMessage() {
        assertEquals("a | b | c", Main.oneLine("a\n  b\r\nc"));
        assertTrue(Main.oneLine(null).isEmpty());
    }
}
