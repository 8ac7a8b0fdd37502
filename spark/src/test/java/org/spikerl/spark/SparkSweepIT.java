package org.spikerl.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.sweep.MeasuredTimes;
import org.spikerl.bridge.Backends;
import org.spikerl.run.Evaluation;
import org.spikerl.sweep.Sweep;
import org.spikerl.sweep.SweepConfig;
import org.spikerl.sweep.SweepEngine;

/**
 * A real sweep on Spark in local mode, {@code local[2,2]} (two task slots, a task tried at most
 * twice), against real Gymnasium/MuJoCo: the first attempt of the task holding row 3 fails on
 * purpose after its bridge started; Spark retries it; the result files equal those of the
 * single-machine sweep of the same config (apart from provenance and measured times), and no
 * Python process is left.
 */
class SparkSweepIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FAILING_ROW = 3;
    /** A comma outside double quotes (threshold specs such as "ltb-channel:c=1,batch=100" are quoted). */

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(SparkSweepEngine.FAIL_FIRST_ATTEMPT);
        System.clearProperty("spark.ui.enabled");
        System.clearProperty("spark.driver.bindAddress");
        System.clearProperty("spark.driver.host");
    }

    private Path config() throws IOException {
        Path policy = Evaluation.home().resolve("policies/hopper-v4-td3/model.zip");
        return Files.writeString(dir.resolve("tiny.yaml"), """
                description: SparkSweepIT, two latencies and two threshold methods
                env: Hopper-v4
                policy: %s
                episodes: 2
                seed: 0
                calibration_steps: 1000
                grid:
                  timesteps: [4, 8]
                  threshold: [max:neuron, ltb-channel]
                  delay: [0]
                  alpha: [0.5]
                """.formatted(policy));
    }

    private static List<String> pythonChildren() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse("?")).filter(c -> c.contains("python")).toList();
    }

    /** Spark settings of every test here: loopback, no web UI. */
    private static void loopback() {
        System.setProperty("spark.ui.enabled", "false");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        System.setProperty("spark.driver.host", "127.0.0.1");
    }

    @Test
    void aTunedSparkSweepChoosesAndScoresAsTheLocalSweep() throws IOException {
        Path policy = Evaluation.home().resolve("policies/hopper-v4-td3/model.zip");
        Path file = Files.writeString(dir.resolve("tuned.yaml"), """
                description: SparkSweepIT, alpha and delay tuned per row
                env: Hopper-v4
                policy: %s
                episodes: 2
                seed: 0
                calibration_steps: 1000
                tune: [alpha, delay]
                tune_budget: 6
                grid:
                  timesteps: [4, 8]
                  threshold: [max:neuron]
                """.formatted(policy));
        SweepConfig config = SweepConfig.load(file, dir);
        Path local = Sweep.run(config, file, dir.resolve("local"), List.of("sweep"), new PrintWriter(new StringWriter()));
        loopback();
        Path spark = Sweep.run(config, file, dir.resolve("spark"), null, List.of("sweep", "--engine", "spark"),
                new PrintWriter(new StringWriter()), new SparkSweepEngine(),
                new SweepEngine.Settings(Backends.defaults(), 1, "local[2]"));
        MeasuredTimes.assertSameSweep(local, spark);
        JsonNode rows = JSON.readTree(spark.resolve("sweep.json").toFile()).get("rows");
        assertTrue(rows.get(1).get("tuning").isObject(), "the tuner's search and choice are in sweep.json");
        assertEquals(List.of(), pythonChildren(), "no Python process left");
    }

    @Test
    void aSparkSweepResumesAStoppedSweepWithItsMissingRowsOnly() throws IOException {
        Path file = config();
        SweepConfig config = SweepConfig.load(file, dir);
        Path local = Sweep.run(config, file, dir.resolve("local"), List.of("sweep"), new PrintWriter(new StringWriter()));
        // A sweep stopped after rows 0..2: the folder as the journal left it, rows 3 and 4 missing.
        Path stopped = dir.resolve("stopped");
        Files.createDirectories(stopped.resolve("cells"));
        Files.copy(local.resolve("provenance.json"), stopped.resolve("provenance.json"));
        for (int r = 0; r <= 2; r++) {
            String name = String.format("row-%06d.json", r);
            Files.copy(local.resolve("cells").resolve(name), stopped.resolve("cells").resolve(name));
        }
        loopback();
        Path resumed = Sweep.run(config, file, null, stopped, List.of("sweep", "--resume", stopped.toString()),
                new PrintWriter(new StringWriter()), new SparkSweepEngine(),
                new SweepEngine.Settings(Backends.defaults(), 1, "local[2]"));
        MeasuredTimes.assertSameSweep(local, resumed);
        JsonNode p = JSON.readTree(resumed.resolve("provenance.json").toFile());
        assertEquals(3, p.get("resumed_rows").asInt());
        List<Integer> ran = new ArrayList<>();
        p.get("spark_tasks").forEach(t -> t.get("rows").forEach(r -> ran.add(r.asInt())));
        assertEquals(List.of(3, 4), ran, "only the missing rows ran");
        assertEquals(List.of(), pythonChildren(), "no Python process left");
    }

    @Test
    void aSparkSweepWithOneFailedTaskWritesTheTablesOfTheLocalSweep() throws IOException {
        assertInstanceOf(SparkSweepEngine.class, SweepEngine.find("spark"), "found through ServiceLoader");
        Path file = config();
        SweepConfig config = SweepConfig.load(file, dir);
        StringWriter localLog = new StringWriter();
        long t0 = System.nanoTime();
        Path local = Sweep.run(config, file, dir.resolve("local"), List.of("sweep"), new PrintWriter(localLog));
        double localSeconds = (System.nanoTime() - t0) / 1e9;

        System.setProperty(SparkSweepEngine.FAIL_FIRST_ATTEMPT, Integer.toString(FAILING_ROW));
        loopback();
        StringWriter sparkLog = new StringWriter();
        t0 = System.nanoTime();
        Path spark = Sweep.run(config, file, dir.resolve("spark"), null, List.of("sweep", "--engine", "spark"),
                new PrintWriter(sparkLog), new SparkSweepEngine(),
                new SweepEngine.Settings(Backends.defaults(), 1, "local[2,2]"));
        double sparkSeconds = (System.nanoTime() - t0) / 1e9;

        MeasuredTimes.assertSameSweep(local, spark);
        int rows = Files.readAllLines(spark.resolve("sweep.csv")).size() - 1;
        assertEquals(config.grid().size() + 1, rows);

        JsonNode p = JSON.readTree(spark.resolve("provenance.json").toFile());
        assertEquals("spark", p.get("engine").asText());
        assertEquals("local[2,2]", p.get("engine_master").asText());
        assertEquals("local", JSON.readTree(local.resolve("provenance.json").toFile()).get("engine").asText());
        List<String> retried = new ArrayList<>();
        int tasks = 0;
        for (JsonNode t : p.get("spark_tasks")) {
            tasks++;
            List<Integer> taskRows = new ArrayList<>();
            t.get("rows").forEach(r -> taskRows.add(r.asInt()));
            int attempt = t.get("attempt").asInt();
            assertEquals(taskRows.contains(FAILING_ROW) ? 1 : 0, attempt, "attempt of the task of rows " + taskRows);
            if (attempt > 0) {
                retried.add(taskRows + " attempt " + attempt);
            }
        }
        assertEquals(1, retried.size(), "one task retried: " + retried);
        assertTrue(p.get("executors").size() >= 1);
        assertEquals(List.of(), pythonChildren(), "no Python process left");
        System.out.printf("SparkSweepIT: %d rows equal to the local sweep (%.1f s local, %.1f s on local[2,2]);"
                + " %d tasks, retried: %s; Python processes left: %d%n", rows, localSeconds, sparkSeconds, tasks,
                retried, pythonChildren().size());
    }
}
