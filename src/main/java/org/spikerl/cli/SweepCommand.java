package org.spikerl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.spikerl.SpikerlException;
import org.spikerl.run.Evaluation;
import org.spikerl.run.RunBounds;
import org.spikerl.bridge.Backends;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.bridge.PythonWorkers;
import org.spikerl.sweep.Sweep;
import org.spikerl.sweep.SweepConfig;
import org.spikerl.sweep.SweepEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spikerl sweep}: ANN baseline and a grid of conversions from a config file. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Evaluate the ANN and a grid of SNN conversions (T, threshold, delay, alpha) on the same seeds.")
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", description = "Sweep config (YAML), e.g. configs/tuned/hopper.yaml"
            + " (with --resume: default the one the stopped sweep used).")
    Path config;

    @Option(names = "--out", description = "Results directory (default: a new folder under results/runs).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Finish the stopped sweep in DIR: keep its finished rows, run the rest (same config, actor"
                    + " and versions required).")
    Path resume;

    @Option(names = "--dry-run", description = "Print the rows, episodes and an estimated time, then stop.")
    boolean dryRun;

    @Option(names = "--max-rows", defaultValue = "" + RunBounds.DEFAULT_MAX_ROWS,
            description = "Refuse a grid of more rows (default: ${DEFAULT-VALUE}).")
    long maxRows;

    @Option(names = "--max-episodes", defaultValue = "" + RunBounds.DEFAULT_MAX_EPISODES,
            description = "Refuse a sweep of more evaluation episodes in all (default: ${DEFAULT-VALUE}).")
    long maxEpisodes;

    @Option(names = "--parallel-cells", paramLabel = "N|auto", defaultValue = "auto",
            description = "Evaluate up to N rows at once, each on its own share of the Python workers (one per core,"
                    + " or SPIKERL_WORKERS, at least one per row); auto: one row per worker. The results are the"
                    + " same for any N (default: ${DEFAULT-VALUE}).")
    String parallelCellsArg;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "${bundle:default.engine}",
            description = "Where the rows run: local (this machine) or spark (Apache Spark, from the spikerl-spark"
                    + " module; README: Running on a cluster). On this class path: ${bundle:found.engines}"
                    + " (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "With --engine spark: the cluster, e.g. local[2], spark://HOST:7077, yarn, k8s://..."
                    + " (default: spark.master when set by spark-submit, else local[*]).")
    String master;

    @Override
    public Integer call() {
        System.setProperty("java.awt.headless", "true");
        int parallelCells = parallelCells(parallelCellsArg, Backends.workers());
        if (resume != null && out != null) {
            throw new SpikerlException("--resume writes into the folder it resumes; drop --out");
        }
        if (master != null && engine.equals(SweepEngine.LOCAL)) {
            throw new SpikerlException("--master " + master + " needs a cluster engine, e.g. --engine spark");
        }
        // Before the config and the bridge: an engine that is not on the class path is one line.
        SweepEngine eng = SweepEngine.find(engine);
        Path file = config != null ? config : resume != null ? configOf(resume) : null;
        if (file == null) {
            throw new SpikerlException("--config is required: a sweep config (YAML), e.g. configs/tuned/hopper.yaml");
        }
        RunBounds bounds = new RunBounds(maxEpisodes, maxRows);
        SweepConfig c = SweepConfig.load(file, Evaluation.home(), bounds);
        long episodes = c.totalEpisodes();
        bounds.checkEpisodes(episodes, "config " + file + ": the sweep");
        PrintWriter o = spec.commandLine().getOut();
        if (dryRun) {
            o.println("sweep " + file + ": " + (c.rowCount() + 1) + " rows (the ANN and " + c.rowCount()
                    + " conversions) on " + c.env() + ", " + c.episodes() + " episodes each (seeds " + c.seed() + ".."
                    + (c.seed() + c.episodes() - 1) + ")" + (c.tuned().isEmpty() ? "" : ", tuning " + c.tuneBudget()
                    + " episodes per row") + "; in all " + RunBounds.estimate(episodes));
            o.flush();
            return 0;
        }
        // The Python workers (one per core, or SPIKERL_WORKERS) are shared out among the cell runners.
        int workersPerCell = Math.max(1, Backends.workers() / parallelCells);
        Path dir = Sweep.run(c, file, out, resume, CliSupport.commandLine(spec), o, eng,
                new SweepEngine.Settings(() -> PythonWorkers.start(BridgeOptions.defaults(), workersPerCell),
                        parallelCells, master));
        o.println("results: " + dir);
        return 0;
    }

    /**
     * {@code --parallel-cells}: a count >= 1, or {@code auto}, one cell runner per Python worker (so
     * each runner has one worker, and its own Java thread computing actions while it steps).
     */
    static int parallelCells(String arg, int workers) {
        String v = arg == null ? "" : arg.strip();
        if (v.equalsIgnoreCase("auto")) {
            return Math.max(1, workers);
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new SpikerlException("--parallel-cells must be a whole number >= 1 or auto, got '" + arg + "'");
    }

    /** The config file a stopped sweep used, from its provenance. */
    private static Path configOf(Path dir) {
        Path p = dir.resolve("provenance.json");
        try {
            JsonNode f = new ObjectMapper().readTree(p.toFile()).path("config").path("config_file");
            if (!f.isTextual()) {
                throw new SpikerlException(p + " names no config_file; give --config");
            }
            return Path.of(f.asText());
        } catch (IOException e) {
            throw new SpikerlException("--resume " + dir + ": cannot read " + p + " (" + (Files.exists(p)
                    ? e.getMessage().lines().findFirst().orElse("") : "no such file") + ")", e);
        }
    }
}
