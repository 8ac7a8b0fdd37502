package org.spikerl.control;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;
import java.util.function.IntUnaryOperator;
import org.spikerl.SpikerlException;
import org.spikerl.energy.OpCounts;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;

/**
 * The closed-loop episode loop shared by the ANN and the SNN controllers (SPEC section 8).
 *
 * <p>Episode i of a run with seed S is reset with seed {@code S + i}. Up to {@code env.size()}
 * episodes run at once, one per slot, each with its own copy of the controller, so one bridge
 * call advances them all; when an episode ends its slot takes the next episode index. Results do
 * not depend on the number of slots: slots are independent environments and controllers.
 * Return is the undiscounted sum of rewards until terminated or truncated.
 *
 * <p>A non-finite observation (from reset or step) or reward ends the run: nothing sensible can
 * follow from it. Any failure in the loop becomes a {@link RunFailure} whose one-line message
 * names the environment, the episode and its step (step n is the n-th {@code env.step} of the
 * episode; the reset is named as such) and which carries the episodes finished before it.
 */
public final class EpisodeRunner {

    /**
     * One finished episode.
     *
     * @param terminated the environment ended it (e.g. the robot fell); as Gymnasium reports it
     * @param truncated the time limit ended it; as Gymnasium reports it (both can be true)
     * @param seconds wall time from the observation of its reset to its last step (bridge calls shared with
     *        the other slots included)
     * @param sops synaptic operations its controller counted (0 for an ANN)
     * @param spikes hidden-layer spikes its controller counted (0 for an ANN)
     */
    public record Episode(int index, long seed, double ret, int length, boolean terminated, boolean truncated,
                          double seconds, long sops, long spikes) {
        /** An episode known only by its return and length (tests, and results written before these fields). */
        public Episode(int index, long seed, double ret, int length) {
            this(index, seed, ret, length, false, false, Double.NaN, 0, 0);
        }

        /** This episode without its wall time (NaN): what two runs of the same episode agree on. */
        public Episode untimed() {
            return new Episode(index, seed, ret, length, terminated, truncated, Double.NaN, sops, spikes);
        }
    }

    /**
     * Told about progress and asked whether to go on; called on the loop's thread. The hooks of
     * one loop serve every caller: evaluation (progress), calibration rollouts (the states visited,
     * and a stop once enough were seen) and the latency benchmark's recording.
     */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void stepped(int environmentSteps) {
        }

        default void episodeDone(Episode episode) {
        }

        /**
         * Right before {@link #episodeDone}: everything the episode's controller counted during it
         * (a fresh object, the listener may keep it). Summed over a run's episodes these are the
         * run's {@link Result#counts()}, so a run's energy can be rebuilt from its episodes.
         */
        default void episodeCounted(Episode episode, OpCounts counts) {
        }

        /**
         * The observation the controller of episode {@code episode} (seed {@code seed}) acts on next,
         * at its step {@code step} (0: the observation from reset); the observation that ends an
         * episode is never acted on and not reported. {@code observation} is reused by the loop:
         * copy it to keep it.
         */
        default void observed(int episode, long seed, int step, double[] observation) {
        }

        /**
         * Asked after every batch step: true ends the run there. Episodes still running are dropped
         * (not in the result).
         */
        default boolean stop() {
            return false;
        }

