package org.spikerl.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.io.FileDigest;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.control.StopRequest;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.ThresholdCache;
import org.spikerl.run.SnnOptions;
import org.spikerl.sweep.SweepConfig;
import org.spikerl.sweep.SweepEngine;
import org.spikerl.sweep.SweepJob;
import org.spikerl.sweep.SweepJournal;

/**
 * {@code sweep --engine spark}: a sweep's missing rows as Apache Spark tasks. The driver (this
 * JVM) records the calibration rollouts once on its own session and computes every row's
 * thresholds once; they go to the executors with the actor's (and a configured observation
 * normalisation file's) bytes and SHA-256 in one broadcast
 * ({@link TaskPlan}). Rows are grouped by threshold method (the ANN's row alone), at most
 * {@value #DEFAULT_CELLS_PER_TASK} rows a task unless {@code spark.spikerl.cellsPerTask} says
 * otherwise; each task starts its own bridge with {@code spark.spikerl.workersPerTask} Python
 * processes (default 1: one stepping thread per task, the cores being Spark's to share out) and
 * returns raw numbers ({@link TaskResult}). Every task is a job of its own, so its rows reach the
 * driver's journal (on disk) as soon as it ends; the driver refuses an executor whose Python /
 * Gymnasium / MuJoCo / numpy versions differ from its own and records the rows by index, so the
 * result files are those of a local run. In a tuned sweep ({@code tune: [...]}) each task tunes
 * its rows as a local run does. A failed task is retried by Spark
 * ({@code spark.task.maxFailures}; in local mode the F of {@code local[N,F]}); when its retries
 * are used up the other jobs are cancelled and the sweep stops with the rows it has, resumable
 * with {@code --resume}.
 */
