package org.spikerl.sweep;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.spikerl.actor.Actor;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.control.StopRequest;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.ThresholdCache;
import org.spikerl.env.VectorEnv;
import org.spikerl.results.format.SweepLog;
import org.spikerl.run.SnnOptions;
import org.spikerl.sweep.Sweep.Row;

/**
 * Evaluates a sweep's missing rows on one or more cell runners at once, each with its own vector
 * env (its own backend session: a bridge is used by one thread only). First row 0 (the ANN) and
 * the calibration rollouts, side by side when there are two runners; then the grid's cells, each
 * runner taking the lowest row nobody has taken (the order of a single runner). Calibration and
 * thresholds are computed once and shared (they are deterministic), every cell runs its episodes
 * from resets with their own seeds, and rows are merged by index ({@link SweepJournal}, which
 * writes each row the moment it is done): the results are those of one runner going through the
 * rows one after the other, whatever the number of runners and the order rows finish in.
 *
 * <p>When a row fails, no runner takes another; the other runners' episode loops stop at their
 * next step, and the first failure is rethrown with {@link #failedRow()} naming its row.
 */
final class CellRunners {
    /** The pseudo-row of the calibration rollouts in the first phase. */
    private static final int CALIBRATION = -1;

    private final SweepJob job;
    private final SweepConfig config;
    private final Actor actor;
    private final List<VectorEnv> envs;
    private final SweepJournal journal;
    private final PrintWriter log;
    private final Map<String, Object> provenance;

    private volatile Throwable failure;
    private volatile int failedRow = -1;
    private volatile Row ann;
    private volatile SnnOptions.Recorded calibration;
    private volatile ThresholdCache thresholds;

    /** Stops an episode loop at its next step once some runner failed. */
    private final EpisodeRunner.Listener cancel = new EpisodeRunner.Listener() {
        @Override
        public void stepped(int environmentSteps) {
            if (failure != null) {
                throw new Cancelled();
            }
        }
    };

    /** A runner's loop stopped because another runner failed (never reported). */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("stopped: another cell runner failed", null, false, false);
        }
    }

    /** @param envs one vector env per runner, each used by that runner's thread only */
    CellRunners(SweepJob job, List<VectorEnv> envs) {
        if (envs.isEmpty()) {
            throw new IllegalArgumentException("no cell runner");
        }
        this.job = job;
        this.config = job.config();
        this.actor = job.actor();
        this.envs = List.copyOf(envs);
        this.journal = job.journal();
        this.log = job.log();
        this.provenance = job.provenance();
    }

    /** The rows of the grid (1..G) the journal does not have yet, ascending. */
    static List<Integer> missingCells(SweepJournal journal, int gridSize) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 1; i <= gridSize; i++) {
            if (journal.get(i) == null) {
                rows.add(i);
            }
        }
        return rows;
    }

    /** The row whose failure {@link #run()} rethrew (0: the ANN), or -1. */
    int failedRow() {
        return failedRow;
    }

    /** Evaluates every missing row; the journal then holds all of them. */
    void run() {
        List<Integer> cells = missingCells(journal, config.grid().size());
        ann = journal.get(0);
        List<Integer> first = new ArrayList<>();
        if (ann == null) {
            first.add(0);
        }
        if (!cells.isEmpty()) {
            first.add(CALIBRATION);
        }
        pool(first, (row, env) -> {
            if (row == 0) {
                Row r = SweepCells.ann(actor, env, config.episodes(), config.seed(), cancel);
                job.record(0, r);
                ann = r;
            } else {
                calibration = config.calibration().record(actor, env);
                thresholds = new ThresholdCache(calibration.set());
            }
        }, cells.isEmpty() ? 0 : cells.get(0));
        if (!first.contains(0)) {
            log.printf(java.util.Locale.ROOT, "ANN: %s%n", SweepLog.returns(ann.run()));
            log.flush();
        }
        if (cells.isEmpty()) {
            return;
        }
        provenance.put("calibration_rollout_s", calibration.rolloutSeconds());
        pool(cells, this::cell, -1);
    }

    /** One grid row on {@code env}: build (or tune) its network, run its episodes, record it. */
    private void cell(int index, VectorEnv env) {
        StopRequest.check();
        ConversionConfig c = config.grid().get(index - 1);
        Row row;
        if (config.tuned().isEmpty()) {
            float[][] theta;
            synchronized (thresholds) {
                theta = thresholds.get(c);
            }
            row = SweepCells.cell(c, calibration.set(), theta, env, config.episodes(), config.seed(), cancel);
        } else {
            row = SweepCells.tuned(c, config.tuned(), config.tuneBudget(), calibration.set(),
                    calibration.observations(), env, config.episodes(), config.seed(), log, cancel);
        }
        job.record(index, row);
    }

    /**
     * Runs {@code task} for every row of {@code rows} on up to one thread per env, each row on the
     * env of the runner that took it; the calling thread is the only runner when there is one.
     * {@code calibrationRow}: the row to name when the calibration fails.
     */
    private void pool(List<Integer> rows, BiConsumer<Integer, VectorEnv> task, int calibrationRow) {
        AtomicInteger next = new AtomicInteger();
        int n = Math.min(envs.size(), rows.size());
        if (n == 1) {
            work(rows, next, task, envs.get(0), calibrationRow);
        } else if (n > 1) {
            List<Thread> threads = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                VectorEnv env = envs.get(r);
                Thread t = new Thread(() -> work(rows, next, task, env, calibrationRow), "spikerl-cell-runner-" + r);
                threads.add(t);
                t.start();
            }
            // Every runner is waited for (its env is closed after this): an interrupt of this thread
            // only makes them stop at their next step.
            boolean interrupted = false;
            for (Thread t : threads) {
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                        fail(e, 0);
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Throwable f = failure;
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    private void work(List<Integer> rows, AtomicInteger next, BiConsumer<Integer, VectorEnv> task, VectorEnv env,
                      int calibrationRow) {
        while (failure == null) {
            int k = next.getAndIncrement();
            if (k >= rows.size()) {
                return;
            }
            int row = rows.get(k);
            try {
                task.accept(row, env);
            } catch (Cancelled e) {
                return;
            } catch (Throwable e) {
                fail(e, row == CALIBRATION ? calibrationRow : row);
                return;
            }
        }
    }

    private synchronized void fail(Throwable e, int row) {
        if (failure == null) {
            failedRow = row;
            failure = e;
        }
    }
}
