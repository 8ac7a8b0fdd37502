package org.spikerl.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.spikerl.SpikerlException;
import org.spikerl.env.VectorEnv;

/**
 * Closed-loop data collection: the observations a controller visits, for threshold calibration
 * (SPEC section 4: "observations visited by the ANN actor in closed loop").
 *
 * <p>Episode i is reset with seed {@code seed + i}; the result is the first {@code steps}
 * observations of episodes 0, 1, 2, ... concatenated in episode order (each episode's
 * observations in time order, the last one cut where the count is reached). So the set does not
 * depend on how many environments run in parallel. An episode's observations are the ones the
 * controller acted on: from the reset observation to the one before the last step (the
 * observation that ends an episode is never acted on). The episodes run in {@link EpisodeRunner}
 * (the one episode loop), which reports every observation acted on and stops once the first
 * {@code steps} are known. At most {@code ceil(steps / time limit)} of them run at once (no cap
 * without a time limit), and at least one per slice of the env (so every worker process has one):
 * as many as the recording needs if none ends early (on a larger env the other slots would step
 * episodes whose observations are cut off); the next starts on the slot of one that ended.
 *
 * <p>A non-finite observation would poison every threshold computed from the set, so it ends the
 * rollouts with a one-line error naming the calibration episode and step.
 */
public final class Rollouts {
    private Rollouts() {
    }

    /** The recorded observations and how many episodes they come from (episodes 0..episodes-1). */
    public record Recorded(double[][] observations, int episodes) {
    }

    public static double[][] observations(VectorEnv env, Controller prototype, int steps, long seed) {
        return record(env, prototype, steps, seed).observations();
    }

    /** As {@link #observations}, with the number of episodes the observations come from. */
    public static Recorded record(VectorEnv env, Controller prototype, int steps, long seed) {
        if (steps < 1) {
            throw new SpikerlException("calibration steps must be >= 1, got " + steps);
        }
        int obsSize = env.spec().observationSpace().size();
        int actSize = env.spec().actionSpace().size();
        if (prototype.observationSize() != obsSize || prototype.actionSize() != actSize) {
            throw new SpikerlException("calibration rollouts: actor takes " + prototype.observationSize()
                    + " observations and gives " + prototype.actionSize() + " actions, but " + env.spec().id()
                    + " has observations of size " + obsSize + " and actions of size " + actSize);
        }
        int episodeSteps = env.spec().maxEpisodeSteps();
        int needed = episodeSteps > 0 ? (int) Math.min(Integer.MAX_VALUE, ((long) steps + episodeSteps - 1) / episodeSteps)
                : Integer.MAX_VALUE;
        Collector collector = new Collector(steps, Math.max(needed, env.slices()));
        try {
            EpisodeRunner.run(env, prototype, Integer.MAX_VALUE, seed, collector);
        } catch (EpisodeRunner.RunFailure f) {
            if (f.episode() < 0 || f.getCause() == null) {
                throw f;
            }
            throw new SpikerlException(env.spec().id() + " calibration episode " + f.episode() + " (seed "
                    + (seed + f.episode()) + ") " + (f.step() == 0 ? "reset" : "step " + f.step()) + ": "
                    + f.getCause().getMessage(), f);
        }
        return collector.result();
    }

    /**
     * Keeps every episode's observations until the first {@code steps} in episode order are known.
     * Episodes 0..complete-1 have all finished and hold completeSteps observations; episode
     * {@code complete} is running (episodes start in index order). Kept up to date as episodes
     * end, so the stopping test costs O(1) per batch.
     */
    private static final class Collector implements EpisodeRunner.Listener {
        private final int steps;
        private final Map<Integer, List<double[]>> byEpisode = new HashMap<>();
        private final Set<Integer> finished = new HashSet<>();
        private int complete;
        private long completeSteps;

        /** At most this many episodes run at once (see the class Javadoc). */
        private final int slots;

        Collector(int steps, int slots) {
            this.steps = steps;
            this.slots = slots;
        }

        @Override
        public int maxSlots() {
            return slots;
        }

        @Override
        public void observed(int episode, long seed, int step, double[] observation) {
            byEpisode.computeIfAbsent(episode, e -> new ArrayList<>()).add(observation.clone());
        }

        @Override
        public void episodeDone(EpisodeRunner.Episode episode) {
            finished.add(episode.index());
            while (finished.contains(complete)) {
                completeSteps += byEpisode.get(complete).size();
                complete++;
            }
        }

        @Override
        public boolean stop() {
            return completeSteps + byEpisode.getOrDefault(complete, List.of()).size() >= steps;
        }

        Recorded result() {
            double[][] out = new double[steps][];
            int n = 0;
            int e = 0;
            for (; n < steps; e++) {
                List<double[]> ep = byEpisode.get(e);
                for (int i = 0; i < ep.size() && n < steps; i++) {
                    out[n++] = ep.get(i);
                }
            }
            return new Recorded(out, e);
        }
    }
}