public final class SparkSweepEngine implements SweepEngine {
    public static final String NAME = "spark";
    public static final String CELLS_PER_TASK = "spark.spikerl.cellsPerTask";
    public static final String WORKERS_PER_TASK = "spark.spikerl.workersPerTask";
    /** Test hook: the first attempt of the task that holds this row throws. */
    public static final String FAIL_FIRST_ATTEMPT = "spark.spikerl.test.failFirstAttemptOfRow";
    static final int DEFAULT_CELLS_PER_TASK = 4;
    static final String DEFAULT_MASTER = "local[*]";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void evaluate(SweepJob job) {
        SweepConfig config = job.config();
        List<Integer> missing = job.missingRows();
        if (missing.isEmpty()) {
            return;
        }
        // spark-submit passes its settings as spark.* system properties; SparkConf(true) reads them.
        SparkConf conf = new SparkConf(true);
        String master = job.settings().master() != null ? job.settings().master()
                : conf.get("spark.master", DEFAULT_MASTER);
        conf.setMaster(master);
        if (master.startsWith("local")) {
            // Everything is in this JVM: nothing to listen for beyond loopback (SPARK_LOCAL_IP aside).
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            if (System.getenv("SPARK_LOCAL_IP") == null) {
                // Spark's web UI binds to every interface unless SPARK_LOCAL_IP says otherwise.
                conf.setIfMissing("spark.ui.enabled", "false");
            }
        }
        conf.setIfMissing("spark.app.name", "spikerl sweep " + job.configFile().getFileName());
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        int cellsPerTask = wholeNumber(conf, CELLS_PER_TASK, DEFAULT_CELLS_PER_TASK);
        int workersPerTask = wholeNumber(conf, WORKERS_PER_TASK, 1);
        int failFirstAttempt = conf.contains(FAIL_FIRST_ATTEMPT) ? wholeNumber(conf, FAIL_FIRST_ATTEMPT, 0) : -1;
        TaskPlan plan = plan(job, workersPerTask, failFirstAttempt, missing);
        List<CellTask> tasks = tasks(job, missing, cellsPerTask, plan);
        job.failedRow(missing.get(0)); // until a task fails: Spark could not start or run the first row
        Map<String, Object> provenance = job.provenance();
        provenance.put("engine_master", master);
        provenance.put("spark_cells_per_task", cellsPerTask);
        provenance.put("spark_workers_per_task", workersPerTask);
        Map<String, String> driverVersions = job.session().versions();
        List<Map<String, Object>> ran = new ArrayList<>();
        Map<String, Map<String, Object>> executors = new TreeMap<>();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            provenance.put("spark_version", sc.version());
            if (sc.getConf().contains("spark.task.maxFailures")) {
                provenance.put("spark_task_max_failures", sc.getConf().get("spark.task.maxFailures"));
            }
            job.log().printf(Locale.ROOT, "spark: %d rows in %d tasks on %s (%d at once)%n", missing.size(),
                    tasks.size(), sc.master(), sc.defaultParallelism());
            job.log().flush();
            Broadcast<TaskPlan> shared = sc.broadcast(plan);
            List<JavaFutureAction<List<TaskResult>>> pending = new ArrayList<>();
            Map<JavaFutureAction<List<TaskResult>>, CellTask> taskOf = new LinkedHashMap<>();
            for (CellTask t : tasks) {
                JavaFutureAction<List<TaskResult>> f = sc.parallelize(List.of(t), 1)
                        .map(new RunTask(shared)).collectAsync();
                pending.add(f);
                taskOf.put(f, t);
            }
            try {
                while (!pending.isEmpty()) {
                    if (StopRequest.requested()) {
                        job.failedRow(taskOf.get(pending.get(0)).rows().get(0));
                        StopRequest.check();
                    }
                    JavaFutureAction<List<TaskResult>> f = pending.get(0);
                    for (JavaFutureAction<List<TaskResult>> g : pending) {
                        if (g.isDone()) {
                            f = g;
                            break;
                        }
                    }
                    CellTask task = taskOf.get(f);
                    TaskResult r;
                    try {
                        r = f.get(200, TimeUnit.MILLISECONDS).get(0);
                    } catch (TimeoutException e) {
                        continue;
                    } catch (ExecutionException e) {
                        job.failedRow(task.rows().get(0));
                        throw new SpikerlException("spark task of rows " + task.rows() + " failed and Spark's"
                                + " retries are used up: " + rootMessage(e), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        job.failedRow(task.rows().get(0));
                        throw new SpikerlException("interrupted while waiting for the spark task of rows " + task.rows(),
                                e);
                    }
                    pending.remove(f);
                    job.failedRow(task.rows().get(0)); // the row named if its results are refused
                    checkVersions(driverVersions, r, task);
                    for (int i = 0; i < r.rows().size(); i++) {
                        int index = r.rows().get(i);
                        job.record(index, SweepJournal.fromJson(r.rowsJson().get(i),
                                "row " + index + " from executor " + r.executor()));
                    }
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("rows", r.rows());
                    t.put("attempt", r.attempt());
                    t.put("executor", r.executor());
                    t.put("host", r.host());
                    t.put("seconds", r.seconds());
                    ran.add(t);
                    executors.computeIfAbsent(r.executor(), k -> new LinkedHashMap<>(Map.of("id", r.executor(),
                            "host", r.host(), "tasks", 0)))
                            .merge("tasks", 1, (a, b) -> (Integer) a + (Integer) b);
                }
            } finally {
                if (!pending.isEmpty()) {
                    sc.cancelAllJobs();
                }
                provenance.put("executors", new ArrayList<>(executors.values()));
                provenance.put("spark_tasks", ran);
            }
        }
    }

    /** A whole number >= 0 (>= 1 for the sizes) from a {@code spark.spikerl.*} setting, or one line naming it. */
    private static int wholeNumber(SparkConf conf, String key, int otherwise) {
        String v = conf.get(key, Integer.toString(otherwise)).strip();
        int min = key.equals(FAIL_FIRST_ATTEMPT) ? 0 : 1;
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SpikerlException(key + " is '" + v + "'; expected a whole number >= " + min);
    }

    /** Refuses the rows of an executor whose environment is not the driver's. */
    static void checkVersions(Map<String, String> driver, TaskResult r, CellTask task) {
        if (!Objects.equals(driver, r.versions())) {
            List<String> diff = new ArrayList<>();
            for (String k : new java.util.TreeSet<>(union(driver.keySet(), r.versions().keySet()))) {
                if (!Objects.equals(driver.get(k), r.versions().get(k))) {
                    diff.add(k + " " + Objects.requireNonNullElse(r.versions().get(k), "missing") + " (driver "
                            + Objects.requireNonNullElse(driver.get(k), "missing") + ")");
                }
            }
            throw new SpikerlException("executor " + r.executor() + " on " + r.host() + " ran rows " + task.rows()
                    + " with " + String.join(", ", diff) + "; install the same envs/requirements.txt on every worker"
                    + " (bash envs/bootstrap.sh)");
        }
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u;
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        return m.lines().findFirst().orElse("");
    }

