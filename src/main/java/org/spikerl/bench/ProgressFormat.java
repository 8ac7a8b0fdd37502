package org.spikerl.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's output split in two: everything goes to {@code log} (JMH's own human format, kept in a
 * file for whoever wants the per-iteration numbers), and one line per benchmark configuration
 * goes to {@code progress}, so a run of a few minutes shows where it is without JMH's full log.
 */
final class ProgressFormat implements OutputFormat {
    private final OutputFormat log;
    private final PrintWriter progress;
    private final int total;
    private int started;

    ProgressFormat(OutputFormat log, PrintWriter progress, int total) {
        this.log = log;
        this.progress = progress;
        this.total = total;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        log.startBenchmark(params);
        started++;
        String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        String t = params.getParam("timesteps");
        progress.printf(Locale.ROOT, "bench latency: [%d/%d] %s%s (%s)%n", started, total, name,
                t != null ? " T=" + t : "", params.getMode().shortLabel());
        progress.flush();
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        log.endBenchmark(result);
        if (result != null) {
            Result<?> r = result.getPrimaryResult();
            progress.printf(Locale.ROOT, "bench latency:        %.3f %s%n", r.getScore(), r.getScoreUnit());
            progress.flush();
        }
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        log.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration,
                                IterationResult data) {
        log.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        log.endRun(result);
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        log.println(s);
    }

    @Override
    public void flush() {
        log.flush();
        progress.flush();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
