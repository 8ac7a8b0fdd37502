package org.spikerl.spark;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Serializable;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.bridge.PythonWorkers;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.env.EnvBackend;
import org.spikerl.run.EnvSession;
import org.spikerl.sweep.Sweep.Row;
import org.spikerl.sweep.SweepCells;
import org.spikerl.sweep.SweepJournal;

/**
 * One Spark task: a few rows of one method (or the ANN's row), run on the executor with a bridge
 * of its own ({@link EnvSession}, closed with its Python processes however the task ends).
 *
 * @param rows the rows' indices in the single-machine order (0: the ANN)
 * @param conversions each row's conversion as {@code ConversionConfig.describe()} (null for the ANN)
 * @param thresholds each row's thresholds, computed once on the driver (null for the ANN and tuned rows)
 */
record CellTask(List<Integer> rows, List<Map<String, String>> conversions, List<float[][]> thresholds)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    TaskResult run(TaskPlan plan) {
        long t0 = System.nanoTime();
        TaskContext context = TaskContext.get();
        int attempt = context == null ? 0 : context.attemptNumber();
        String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
        String host = host();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("spikerl-task-");
            BridgeOptions options = bridgeOptions(plan);
            EnvBackend.Factory backends = () -> PythonWorkers.start(options, plan.workersPerTask());
            try (EnvSession session = EnvSession.open(backends, plan.envId(), plan.slots(),
                    plan.actorFile(scratch), plan.normalizationFile(scratch))) {
                if (attempt == 0 && rows.contains(plan.failFirstAttemptOfRow())) {
                    throw new IllegalStateException("injected failure of the first attempt of the task of rows " + rows
                            + " (spark.spikerl.test.failFirstAttemptOfRow)");
                }
                plan.checkSameActor(session.actor(), executor + " (" + host + ")");
                EpisodeRunner.Listener killable = new EpisodeRunner.Listener() {
                    @Override
                    public void stepped(int environmentSteps) {
                        if (context != null) {
                            context.killTaskIfInterrupted(); // the driver cancelled the job
                        }
                    }
                };
                CalibrationSet set = rows.stream().anyMatch(r -> r > 0)
                        ? CalibrationSet.observe(session.actor(), plan.observations()) : null;
                List<String> json = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    Row row;
                    if (rows.get(i) == 0) {
                        row = SweepCells.ann(session.actor(), session.env(), plan.episodes(), plan.seed(), killable);
                    } else if (plan.tuned().isEmpty()) {
                        row = SweepCells.cell(ConversionConfig.fromDescription(conversions.get(i)), set,
                                thresholds.get(i), session.env(), plan.episodes(), plan.seed(), killable);
                    } else {
                        // The tuner's progress lines go to the executor's log.
                        row = SweepCells.tuned(ConversionConfig.fromDescription(conversions.get(i)), plan.tuned(),
                                plan.tuneBudget(), set, plan.observations(), session.env(), plan.episodes(),
                                plan.seed(), new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8),
                                        true), killable);
                    }
                    json.add(SweepJournal.toJson(row));
                }
                return new TaskResult(List.copyOf(rows), json, new LinkedHashMap<>(session.versions()), attempt,
                        executor, host, (System.nanoTime() - t0) / 1e9);
            }
        } catch (IOException e) {
            throw new IllegalStateException("task of rows " + rows + ": " + e.getMessage(), e);
        } finally {
            delete(scratch);
        }
    }

    /** The driver's interpreter and script when this worker has them at the same paths, else this JVM's defaults. */
    private static BridgeOptions bridgeOptions(TaskPlan plan) {
        Path python = Path.of(plan.python());
        Path script = Path.of(plan.script());
        if (Files.isExecutable(python) && Files.isRegularFile(script)) {
            return new BridgeOptions(python, script, BridgeOptions.DEFAULT_START_TIMEOUT,
                    BridgeOptions.DEFAULT_CALL_TIMEOUT, false);
        }
        return BridgeOptions.defaults();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder of the executor; nothing depends on it
        }
    }
}