        /**
         * At most this many slots run episodes at once (asked once, before the first reset; at least
         * one is used): a run that knows how many episodes it needs, such as a recording of the first
         * steps in episode order, need not step more at a time. An episode gives what it gives on any
         * slot, so this changes no episode, only how many run together.
         */
        default int maxSlots() {
            return Integer.MAX_VALUE;
        }
    }

    /**
     * A {@link Listener} that passes every call on to {@code next}: the base of listeners that add
     * to one (a progress bar, a journal), which override what they add and call {@code super}, so
     * that a hook added to {@link Listener} reaches the listener they wrap.
     */
    public abstract static class ForwardingListener implements Listener {
        protected final Listener next;

        protected ForwardingListener(Listener next) {
            this.next = java.util.Objects.requireNonNull(next, "next");
        }

        @Override
        public void stepped(int environmentSteps) {
            next.stepped(environmentSteps);
        }

        @Override
        public void episodeDone(Episode episode) {
            next.episodeDone(episode);
        }

        @Override
        public void episodeCounted(Episode episode, OpCounts counts) {
            next.episodeCounted(episode, counts);
        }

        @Override
        public void observed(int episode, long seed, int step, double[] observation) {
            next.observed(episode, seed, step, observation);
        }

        @Override
        public boolean stop() {
            return next.stop();
        }

        @Override
        public int maxSlots() {
            return next.maxSlots();
        }
    }

    /**
     * What a run produced. {@code counts} merges every slot's controller counters.
     * {@code seconds} covers the loop only (first reset to last step), not start-up; of it,
     * {@code actSeconds} went into the controllers and {@code envSeconds} into environment calls
     * (bridge round trips and the simulation).
     */
    public record Result(List<Episode> episodes, OpCounts counts, long environmentSteps, double seconds,
                         double actSeconds, double envSeconds) {
        public double stepsPerSecond() {
            return seconds > 0 ? environmentSteps / seconds : 0;
        }
    }

    /** Thrown when the loop fails part-way; carries the episodes finished before the failure. */
    public static final class RunFailure extends SpikerlException {
        private static final long serialVersionUID = 1L;
        private final transient List<Episode> completed;
        private final int episode;
        private final int step;

        RunFailure(String message, Throwable cause, List<Episode> completed, int episode, int step) {
            super(message, cause);
            this.completed = List.copyOf(completed);
            this.episode = episode;
            this.step = step;
        }

        public List<Episode> completed() {
            return completed;
        }

        /** The episode that failed, or -1 when a batch call failed for several. */
        public int episode() {
            return episode;
        }

        /** The step of {@link #episode()} that failed (0: its reset). */
        public int step() {
            return step;
        }
    }

    private EpisodeRunner() {
    }

    public static Result run(VectorEnv env, Controller prototype, int episodes, long seed, Listener listener) {
        return run(env, prototype, episodes, i -> i, seed, listener);
    }

    /**
     * Runs {@code episodes} episodes whose indices are {@code indexOf(0), indexOf(1), ...} (in that
     * order of start; ascending, e.g. the episodes a stopped run has not finished): episode i is
     * still reset with seed {@code seed + i}, so each gives what it gives in a run of all of them.
     */
    public static Result run(VectorEnv env, Controller prototype, int episodes, IntUnaryOperator indexOf, long seed,
                             Listener listener) {
        return run(env, i -> prototype, episodes, indexOf, i -> seed + i, listener);
    }

    /**
     * The general loop: episode {@code i} (indices {@code indexOf(0), indexOf(1), ...} in order of
     * start) is reset with seed {@code seedOf(i)} and run by a copy of {@code prototypeOf(i)}. Episodes
     * of different controllers share the slots, so that, e.g., the tuner's candidates of one round
     * step together instead of one candidate at a time. A slot copies a prototype when its next
     * episode has another one (by identity) than its last; a controller is reset at each episode
     * start, so an episode gives what it gives alone. {@link Result#counts()} then merges every
     * controller's counters; {@link Listener#episodeCounted} gives each episode's own.
     */
    public static Result run(VectorEnv env, IntFunction<Controller> prototypeOf, int episodes, IntUnaryOperator indexOf,
                             IntToLongFunction seedOf, Listener listener) {
        if (episodes < 1) {
            throw new SpikerlException("episodes must be >= 1, got " + episodes);
        }
        return new Loop(env, prototypeOf, episodes, indexOf, seedOf, listener).run();
    }

    /**
     * One run of the loop: its state in fields, its work in small methods (a slice's results, its
     * resets, its actions), so that the JIT compiles each on its own rather than one large method
     * with the controllers inlined, again for every on-stack replacement.
     */
    private static final class Loop {
        private final VectorEnv env;
        private final IntFunction<Controller> prototypeOf;
        private final int episodes;
        private final IntUnaryOperator indexOf;
        private final IntToLongFunction seedOf;
        private final Listener listener;
        private final int obsSize;
        private final int actSize;
        private final int n;
        private final int slices;
        private final int[] from;
        private final int[] to;
        private final int[] used;
        private final Controller[] controllers;
        private final Controller[] prototypes;
        private final List<Controller> retired = new ArrayList<>();
        private final double[][] obs;
        private final double[][] act;
        private final int[] episodeOf;
        private final double[] ret;
        private final int[] len;
        private final boolean[] active;
        private final boolean[] resetMask;
        /** The slots of the reset call being made (one slice's), for the call and its failure message. */
        private final boolean[] resetting;
        private final long[] seeds;
        // Per slot, when its episode started and its controller's counters then: per-episode numbers.
        private final long[] startNanos;
        private final long[] sopsAtStart;
        private final long[] spikesAtStart;
        private final OpCounts[] countsAtStart;
        private final double[] flatObs;
        private final double[] flatAct;
        private final StepBatch batch;
        private final List<Episode> done;
        /**
         * Slices begun and not yet ended: ended when a failure strikes, so that the env's channels
         * are left in step for the next run.
         */
        private final boolean[] inFlight;
        private int flying;
        private int next;
        private int running;
        private long steps;
        private long actNanos;
        private long envNanos;
        // Where a failure happened, for its message: the slot being worked on (-1 during a batch
        // call) and the step of its episode (0 = the observation from reset).
        private int slot = -1;
        private int slotStep;

        Loop(VectorEnv env, IntFunction<Controller> prototypeOf, int episodes, IntUnaryOperator indexOf,
             IntToLongFunction seedOf, Listener listener) {
            this.env = env;
            this.prototypeOf = prototypeOf;
            this.episodes = episodes;
            this.indexOf = indexOf;
            this.seedOf = seedOf;
            this.listener = listener;
            this.obsSize = env.spec().observationSpace().size();
            this.actSize = env.spec().actionSpace().size();
            this.n = env.size();
            this.slices = env.slices();
            int[][] bounds = sliceBounds(env);
            this.from = bounds[0];
            this.to = bounds[1];
            // With fewer episodes than slots, the slots used are spread over the slices (so over the
            // processes that step them), in ascending order; a slot's episode does not depend on it.
            int k = Math.max(1, Math.min(Math.min(n, episodes), listener.maxSlots()));
            this.used = spread(from, to, n, k);
            this.running = k;
            this.controllers = new Controller[n];
            this.prototypes = new Controller[n];
            this.obs = new double[n][obsSize];
            this.act = new double[n][actSize];
            this.episodeOf = new int[n];
            this.ret = new double[n];
            this.len = new int[n];
            this.active = new boolean[n];
            this.resetMask = new boolean[n];
            this.resetting = new boolean[n];
            this.seeds = new long[n];
            this.startNanos = new long[n];
            this.sopsAtStart = new long[n];
            this.spikesAtStart = new long[n];
            this.countsAtStart = new OpCounts[n];
            this.flatObs = new double[n * obsSize];
            this.flatAct = new double[n * actSize];
            this.batch = new StepBatch(n, obsSize);
            this.done = new ArrayList<>(Math.min(episodes, 1 << 16));
            this.inFlight = new boolean[slices];
        }

        Result run() {
            for (int s : used) {
                episodeOf[s] = indexOf.applyAsInt(next++);
                assign(s, prototypeOf.apply(episodeOf[s]), controllers, prototypes, retired, env);
                active[s] = true;
                resetMask[s] = true;
                seeds[s] = seedOf.applyAsLong(episodeOf[s]);
            }
            long start = System.nanoTime();
            try {
                boolean stopping = false;
                boolean anyStep = false;
                // Slice after slice, round after round: a slice's results are taken, its ended episodes'
                // slots reset, its actions computed and its next step begun while the other slices
                // step, so no process waits for the slowest slice. Results, resets and episode starts
                // happen in the order of one whole-batch loop: slot order within a round.
                for (int sl = 0; ; sl = (sl + 1) % slices) {
                    if (inFlight[sl]) {
                        endSlice(sl);
                        anyStep = true;
                    }
                    if (sl == 0 && !stopping) {
                        // A round ends here: the listener may end the run after it (the slices still in
                        // flight finish their round first), as a signal may.
                        StopRequest.check();
                        stopping = anyStep && listener.stop();
                    }
                    if (!stopping && running > 0) {
                        resetSlice(sl);
                        actSlice(sl);
                    }
                    if (flying == 0 && (stopping || running == 0)) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                throw failure(e);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            done.sort((a, b) -> Integer.compare(a.index(), b.index()));
            OpCounts counts = controllers[used[0]].counts().emptyCopy();
            for (Controller c : controllers) {
                if (c != null) {
                    counts.add(c.counts());
                }
            }
            for (Controller c : retired) {
                counts.add(c.counts());
            }
            return new Result(List.copyOf(done), counts, steps, seconds, actNanos / 1e9, envNanos / 1e9);
        }

        /** Takes slice {@code sl}'s step results: returns, ended episodes, their slots' next episodes. */
        private void endSlice(int sl) {
            long t = System.nanoTime();
            inFlight[sl] = false;
            flying--;
            env.endStep(sl, active, batch);
            envNanos += System.nanoTime() - t;
            int stepped = 0;
            for (int s = from[sl]; s < to[sl]; s++) {
                if (!active[s]) {
                    continue;
                }
                slot = s;
                stepped++;
                len[s]++;
                slotStep = len[s];
                if (!Double.isFinite(batch.rewards[s])) {
                    throw new SpikerlException("reward is " + batch.rewards[s] + ", expected a finite number");
                }
                ret[s] += batch.rewards[s];
                System.arraycopy(batch.observations, s * obsSize, obs[s], 0, obsSize);
                checkFinite(obs[s]);
                if (batch.terminated[s] || batch.truncated[s]) {
                    episodeEnded(s);
                }
            }
            slot = -1;
            steps += stepped;
            listener.stepped(stepped);
        }

        /** Slot {@code s}'s episode ended at this step: reported, and the slot given the next episode, if any. */
        private void episodeEnded(int s) {
            OpCounts c = controllers[s].counts();
            Episode e = new Episode(episodeOf[s], seeds[s], ret[s], len[s], batch.terminated[s], batch.truncated[s],
                    (System.nanoTime() - startNanos[s]) / 1e9, c.sops() - sopsAtStart[s],
                    c.spikes() - spikesAtStart[s]);
            done.add(e);
            listener.episodeCounted(e, c.since(countsAtStart[s]));
            listener.episodeDone(e);
            ret[s] = 0;
            len[s] = 0;
            if (next < episodes) {
                episodeOf[s] = indexOf.applyAsInt(next++);
                seeds[s] = seedOf.applyAsLong(episodeOf[s]);
                assign(s, prototypeOf.apply(episodeOf[s]), controllers, prototypes, retired, env);
                resetMask[s] = true;
            } else {
                active[s] = false;
                running--;
            }
        }

        /**
         * Resets slice {@code sl}'s slots that wait for it, in one call: only this slice's, the others
         * are reset when their slice comes (at the start every slot waits for a reset, each in its
         * slice's turn).
         */
        private void resetSlice(int sl) {
            boolean anyReset = false;
            for (int s = from[sl]; s < to[sl]; s++) {
                resetting[s] = resetMask[s];
                anyReset |= resetMask[s];
            }
            if (!anyReset) {
                return;
            }
            long t = System.nanoTime();
            env.reset(resetting, seeds, flatObs);
            envNanos += System.nanoTime() - t;
            java.util.Arrays.fill(resetting, from[sl], to[sl], false);
            for (slot = from[sl]; slot < to[sl]; slot++) {
                if (resetMask[slot]) {
                    slotStep = 0;
                    System.arraycopy(flatObs, slot * obsSize, obs[slot], 0, obsSize);
                    checkFinite(obs[slot]);
                    controllers[slot].reset();
                    resetMask[slot] = false;
                    startNanos[slot] = System.nanoTime();
                    sopsAtStart[slot] = controllers[slot].counts().sops();
                    spikesAtStart[slot] = controllers[slot].counts().spikes();
                    countsAtStart[slot] = controllers[slot].counts().copy();
                }
            }
            slot = -1;
        }

        /** Slice {@code sl}'s actions, and its next step begun. */
        private void actSlice(int sl) {
            long a0 = System.nanoTime();
            boolean any = false;
            for (slot = from[sl]; slot < to[sl]; slot++) {
                if (active[slot]) {
                    any = true;
                    slotStep = len[slot] + 1;
                    listener.observed(episodeOf[slot], seeds[slot], len[slot], obs[slot]);
                    controllers[slot].act(obs[slot], act[slot]);
                    System.arraycopy(act[slot], 0, flatAct, slot * actSize, actSize);
                }
            }
            slot = -1;
            long a1 = System.nanoTime();
            actNanos += a1 - a0;
            if (any) {
                env.beginStep(sl, active, flatAct, batch);
                inFlight[sl] = true;
                flying++;
                envNanos += System.nanoTime() - a1;
            }
        }

        /** The failure of the run as a {@link RunFailure}, after ending every slice still in flight. */
        private RunFailure failure(RuntimeException e) {
            for (int sl = 0; sl < slices; sl++) {
                if (inFlight[sl]) {
                    try {
                        env.endStep(sl, active, batch);
                    } catch (RuntimeException ignored) {
                        // The first failure is the one reported.
                    }
                }
            }
            String where = slot >= 0 ? at(episodeOf[slot], seeds[slot], slotStep)
                    : inFlight(active, resetting, episodeOf, seeds, len, n);
            done.sort((a, b) -> Integer.compare(a.index(), b.index()));
            return new RunFailure(env.spec().id() + where + ": " + e.getMessage(), e, done,
                    slot >= 0 ? episodeOf[slot] : -1, slot >= 0 ? slotStep : 0);
        }
    }

    /**
     * Slot {@code s}'s controller for its next episode: its current one if that is a copy of
     * {@code prototype}, else a new copy (the old one's counters are kept in {@code retired}).
     */
    private static void assign(int s, Controller prototype, Controller[] controllers, Controller[] prototypes,
                               List<Controller> retired, VectorEnv env) {
        if (prototypes[s] == prototype) {
            return;
        }
        int obsSize = env.spec().observationSpace().size();
        int actSize = env.spec().actionSpace().size();
        if (prototype.observationSize() != obsSize || prototype.actionSize() != actSize) {
            throw new SpikerlException("actor takes " + prototype.observationSize() + " observations and gives "
                    + prototype.actionSize() + " actions, but " + env.spec().id() + " has observations of size "
                    + obsSize + " and actions of size " + actSize);
        }
        if (controllers[s] != null) {
            retired.add(controllers[s]);
        }
        controllers[s] = prototype.copy();
        prototypes[s] = prototype;
    }

    /**
     * The {@code k} slots a run of fewer episodes than slots uses, ascending: the first slot of
     * every slice, then the second of every slice, and so on, so that the processes share the
     * episodes (all slots when {@code k} is the env's size; the first {@code k} with one slice).
     */
    static int[] spread(VectorEnv env, int k) {
        int[][] bounds = sliceBounds(env);
        return spread(bounds[0], bounds[1], env.size(), k);
    }

    /** {@code {from, to}}: slice {@code sl} holds slots {@code [from[sl], to[sl])}. */
    private static int[][] sliceBounds(VectorEnv env) {
        int slices = env.slices();
        int[] from = new int[slices];
        int[] to = new int[slices];
        for (int sl = 0; sl < slices; sl++) {
            from[sl] = env.sliceStart(sl);
            to[sl] = sl + 1 < slices ? env.sliceStart(sl + 1) : env.size();
        }
        return new int[][] {from, to};
    }

    /** {@link #spread(VectorEnv, int)} over slices {@code [from[sl], to[sl])} of {@code n} slots. */
    private static int[] spread(int[] from, int[] to, int n, int k) {
        boolean[] take = new boolean[n];
        int taken = 0;
        for (int i = 0; taken < k; i++) {
            for (int sl = 0; sl < from.length && taken < k; sl++) {
                int slot = from[sl] + i;
                if (slot < to[sl]) {
                    take[slot] = true;
                    taken++;
                }
            }
        }
        int[] out = new int[k];
        int m = 0;
        for (int s = 0; s < n; s++) {
            if (take[s]) {
                out[m++] = s;
            }
        }
        return out;
    }

    /** " episode 3 step 17", or " episode 3 reset (seed 3)" for step 0. */
    private static String at(int episode, long seed, int step) {
        return step == 0 ? " episode " + episode + " reset (seed " + seed + ")"
                : " episode " + episode + " step " + step;
    }

    /**
     * Names the episodes a failed batch call was advancing: the slots being reset when a reset
     * failed (" episode 4 reset (seed 4)"), else the active slots at the step being taken
     * (" episodes 3 (step 17), 5 (step 2)").
     */
    private static String inFlight(boolean[] active, boolean[] resetting, int[] episodeOf, long[] seeds, int[] len,
                                   int k) {
        boolean inReset = false;
        for (int s = 0; s < k; s++) {
            inReset |= resetting[s];
        }
        StringBuilder b = new StringBuilder();
        int named = 0;
        for (int s = 0; s < k; s++) {
            if (inReset ? resetting[s] : active[s]) {
                b.append(named++ == 0 ? "" : ", ").append(episodeOf[s])
                        .append(inReset ? " reset (seed " + seeds[s] + ")" : " (step " + (len[s] + 1) + ")");
            }
        }
        return (named == 1 ? " episode " : " episodes ") + b;
    }

    private static void checkFinite(double[] o) {
        for (int i = 0; i < o.length; i++) {
            if (!Double.isFinite(o[i])) {
                throw new SpikerlException("observation[" + i + "] is " + o[i] + ", expected a finite number");
            }
        }
    }
}
