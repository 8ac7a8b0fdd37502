package org.spikerl.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.spy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.energy.OpCounts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikerl.SpikerlException;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.env.VectorEnv;
import org.spikerl.testing.CountingController;
import org.spikerl.testing.FiveStepEnv;

/**
 * The episode loop against a deterministic fake: seeding (SPEC 8), returns and lengths, the
 * independence from the number of slots, controller resets, merged counts, and failures.
 */
class EpisodeRunnerTest {

    /**
     * A forwarding listener that overrides nothing is the listener it wraps: every hook reaches it,
     * with its arguments, and its answers come back. Run through a real loop, with a wrapped listener
     * that limits the slots and stops after the first episode.
     */
    @Test
    void aForwardingListenerPassesEveryHookOn() {
        List<String> calls = new ArrayList<>();
        EpisodeRunner.Listener inner = new EpisodeRunner.Listener() {
            @Override
            public void stepped(int environmentSteps) {
                calls.add("stepped " + environmentSteps);
            }

            @Override
            public void episodeDone(Episode episode) {
                calls.add("done " + episode.index());
            }

            @Override
            public void episodeCounted(Episode episode, OpCounts counts) {
                calls.add("counted " + episode.index());
            }

            @Override
            public void observed(int episode, long seed, int step, double[] observation) {
                calls.add("observed " + episode + " " + seed + " " + step);
            }

            @Override
            public boolean stop() {
                return calls.contains("done 0");
            }

            @Override
            public int maxSlots() {
                return 1;
            }
        };
        EpisodeRunner.Listener forwarding = new EpisodeRunner.ForwardingListener(inner) {
        };
        FiveStepEnv env = new FiveStepEnv(4);
        EpisodeRunner.Result r = EpisodeRunner.run(env, new CountingController(new ArrayList<>(), 2), 10, 0,
                forwarding);
        assertEquals(List.of(0L), env.resetSeeds, "one slot (maxSlots), stopped after episode 0 (stop)");
        assertEquals(1, r.episodes().size());
        // Seed 0 lasts 3 steps: acted on at steps 0, 1, 2, each step one slot.
        assertEquals(List.of("observed 0 0 0", "stepped 1", "observed 0 0 1", "stepped 1", "observed 0 0 2",
                "counted 0", "done 0", "stepped 1"), calls);
    }

    /** The return the fake implies: sum over steps t = 0..L-1 of 1 + 0.5 t + 0.01 seed. */
    private static double expectedReturn(long seed) {
        int len = FiveStepEnv.length(seed);
        double r = 0;
        for (int t = 0; t < len; t++) {
            r += 1 + 0.5 * t + 0.01 * seed;
        }
        return r;
    }

    private static CountingController controller(List<CountingController> copies) {
        return new CountingController(copies, 2);
    }

    @Test
    void fakeFormulaByHand() {
        // Checks the test's own arithmetic: seed 3 terminates at step 3, seed 4 is truncated at 5.
        assertEquals(3 + 0.5 * 3 + 0.09, expectedReturn(3), 1e-12);
        assertEquals(5 + 0.5 * 10 + 0.2, expectedReturn(4), 1e-12);
    }

