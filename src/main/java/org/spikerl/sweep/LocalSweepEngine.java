package org.spikerl.sweep;

import java.util.ArrayList;
import java.util.List;
import org.spikerl.env.VectorEnv;
import org.spikerl.run.EnvSession;

/**
 * The engine of this jar: the missing rows on this machine, up to {@code parallelCells} at once,
 * the first on the driver's session and each other runner on a backend session of its own
 * ({@link CellRunners}).
 */
public final class LocalSweepEngine implements SweepEngine {
    @Override
    public String name() {
        return LOCAL;
    }

    @Override
    public void evaluate(SweepJob job) {
        SweepConfig config = job.config();
        int parallelCells = job.settings().parallelCells();
        int runners = Math.max(1, Math.min(parallelCells, job.missingCells().size()));
        job.provenance().put("parallel_cells", parallelCells);
        List<EnvSession> others = new ArrayList<>();
        CellRunners cells = null;
        try {
            List<VectorEnv> envs = new ArrayList<>(List.of(job.session().env()));
            for (int r = 1; r < runners; r++) {
                others.add(EnvSession.open(job.settings().backends(), config.env(),
                        Math.min(config.numEnvs(), config.episodes())));
                envs.add(others.get(others.size() - 1).env());
            }
            cells = new CellRunners(job, envs);
            cells.run();
        } catch (RuntimeException e) {
            job.failedRow(cells == null || cells.failedRow() < 0 ? 0 : cells.failedRow());
            throw e;
        } finally {
            for (EnvSession o : others) {
                o.close();
            }
        }
    }
}
