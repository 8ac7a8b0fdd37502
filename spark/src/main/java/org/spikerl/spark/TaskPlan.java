package org.spikerl.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;
import org.spikerl.actor.io.FileDigest;
import org.spikerl.sweep.SweepConfig;

/**
 * What every task of one sweep shares, sent to each executor once (a Spark broadcast): the env,
 * the episodes and seeds, the actor file's bytes and SHA-256, the calibration observations the
 * driver recorded, and the driver's actions on the first of them, so that an executor can prove
 * its actor is the driver's before it converts anything.
 *
 * @param policy the actor file's path on the driver (used on the executor when it is there with the same SHA-256)
 * @param normalization the config's observation statistics file on the driver, or null (then what
 *     the actor carries or has beside it, as on the driver), with its SHA-256 and bytes
 * @param python the driver's Python interpreter; the same path is expected on every worker (envs/bootstrap.sh)
 * @param script the driver's bridge script, the same path expected on every worker
 * @param workersPerTask Python processes (stepping threads) per task
 * @param tuned the axes the tuner chooses per row (empty: none), with its budget {@code tuneBudget}
 * @param failFirstAttemptOfRow test hook: the first attempt of the task holding this row fails (-1: none)
 */
record TaskPlan(String envId, int slots, int episodes, long seed, String policy, String policySha256,
                byte[] actorBytes, String normalization, String normalizationSha256, byte[] normalizationBytes,
                double[][] observations, double[][] probeActions, String python, String script,
                int workersPerTask, Set<SweepConfig.TunedAxis> tuned, int tuneBudget, int failFirstAttemptOfRow)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Calibration observations whose actions are compared. */
    static final int PROBES = 16;

    /** The driver's actions for the first {@link #PROBES} observations. */
    static double[][] probe(Actor actor, double[][] observations) {
        Forward f = new Forward(actor);
        double[][] out = new double[Math.min(PROBES, observations.length)][actor.actionSize()];
        for (int i = 0; i < out.length; i++) {
            f.act(observations[i], out[i]);
        }
        return out;
    }

    /** Refuses an actor whose actions differ from the driver's on the probe observations. */
    void checkSameActor(Actor actor, String executor) {
        double[][] mine = probe(actor, observations);
        for (int i = 0; i < mine.length; i++) {
            if (!Arrays.equals(mine[i], probeActions[i])) {
                throw new SpikerlException("executor " + executor + ": the actor " + policy + " gives other actions"
                        + " than on the driver (calibration observation " + i + "); check its observation"
                        + " normalisation file on the worker");
            }
        }
    }

    /**
     * The actor file to load on this executor: the driver's path when it holds the same bytes,
     * else a copy of the broadcast bytes under the same file name in {@code scratch}.
     */
    Path actorFile(Path scratch) {
        return here(policy, policySha256, actorBytes, scratch.resolve("actor"));
    }

    /** The normalisation file to use on this executor (null: none given), found or copied as {@link #actorFile}. */
    Path normalizationFile(Path scratch) {
        return normalization == null ? null
                : here(normalization, normalizationSha256, normalizationBytes, scratch.resolve("normalization"));
    }

    private static Path here(String driverPath, String sha256, byte[] bytes, Path folder) {
        Path local = Path.of(driverPath);
        if (Files.isRegularFile(local) && FileDigest.sha256(local).equals(sha256)) {
            return local;
        }
        try {
            Files.createDirectories(folder);
            return Files.write(folder.resolve(local.getFileName().toString()), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + local.getFileName() + " into " + folder, e);
        }
    }
}