    @Test
    void episodeIUsesSeedSPlusIAndReturnsWhatTheFakeImplies() {
        FiveStepEnv env = new FiveStepEnv(3);
        List<CountingController> copies = new ArrayList<>();
        EpisodeRunner.Result r = EpisodeRunner.run(env, controller(copies), 7, 40, EpisodeRunner.Listener.NONE);

        assertEquals(7, r.episodes().size());
        long steps = 0;
        for (int i = 0; i < 7; i++) {
            Episode e = r.episodes().get(i);
            assertEquals(i, e.index());
            assertEquals(40 + i, e.seed());
            assertEquals(FiveStepEnv.length(40 + i), e.length(), "episode " + i);
            assertEquals(expectedReturn(40 + i), e.ret(), 1e-12, "episode " + i);
            steps += e.length();
        }
        List<Long> seeds = new ArrayList<>(env.resetSeeds);
        seeds.sort(null);
        assertEquals(List.of(40L, 41L, 42L, 43L, 44L, 45L, 46L), seeds, "each seed reset exactly once");
        assertEquals(steps, r.environmentSteps());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 10})
    void resultsDoNotDependOnTheNumberOfSlots(int slots) {
        for (int episodes : new int[] {1, 4, 11}) {
            EpisodeRunner.Result one = EpisodeRunner.run(new FiveStepEnv(1), controller(new ArrayList<>()),
                    episodes, 5, EpisodeRunner.Listener.NONE);
            EpisodeRunner.Result many = EpisodeRunner.run(new FiveStepEnv(slots), controller(new ArrayList<>()),
                    episodes, 5, EpisodeRunner.Listener.NONE);
            assertEquals(untimed(one.episodes()), untimed(many.episodes()), episodes + " episodes on " + slots + " slots");
            assertEquals(one.environmentSteps(), many.environmentSteps());
            assertEquals(one.counts().macs(), many.counts().macs());
        }
    }

    @Test
    void fewerEpisodesThanSlotsUsesOnlyAsManySlots() {
        FiveStepEnv env = new FiveStepEnv(10);
        List<CountingController> copies = new ArrayList<>();
        EpisodeRunner.Result r = EpisodeRunner.run(env, controller(copies), 4, 0, EpisodeRunner.Listener.NONE);
        assertEquals(4, copies.size(), "one controller per used slot");
        assertEquals(List.of(0L, 1L, 2L, 3L), env.resetSeeds);
        for (int k = 4; k < 10; k++) {
            assertEquals(0, env.stepOf[k], "slot " + k + " is never stepped");
        }
        assertEquals(4, r.episodes().size());
    }

    @Test
    void everyEpisodeStartResetsItsSlotsController() {
        List<CountingController> copies = new ArrayList<>();
        // 3 slots, 8 episodes: slots run several episodes each; CountingController fails on a missed reset.
        EpisodeRunner.run(new FiveStepEnv(3), controller(copies), 8, 0, EpisodeRunner.Listener.NONE);
        assertEquals(3, copies.size());
        assertEquals(8, copies.stream().mapToInt(c -> c.resets).sum());
        assertTrue(copies.stream().allMatch(c -> c.resets >= 2), "each slot started more than one episode");
    }

    @Test
    void countsOfAllSlotsAreMergedAndListenerSeesEverything() {
        List<CountingController> copies = new ArrayList<>();
        List<Episode> told = new ArrayList<>();
        long[] stepped = {0};
        EpisodeRunner.Listener listener = new EpisodeRunner.Listener() {
            @Override
            public void stepped(int environmentSteps) {
                stepped[0] += environmentSteps;
            }

            @Override
            public void episodeDone(Episode episode) {
                told.add(episode);
            }
        };
        CountingController prototype = controller(copies);
        EpisodeRunner.Result r = EpisodeRunner.run(new FiveStepEnv(3), prototype, 6, 0, listener);
        long steps = r.episodes().stream().mapToInt(Episode::length).sum();
        assertEquals(steps, r.counts().controlSteps());
        assertEquals((long) (CountingController.MACS_PER_ACT * steps), r.counts().macs());
        assertEquals(0, prototype.counts().controlSteps(), "the prototype itself is not run");
        assertEquals(steps, stepped[0]);
        List<Episode> sorted = new ArrayList<>(told);
        sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
        assertEquals(r.episodes(), sorted);
    }

    private static EpisodeRunner.RunFailure failure(VectorEnv env, Controller c, int episodes) {
        return assertThrows(EpisodeRunner.RunFailure.class,
                () -> EpisodeRunner.run(env, c, episodes, 0, EpisodeRunner.Listener.NONE));
    }

    @Test
    void nanObservationNamesEpisodeAndStepAndKeepsFinishedEpisodes() {
        FiveStepEnv env = new FiveStepEnv(1);
        env.nanSeed = 2;
        env.nanStep = 3;
        EpisodeRunner.RunFailure f = failure(env, controller(new ArrayList<>()), 5);
        assertEquals("fake-v0 episode 2 step 3: observation[1] is NaN, expected a finite number", f.getMessage());
        // Seed 0 ends early (terminated), seed 1 at the five-step limit (truncated).
        assertEquals(List.of(new Episode(0, 0, expectedReturn(0), 3, true, false, Double.NaN, 0, 0),
                new Episode(1, 1, expectedReturn(1), 5, false, true, Double.NaN, 0, 0)), untimed(f.completed()));
    }

    @Test
    void nanObservationOnSeveralSlotsKeepsEveryFinishedEpisodeInOrder() {
        // Three slots, seeds 0..: lengths 3,5,5,3,5,5,3. Batch call t: slot 0 runs seed 0 (t 1-3),
        // seed 3 (t 4-6), seed 6 (t 7-9); slot 1 seed 1 (t 1-5), seed 4 (t 6-); slot 2 seed 2 (t 1-5),
        // seed 5 (t 6-), which turns NaN at its step 4 (t 9), after seed 6 ended in the same batch.
        FiveStepEnv env = new FiveStepEnv(3);
        env.nanSeed = 5;
        env.nanStep = 4;
        EpisodeRunner.RunFailure f = failure(env, controller(new ArrayList<>()), 8);
        assertEquals("fake-v0 episode 5 step 4: observation[1] is NaN, expected a finite number", f.getMessage());
        assertEquals(List.of(0, 1, 2, 3, 6), f.completed().stream().map(Episode::index).toList());
        assertEquals(expectedReturn(6), f.completed().get(4).ret(), 1e-12);
    }

    @Test
    void nanObservationFromResetIsCaughtBeforeTheControllerSeesIt() {
        FiveStepEnv env = new FiveStepEnv(1);
        env.nanSeed = 1;
        env.nanStep = 0;
        EpisodeRunner.RunFailure f = failure(env, controller(new ArrayList<>()), 3);
        assertEquals("fake-v0 episode 1 reset (seed 1): observation[1] is NaN, expected a finite number",
                f.getMessage());
        assertEquals(List.of(0), f.completed().stream().map(Episode::index).toList());
    }

    @Test
    void nanRewardIsRefused() {
        FiveStepEnv env = new FiveStepEnv(2);
        env.nanRewardSeed = 1;
        EpisodeRunner.RunFailure f = failure(env, controller(new ArrayList<>()), 2);
        assertEquals("fake-v0 episode 1 step 1: reward is NaN, expected a finite number", f.getMessage());
    }

    @Test
    void controllerFailureNamesTheStepBeingComputed() {
        CountingController c = controller(new ArrayList<>());
        c.failSeed = 1;
        c.failStep = 4;
        EpisodeRunner.RunFailure f = failure(new FiveStepEnv(1), c, 3);
        assertEquals("fake-v0 episode 1 step 4: controller exploded", f.getMessage());
        assertEquals(List.of(0), f.completed().stream().map(Episode::index).toList());
    }

    @Test
    void envStepFailingOnTheKthCallNamesTheEpisodeInFlight() {
        // One slot; seed 0 takes step calls 1..3, seed 1 calls 4..8: call 6 is step 3 of episode 1.
        FiveStepEnv env = spy(new FiveStepEnv(1));
        int[] calls = {0};
        IllegalStateException boom = new IllegalStateException("connection lost");
        doAnswer(inv -> {
            if (++calls[0] == 6) {
                throw boom;
            }
            return inv.callRealMethod();
        }).when(env).step(any(), any(), any());
        EpisodeRunner.RunFailure f = failure(env, controller(new ArrayList<>()), 4);
        assertEquals("fake-v0 episode 1 (step 3): connection lost", f.getMessage());
        assertSame(boom, f.getCause());
        assertEquals(List.of(new Episode(0, 0, expectedReturn(0), 3, true, false, Double.NaN, 0, 0)),
                untimed(f.completed()));
    }

    @Test
    void envStepFailingWithSeveralSlotsNamesEveryEpisodeInFlight() {
        // Three slots; the 4th call: seed 0 ended at step 3 and its slot now runs seed 3 (step 1);
        // seeds 1 and 2 are at step 4.
        FiveStepEnv env = spy(new FiveStepEnv(3));
        int[] calls = {0};
        doAnswer(inv -> {
            if (++calls[0] == 4) {
                throw new IllegalStateException("bridge died");
            }
            return inv.callRealMethod();
        }).when(env).step(any(), any(), any());
        EpisodeRunner.RunFailure f = failure(env, controller(new ArrayList<>()), 6);
        assertEquals("fake-v0 episodes 3 (step 1), 1 (step 4), 2 (step 4): bridge died", f.getMessage());
        assertEquals(List.of(0), f.completed().stream().map(Episode::index).toList());
    }

    @Test
    void envResetFailingNamesTheEpisodeBeingReset() {
        FiveStepEnv env = spy(new FiveStepEnv(1));
        int[] calls = {0};
        doAnswer(inv -> {
            if (++calls[0] == 3) {
                throw new IllegalStateException("reset refused");
            }
            return inv.callRealMethod();
        }).when(env).reset(any(), any(), any());
        EpisodeRunner.RunFailure f = failure(env, controller(new ArrayList<>()), 5);
        assertEquals("fake-v0 episode 2 reset (seed 2): reset refused", f.getMessage());
        assertEquals(List.of(0, 1), f.completed().stream().map(Episode::index).toList());
    }

    @Test
    void actorOfTheWrongSizeIsRefusedBeforeAnyReset() {
        FiveStepEnv env = new FiveStepEnv(2);
        SpikerlException e = assertThrows(SpikerlException.class, () -> EpisodeRunner.run(env,
                new CountingController(new ArrayList<>(), 3), 2, 0, EpisodeRunner.Listener.NONE));
        assertFalse(e instanceof EpisodeRunner.RunFailure);
        assertEquals("actor takes 3 observations and gives 1 actions, but fake-v0 has observations of size 2"
                + " and actions of size 1", e.getMessage());
        assertTrue(env.resetSeeds.isEmpty(), "nothing was run");
    }

    @Test
    void zeroEpisodesIsRefused() {
        SpikerlException e = assertThrows(SpikerlException.class, () -> EpisodeRunner.run(new FiveStepEnv(1),
                controller(new ArrayList<>()), 0, 0, EpisodeRunner.Listener.NONE));
        assertEquals("episodes must be >= 1, got 0", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void observedHookSeesEveryActedOnObservationWithEpisodeSeedAndStep(int slots) {
        List<double[]> seen = new ArrayList<>();
        EpisodeRunner.Listener hook = new EpisodeRunner.Listener() {
            @Override
            public void observed(int episode, long seed, int step, double[] observation) {
                assertEquals(10 + episode, seed);
                // The fake's observation is [seed, step]: the hook's arguments must agree with it.
                assertEquals(seed, observation[0]);
                assertEquals(step, observation[1]);
                seen.add(observation.clone());
            }
        };
        EpisodeRunner.Result r = EpisodeRunner.run(new FiveStepEnv(slots), controller(new ArrayList<>()), 4, 10, hook);
        assertEquals(r.environmentSteps(), seen.size(), "one observation per step, the terminal ones not reported");
        for (int i = 0; i < 4; i++) {
            long seed = 10 + i;
            long count = seen.stream().filter(o -> o[0] == seed).count();
            assertEquals(FiveStepEnv.length(seed), count, "seed " + seed);
        }
    }

    @Test
    void stopEndsTheRunAfterTheBatchAndDropsRunningEpisodes() {
        FiveStepEnv env = new FiveStepEnv(2);
        long[] batches = {0};
        EpisodeRunner.Listener stopAfterFour = new EpisodeRunner.Listener() {
            @Override
            public void stepped(int environmentSteps) {
                batches[0]++;
            }

            @Override
            public boolean stop() {
                return batches[0] == 4;
            }
        };
        // Seeds 0 (3 steps) and 1 (5 steps) start together; after 4 batches seed 0 is done, seed 2
        // (from batch 4 on, 1 step in) and seed 1 (4 steps in) are dropped.
        EpisodeRunner.Result r = EpisodeRunner.run(env, controller(new ArrayList<>()), 100, 0, stopAfterFour);
        assertEquals(4, batches[0]);
        assertEquals(1, r.episodes().size());
        assertEquals(0, r.episodes().get(0).index());
        assertEquals(List.of(0L, 1L, 2L), env.resetSeeds);
        assertEquals(8, r.environmentSteps());
    }

    @Test
    void failureCarriesTheEpisodeAndStep() {
        FiveStepEnv env = new FiveStepEnv(2);
        env.nanSeed = 3;
        env.nanStep = 2;
        EpisodeRunner.RunFailure f = assertThrows(EpisodeRunner.RunFailure.class,
                () -> EpisodeRunner.run(env, controller(new ArrayList<>()), 6, 0, EpisodeRunner.Listener.NONE));
        assertEquals(3, f.episode());
        assertEquals(2, f.step());
    }

    /**
     * The five-step fake split into two slices, stepping a slice only at its endStep, and logging
     * begins, ends and the controllers' acts, so the order the loop uses is visible.
     */
    private static final class SlicedEnv extends FiveStepEnv {
        final List<String> log = new ArrayList<>();
        final int split;

        SlicedEnv(int size, int split) {
            super(size);
            this.split = split;
        }

        @Override
        public int slices() {
            return 2;
        }

        @Override
        public int sliceStart(int slice) {
            return slice == 0 ? 0 : split;
        }

        private final boolean[] inFlight = new boolean[2];

        @Override
        public void beginStep(int slice, boolean[] mask, double[] actions, org.spikerl.env.StepBatch out) {
            if (inFlight[slice]) {
                throw new IllegalStateException("slice " + slice + " begun twice");
            }
            inFlight[slice] = true;
            log.add("begin " + slice);
        }

        /** The contract: a reset touches only slots whose slice is not in flight. */
        @Override
        public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
            for (int k = 0; k < size; k++) {
                if (mask[k] && inFlight[k < split ? 0 : 1]) {
                    throw new IllegalStateException("slot " + k + " reset while its slice steps");
                }
            }
            log.add("reset");
            super.reset(mask, seeds, obsOut);
        }

        @Override
        public void endStep(int slice, boolean[] mask, org.spikerl.env.StepBatch out) {
            if (!inFlight[slice]) {
                throw new IllegalStateException("slice " + slice + " ended but not begun");
            }
            inFlight[slice] = false;
            log.add("end " + slice);
            boolean[] part = new boolean[size];
            for (int k = sliceStart(slice); k < (slice == 0 ? split : size); k++) {
                part[k] = mask[k];
            }
            step(part, pending, out);
        }

        /** The actions of the batch in flight, as the test's controllers wrote them when they acted. */
        double[] pending;
    }

    @Test
    void slicesActOneWhileTheOtherStepsWithTheSameEpisodes() {
        SlicedEnv env = new SlicedEnv(4, 2);
        List<CountingController> copies = new ArrayList<>();
        env.pending = new double[4];
        CountingController prototype = new CountingController(copies, 2) {
            @Override
            public org.spikerl.control.Controller copy() {
                CountingController c = new CountingController(copies, 2) {
                    @Override
                    public void act(double[] observation, double[] actionOut) {
                        super.act(observation, actionOut);
                        env.log.add("act");
                        // The slot of this observation: the fake's seeds are 0.. and a slot keeps its
                        // seed's episode, so find it by seed.
                        for (int k = 0; k < 4; k++) {
                            if (env.seedOf[k] == observation[0] && !env.ended[k]) {
                                env.pending[k] = actionOut[0];
                            }
                        }
                    }
                };
                copies.add(c);
                return c;
            }
        };
        EpisodeRunner.Result sliced = EpisodeRunner.run(env, prototype, 9, 0, EpisodeRunner.Listener.NONE);
        EpisodeRunner.Result plain = EpisodeRunner.run(new FiveStepEnv(4), controller(new ArrayList<>()), 9, 0,
                EpisodeRunner.Listener.NONE);
        assertEquals(untimed(plain.episodes()), untimed(sliced.episodes()), "same episodes as one slice");
        // First round: each slice's slots are reset, act and begin; then slice 0's results are taken
        // and its next step begun while slice 1 still steps.
        assertEquals(List.of("reset", "act", "act", "begin 0", "reset", "act", "act", "begin 1", "end 0", "act",
                "act", "begin 0", "end 1"), env.log.subList(0, 13));
        // Episodes end at steps 3 and 5 (seeds 3, 6, ... terminate early), so slots are reset mid-run,
        // each while the other slice steps (the fake refuses a reset of a slot in flight).
        assertTrue(env.log.stream().filter("reset"::equals).count() > 2, env.log.toString());
    }

    @Test
    void aFailureWhileActingEndsTheSlicesAlreadyBegun() {
        SlicedEnv env = new SlicedEnv(4, 2);
        env.pending = new double[4];
        List<CountingController> copies = new ArrayList<>();
        CountingController prototype = new CountingController(copies, 2) {
            @Override
            public org.spikerl.control.Controller copy() {
                CountingController c = new CountingController(copies, 2);
                c.failSeed = 3; // seed 3 starts in slot 3 (slice 1); its first act throws
                c.failStep = 1;
                copies.add(c);
                return c;
            }
        };
        assertThrows(EpisodeRunner.RunFailure.class,
                () -> EpisodeRunner.run(env, prototype, 4, 0, EpisodeRunner.Listener.NONE));
        assertEquals(List.of("reset", "begin 0", "reset", "end 0"), env.log,
                "slice 0 was begun, so it is ended before the failure");
    }

    private static List<Episode> untimed(List<Episode> episodes) {
        return episodes.stream().map(Episode::untimed).toList();
    }

    /** 3 SOPs and 2 spikes per control step: per-episode counts are easy to work out by hand. */
    private static final class SpikingCounter implements Controller {
        private final OpCounts counts = new OpCounts(new int[] {4});

        @Override public int observationSize() { return 2; }
        @Override public int actionSize() { return 1; }
        @Override public void reset() { }
        @Override public void act(double[] observation, double[] actionOut) {
            actionOut[0] = 0;
            counts.addControlStep(0, 3, 0, 1);
            counts.addSpikes(0, 2);
        }
        @Override public OpCounts counts() { return counts; }
        @Override public Controller copy() { return new SpikingCounter(); }
        @Override public String kind() { return "snn"; }
    }

    /**
     * Per episode: how it ended as the fake says (seeds 3, 6, 9, ... terminate at step 3, the others
     * are truncated at 5), its own SOPs and spikes (3 and 2 per step, whichever slot ran it before),
     * and a wall time.
     */
    @Test
    void episodesCarryHowTheyEndedTheirCountsAndTheirTime() {
        EpisodeRunner.Result r = EpisodeRunner.run(new FiveStepEnv(3), new SpikingCounter(), 8, 0,
                EpisodeRunner.Listener.NONE);
        long sops = 0;
        for (Episode e : r.episodes()) {
            assertEquals(e.length() == 3, e.terminated(), "episode " + e.index());
            assertEquals(e.length() == 5, e.truncated(), "episode " + e.index());
            assertEquals(3L * e.length(), e.sops(), "episode " + e.index());
            assertEquals(2L * e.length(), e.spikes(), "episode " + e.index());
            assertTrue(e.seconds() >= 0 && Double.isFinite(e.seconds()), "episode " + e.index());
            sops += e.sops();
        }
        assertEquals(r.counts().sops(), sops, "the episodes' SOPs add up to the run's");
        assertEquals(2L * r.environmentSteps(), r.counts().spikes());
    }
    /** {@code sopsPerStep} SOPs per control step: which controller ran an episode shows in its SOPs. */
    private static final class Tagged implements Controller {
        private final int sopsPerStep;
        private final OpCounts counts = new OpCounts(new int[] {4});
        private int resets;

        Tagged(int sopsPerStep) {
            this.sopsPerStep = sopsPerStep;
        }

        @Override public int observationSize() { return 2; }
        @Override public int actionSize() { return 1; }
        @Override public void reset() { resets++; }
        @Override public void act(double[] observation, double[] actionOut) {
            actionOut[0] = 0;
            counts.addControlStep(0, sopsPerStep, 0, 1);
        }
        @Override public OpCounts counts() { return counts; }
        @Override public Controller copy() { return new Tagged(sopsPerStep); }
        @Override public String kind() { return "snn"; }
    }

    /**
     * Episodes of several controllers sharing the slots (the tuner's round: episode j is candidate
     * j / 3 on seed 100 + j % 3): each episode is run by its own candidate's copy (its SOPs say
     * which), reset with its own seed, and gives what the candidate's own run of those seeds gives.
     */
    @Test
    void episodesOfSeveralControllersShareTheSlotsAndGiveWhatEachGivesAlone() {
        Tagged[] candidates = {new Tagged(1), new Tagged(10), new Tagged(100), new Tagged(1000)};
        int each = 3;
        List<Episode> perEpisode = new ArrayList<>();
        long[] countedSops = new long[candidates.length];
        EpisodeRunner.Result mixed = EpisodeRunner.run(new FiveStepEnv(5), j -> candidates[j / each],
                candidates.length * each, j -> j, j -> 100L + j % each, new EpisodeRunner.Listener() {
                    @Override
                    public void episodeCounted(Episode e, OpCounts c) {
                        countedSops[e.index() / each] += c.sops();
                    }
                });
        assertEquals(candidates.length * each, mixed.episodes().size());
        long total = 0;
        for (int c = 0; c < candidates.length; c++) {
            EpisodeRunner.Result alone = EpisodeRunner.run(new FiveStepEnv(2), candidates[c], each, 100,
                    EpisodeRunner.Listener.NONE);
            List<Episode> mine = mixed.episodes().subList(c * each, (c + 1) * each);
            for (int i = 0; i < each; i++) {
                Episode m = mine.get(i);
                Episode a = alone.episodes().get(i);
                assertEquals(100L + i, m.seed(), "candidate " + c + " episode " + i);
                assertEquals(a.ret(), m.ret(), "candidate " + c + " episode " + i);
                assertEquals(a.length(), m.length(), "candidate " + c + " episode " + i);
                assertEquals((long) candidates[c].sopsPerStep * m.length(), m.sops(),
                        "candidate " + c + " episode " + i + " was run by its own candidate");
            }
            assertEquals(alone.counts().sops(), countedSops[c], "candidate " + c + "'s counts");
            assertEquals(0, candidates[c].resets, "prototypes are copied, never run");
            total += alone.counts().sops();
        }
        assertEquals(total, mixed.counts().sops(), "the run's counts include the controllers slots moved on from");
    }
    /**
     * Fewer episodes than slots on a sliced env: the slots used are spread over the slices (slots
     * 0, 1 of slice 0 and 4 of slice 1 for 3 episodes on slices [0, 4) and [4, 6)), so both
     * processes step; the episodes are those of a one-slice run.
     */
    @Test
    void fewerEpisodesThanSlotsAreSpreadOverTheSlices() {
        SlicedEnv sliced = new SlicedEnv(6, 4);
        sliced.pending = new double[6];
        assertEquals(List.of(0, 1, 4), java.util.Arrays.stream(EpisodeRunner.spread(sliced, 3)).boxed().toList());
        assertEquals(List.of(0, 1, 2, 3, 4, 5), java.util.Arrays.stream(EpisodeRunner.spread(sliced, 6)).boxed().toList());
        assertEquals(List.of(0, 1), java.util.Arrays.stream(EpisodeRunner.spread(new FiveStepEnv(6), 2)).boxed().toList());
        EpisodeRunner.Result r = EpisodeRunner.run(sliced, controller(new ArrayList<>()), 3, 7, EpisodeRunner.Listener.NONE);
        EpisodeRunner.Result plain = EpisodeRunner.run(new FiveStepEnv(6), controller(new ArrayList<>()), 3, 7,
                EpisodeRunner.Listener.NONE);
        // (This fake steps a slice with the actions in `pending`, zeros here, so returns differ from
        // the plain run's; which episode ran, on which seed and how it ended, do not.)
        assertEquals(plain.episodes().stream().map(e -> e.index() + "/" + e.seed() + "/" + e.length() + "/"
                + e.terminated()).toList(), r.episodes().stream().map(e -> e.index() + "/" + e.seed() + "/"
                + e.length() + "/" + e.terminated()).toList());
        assertTrue(sliced.stepOf[4] > 0, "slot 4, of the second slice, stepped");
        assertEquals(0, sliced.stepOf[2], "slot 2 unused");
        assertEquals(List.of(7L, 8L, 9L), sliced.resetSeeds, "episodes 0, 1, 2 in slots 0, 1, 4");
    }
}