    /** Calibration once on the driver's session, and what every task shares. */
    private static TaskPlan plan(SweepJob job, int workersPerTask, int failFirstAttempt, List<Integer> missing) {
        SweepConfig config = job.config();
        Actor actor = job.actor();
        double[][] observations = new double[0][];
        double[][] probes = new double[0][];
        if (missing.stream().anyMatch(r -> r > 0)) {
            // As on one machine, a failed calibration names the first row that needs it.
            job.failedRow(missing.stream().filter(r -> r > 0).findFirst().orElseThrow());
            SnnOptions.Recorded rec = config.calibration().record(actor, job.session().env());
            job.provenance().put("calibration_rollout_s", rec.rolloutSeconds());
            observations = rec.observations();
            probes = TaskPlan.probe(actor, observations);
        }
        java.nio.file.Path norm = config.normalization();
        BridgeOptions bridge = BridgeOptions.defaults();
        return new TaskPlan(config.env(), Math.min(config.numEnvs(), config.episodes()), config.episodes(),
                config.seed(), config.policy().toAbsolutePath().toString(), FileDigest.sha256(config.policy()),
                bytes(config.policy(), "the actor"), norm == null ? null : norm.toAbsolutePath().toString(),
                norm == null ? null : FileDigest.sha256(norm), norm == null ? null : bytes(norm, "the normalization"),
                observations, probes, bridge.python().toString(), bridge.script().toString(), workersPerTask,
                new java.util.HashSet<>(config.tuned()), config.tuneBudget(), failFirstAttempt);
    }

    private static byte[] bytes(java.nio.file.Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpikerlException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The ANN's row alone, then the grid's rows grouped by threshold method (in the order the
     * methods first appear), each group cut into tasks of at most {@code cellsPerTask} rows; every
     * row carries its thresholds, computed once here.
     */
    private static List<CellTask> tasks(SweepJob job, List<Integer> missing, int cellsPerTask, TaskPlan plan) {
        List<CellTask> tasks = new ArrayList<>();
        if (missing.contains(0)) {
            tasks.add(new CellTask(List.of(0), java.util.Collections.singletonList(null),
                    java.util.Collections.singletonList(null)));
        }
        List<Integer> cells = missing.stream().filter(r -> r > 0).toList();
        if (cells.isEmpty()) {
            return tasks;
        }
        ThresholdCache thresholds = new ThresholdCache(
                org.spikerl.convert.CalibrationSet.observe(job.actor(), plan.observations()));
        Map<String, List<Integer>> byMethod = new LinkedHashMap<>();
        for (int r : cells) {
            byMethod.computeIfAbsent(job.conversion(r).method().spec(), k -> new ArrayList<>()).add(r);
        }
        for (List<Integer> group : byMethod.values()) {
            for (int from = 0; from < group.size(); from += cellsPerTask) {
                List<Integer> rows = group.subList(from, Math.min(group.size(), from + cellsPerTask));
                List<Map<String, String>> conversions = new ArrayList<>();
                List<float[][]> theta = new ArrayList<>();
                for (int r : rows) {
                    ConversionConfig c = job.conversion(r);
                    conversions.add(c.describe());
                    theta.add(job.config().tuned().isEmpty() ? thresholds.get(c) : null); // the tuner searches its own
                }
                tasks.add(new CellTask(List.copyOf(rows), conversions, theta));
            }
        }
        return tasks;
    }

    /** The task function Spark ships: runs a {@link CellTask} with the broadcast plan. */
    private static final class RunTask implements org.apache.spark.api.java.function.Function<CellTask, TaskResult> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<TaskPlan> plan;

        RunTask(Broadcast<TaskPlan> plan) {
            this.plan = plan;
        }

        @Override
        public TaskResult call(CellTask task) {
            return task.run(plan.value());
        }
    }
}
