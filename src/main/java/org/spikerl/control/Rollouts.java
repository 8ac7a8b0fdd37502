package org.spikerl.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.env.StepBatch;
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
 * observation that ends an episode is never acted on).
 *
 * <p>A non-finite observation would poison every threshold computed from the set, so it ends the
 * rollouts with a one-line error naming the calibration episode and step.
 */
public final class Rollouts {
    private Rollouts() {
    }

    public static double[][] observations(VectorEnv env, Controller prototype, int steps, long seed) {
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
        int k = env.size();
        Controller[] controllers = new Controller[k];
        List<List<double[]>> current = new ArrayList<>(k);
        int[] episodeOf = new int[k];
        boolean[] active = new boolean[k];
        boolean[] resetMask = new boolean[k];
        long[] seeds = new long[k];
        double[] flatObs = new double[k * obsSize];
        double[] flatAct = new double[k * actSize];
        double[] act = new double[actSize];
        StepBatch batch = new StepBatch(k, obsSize);
        Map<Integer, List<double[]>> finished = new HashMap<>();
        // Episodes 0..complete-1 have all finished and hold completeSteps observations; episode
        // `complete` is running in some slot (episodes start in index order). Kept up to date as
        // episodes end, so the stopping test costs O(slots), not O(episodes), per step.
        int complete = 0;
        long completeSteps = 0;
        int next = 0;
        for (int s = 0; s < k; s++) {
            controllers[s] = prototype.copy();
            current.add(new ArrayList<>());
            episodeOf[s] = next++;
            seeds[s] = seed + episodeOf[s];
            active[s] = true;
            resetMask[s] = true;
        }
        env.reset(resetMask, seeds, flatObs);
        for (int s = 0; s < k; s++) {
            controllers[s].reset();
            resetMask[s] = false;
        }
        while (completeSteps + currentOf(current, episodeOf, complete).size() < steps) {
            StopRequest.check();
            for (int s = 0; s < k; s++) {
                double[] o = new double[obsSize];
                System.arraycopy(flatObs, s * obsSize, o, 0, obsSize);
                checkFinite(env, o, episodeOf[s], seeds[s], current.get(s).size());
                current.get(s).add(o);
                controllers[s].act(o, act);
                System.arraycopy(act, 0, flatAct, s * actSize, actSize);
            }
            env.step(active, flatAct, batch);
            System.arraycopy(batch.observations, 0, flatObs, 0, flatObs.length);
            boolean anyReset = false;
            for (int s = 0; s < k; s++) {
                if (batch.terminated[s] || batch.truncated[s]) {
                    finished.put(episodeOf[s], current.get(s));
                    current.set(s, new ArrayList<>());
                    episodeOf[s] = next++;
                    seeds[s] = seed + episodeOf[s];
                    resetMask[s] = true;
                    anyReset = true;
                }
            }
            while (finished.containsKey(complete)) {
                completeSteps += finished.get(complete).size();
                complete++;
            }
            if (anyReset) {
                env.reset(resetMask, seeds, flatObs);
                for (int s = 0; s < k; s++) {
                    if (resetMask[s]) {
                        controllers[s].reset();
                        resetMask[s] = false;
                    }
                }
            }
        }
        double[][] out = new double[steps][];
        int n = 0;
        for (int e = 0; n < steps; e++) {
            List<double[]> ep = e < complete ? finished.get(e) : currentOf(current, episodeOf, e);
            for (int i = 0; i < ep.size() && n < steps; i++) {
                out[n++] = ep.get(i);
            }
        }
        return out;
    }

    /** The observations so far of a running episode. */
    private static List<double[]> currentOf(List<List<double[]>> current, int[] episodeOf, int episode) {
        for (int s = 0; s < episodeOf.length; s++) {
            if (episodeOf[s] == episode) {
                return current.get(s);
            }
        }
        throw new IllegalStateException("calibration episode " + episode + " is neither finished nor running");
    }

    /** Step 0 is the observation from reset, step n the one after the episode's n-th env.step. */
    private static void checkFinite(VectorEnv env, double[] o, int episode, long seed, int step) {
        for (int i = 0; i < o.length; i++) {
            if (!Double.isFinite(o[i])) {
                throw new SpikerlException(env.spec().id() + " calibration episode " + episode + " (seed " + seed
                        + ") " + (step == 0 ? "reset" : "step " + step) + ": observation[" + i + "] is " + o[i]
                        + ", expected a finite number");
            }
        }
    }
}
