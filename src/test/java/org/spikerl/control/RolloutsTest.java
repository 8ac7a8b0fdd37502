package org.spikerl.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikerl.SpikerlException;
import org.spikerl.testing.CountingController;
import org.spikerl.testing.FiveStepEnv;

/**
 * Calibration rollouts against the five-step fake: the observations are those the controller
 * acted on in episodes 0, 1, 2, ... (seed + i), concatenated in episode order and cut at the
 * requested count, whatever the number of slots.
 */
class RolloutsTest {

    /**
     * What the fake implies: episode i (seed s = seed + i, length L(s)) is acted on at
     * {@code [s, 0], [s, 1], ..., [s, L(s) - 1]}; the observation after the last step ends the
     * episode and is never acted on.
     */
    private static double[][] expected(long seed, int steps) {
        List<double[]> out = new ArrayList<>();
        for (long s = seed; out.size() < steps; s++) {
            for (int t = 0; t < FiveStepEnv.length(s) && out.size() < steps; t++) {
                out.add(new double[] {s, t});
            }
        }
        return out.toArray(double[][]::new);
    }

    private static double[][] rollouts(int slots, int steps, long seed, List<CountingController> copies) {
        return Rollouts.observations(new FiveStepEnv(slots), new CountingController(copies, 2), steps, seed);
    }

    @Test
    void expectationByHand() {
        // Checks the test's own arithmetic: seed 6 lasts 3 steps, seed 7 lasts 5.
        assertArrayEquals(new double[][] {{6, 0}, {6, 1}, {6, 2}, {7, 0}, {7, 1}}, expected(6, 5));
    }

    @Test
    void exactlyStepsObservationsOfEpisodesInSeedOrder() {
        // Seeds 10.. have lengths 5, 5, 3 (12), 5, 5, 3 (15): 21 observations end inside seed 14.
        double[][] obs = rollouts(1, 21, 10, new ArrayList<>());
        assertEquals(21, obs.length);
        assertArrayEquals(expected(10, 21), obs);
        assertArrayEquals(new double[] {10, 0}, obs[0], "episode 0 is reset with the seed itself");
        assertArrayEquals(new double[] {14, 2}, obs[20], "seed 14 cut after its third observation");
    }

    @Test
    void lastEpisodeIsCutAtTheCount() {
        // Seed 0 lasts 3 steps, seed 1 five: 4 steps is all of episode 0 and the first of episode 1.
        assertArrayEquals(new double[][] {{0, 0}, {0, 1}, {0, 2}, {1, 0}}, rollouts(1, 4, 0, new ArrayList<>()));
        assertArrayEquals(new double[][] {{0, 0}}, rollouts(1, 1, 0, new ArrayList<>()));
        assertArrayEquals(expected(0, 3), rollouts(1, 3, 0, new ArrayList<>()), "an episode that ends at the count");
    }

    @Test
    void resultIsWhatTheControllerActedOnInEpisodeOrder() {
        List<CountingController> copies = new ArrayList<>();
        double[][] obs = rollouts(1, 13, 3, copies);
        assertEquals(1, copies.size());
        List<double[]> seen = copies.get(0).seen;
        assertTrue(seen.size() >= obs.length);
        for (int i = 0; i < obs.length; i++) {
            assertArrayEquals(seen.get(i), obs[i], "observation " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 8})
    void sameObservationsForAnyNumberOfSlots(int slots) {
        for (int steps : new int[] {1, 4, 7, 8, 13, 40, 101}) {
            double[][] one = rollouts(1, steps, 5, new ArrayList<>());
            double[][] many = rollouts(slots, steps, 5, new ArrayList<>());
            assertArrayEquals(one, many, steps + " steps on " + slots + " slots");
            assertArrayEquals(expected(5, steps), many);
        }
    }

    @Test
    void eachSlotsControllerIsResetAtEveryEpisodeStart() {
        // CountingController throws when an episode starts without a reset; here we also count them.
        List<CountingController> copies = new ArrayList<>();
        FiveStepEnv env = new FiveStepEnv(3);
        CountingController prototype = new CountingController(copies, 2);
        Rollouts.observations(env, prototype, 40, 0);
        assertEquals(3, copies.size(), "one copy per slot");
        assertEquals(0, prototype.resets, "the prototype itself is not run");
        assertEquals(env.resetSeeds.size(), copies.stream().mapToInt(c -> c.resets).sum(),
                "one controller reset per environment reset");
        assertTrue(copies.stream().allMatch(c -> c.resets >= 2), "each slot started more than one episode");
        List<Long> seeds = new ArrayList<>(env.resetSeeds);
        seeds.sort(null);
        for (int i = 0; i < seeds.size(); i++) {
            assertEquals(i, seeds.get(i), "seeds 0, 1, 2, ... each reset once");
        }
    }

    /**
     * 7 steps of the fake (time limit 5) need two episodes if none ends early, so two of the eight
     * slots run: seeds 0 and 1 start; seed 0 ends after 3 steps and its slot starts seed 2; the
     * count is reached at the 4th observation of seed 1. Eight slots at once would reset seeds 0..7.
     */
    @Test
    void runsOnlyAsManyEpisodesAtOnceAsTheStepsNeed() {
        FiveStepEnv env = new FiveStepEnv(8);
        double[][] obs = Rollouts.observations(env, new CountingController(new ArrayList<>(), 2), 7, 0);
        assertArrayEquals(expected(0, 7), obs);
        assertEquals(List.of(0L, 1L, 2L), env.resetSeeds);

        FiveStepEnv wide = new FiveStepEnv(8);
        Rollouts.observations(wide, new CountingController(new ArrayList<>(), 2), 40, 0);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), wide.resetSeeds.subList(0, 8),
                "40 steps need 8 episodes of 5: all eight slots start together");
    }

    @Test
    void fewerThanOneStepIsRefused() {
        for (int steps : new int[] {0, -5}) {
            SpikerlException e = assertThrows(SpikerlException.class,
                    () -> rollouts(2, steps, 0, new ArrayList<>()));
            assertEquals("calibration steps must be >= 1, got " + steps, e.getMessage());
        }
    }

    @Test
    void actorOfTheWrongSizeIsRefusedBeforeAnyReset() {
        FiveStepEnv env = new FiveStepEnv(2);
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> Rollouts.observations(env, new CountingController(new ArrayList<>(), 3), 10, 0));
        assertEquals("calibration rollouts: actor takes 3 observations and gives 1 actions, but fake-v0 has"
                + " observations of size 2 and actions of size 1", e.getMessage());
        assertTrue(env.resetSeeds.isEmpty(), "nothing was run");
    }

    @Test
    void nonFiniteObservationNamesTheCalibrationEpisodeAndStep() {
        FiveStepEnv env = new FiveStepEnv(2);
        env.nanSeed = 101;
        env.nanStep = 4;
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> Rollouts.observations(env, new CountingController(new ArrayList<>(), 2), 30, 100));
        assertEquals("fake-v0 calibration episode 1 (seed 101) step 4: observation[1] is NaN, expected a finite"
                + " number", e.getMessage());

        FiveStepEnv atReset = new FiveStepEnv(1);
        atReset.nanSeed = 1;
        atReset.nanStep = 0;
        e = assertThrows(SpikerlException.class,
                () -> Rollouts.observations(atReset, new CountingController(new ArrayList<>(), 2), 30, 0));
        assertEquals("fake-v0 calibration episode 1 (seed 1) reset: observation[1] is NaN, expected a finite"
                + " number", e.getMessage());
    }
}
