package org.spikerl.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.control.Rollouts;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.convert.Delay;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.energy.EnergyReport;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.snn.SnnController;
import org.spikerl.testing.LoopEnv;

/**
 * The tuner on a 2-8-8-1 synthetic actor in {@link LoopEnv} (continuous episodes: 20 steps for the
 * calibration recordings, 1000 for tuning, so that a calibration step costs 1 / 1000 episode), with
 * calibration states recorded from the ANN on seeds 100000+.
 */
class TunerTest {
    private static final Actor ACTOR = SyntheticActors.random(5, 2, 8, 8, 1);
    private static final ConversionConfig BASE = ConversionConfig.forTimesteps(4);
    private static final int R = TuneSettings.REPLAYS_PER_EPISODE;
    /** The tuning env's time limit: what an evaluation episode, and so a calibration step's share, is measured by. */
    private static final int EPISODE_STEPS = 1000;

    private static double[][] calibration(int n) {
        return Rollouts.observations(new LoopEnv(2, 20, 0), new AnnController(ACTOR), n, 100_000);
    }

    private static final double[][] OBS600 = calibration(600);
    private static final CalibrationSet SET600 = CalibrationSet.observe(ACTOR, OBS600);

    /** IF, max:neuron, delays {0, 1}, alphas {0, 1}, calibration {none, bias}, 2 finalists, no energy cap in practice. */
    private static TuneSettings small(int budget) {
        return new TuneSettings(budget, 1000, 1e9, List.of(NeuronPlan.IF), List.of(ThresholdMethod.DEFAULT),
                List.of(new Delay.Fixed(0), new Delay.Fixed(1)), List.of(0.0, 1.0), 2,
                List.of(BiasCalibration.NONE, BiasCalibration.BIAS), List.of());
    }

    private record Run(Tuner.Result result, LoopEnv env, String log) {
    }

    private static Run tune(CalibrationSet set, double[][] obs, TuneSettings s) {
        LoopEnv env = new LoopEnv(3, EPISODE_STEPS, 0);
        StringWriter w = new StringWriter();
        Tuner.Result r = Tuner.tune(set, obs, BASE, s, env, new PrintWriter(w));
        return new Run(r, env, w.toString());
    }

    private static Run tune(TuneSettings s) {
        return tune(SET600, OBS600, s);
    }

    /**
     * Cost by hand for {@link #small}(10) on 600 states: the calibration rollouts cost 600 / 1000 = .6
     * episodes, 9.4 are left. 4 candidates (2 delays x 2 alphas); the proxy replay is the last 500 states
     * (600 < SAMPLES + 500); bias calibration replays min(600, SAMPLES) = 600 states per hidden layer (2).
     * Offline: 4 * 500 + 2 finalists * (600 * 2 + 500) = 2000 + 3400 = 5400 replayed steps = .675
     * episodes. Closed loop: 2 finalists, one round (ceil(log2 2) = 1), each floor((9.4 - .675) / 2) = 4
     * episodes: 8. Cost .6 + .675 + 8 = 9.275.
     */
    @Test
    void costByHandForASmallSearch() {
        Run run = tune(small(10));
        Tuner.Result r = run.result();
        assertEquals(6, r.candidates().size(), "4 plain and 2 bias-calibrated");
        assertEquals(5400, r.replayedSteps());
        assertEquals(8, r.closedLoopEpisodes());
        assertEquals(0.6, r.calibrationEpisodes(), 1e-12);
        assertEquals(9.275, r.costEpisodes(), 1e-12);
        assertEquals(r.closedLoopEpisodes(), run.env().resetSeeds.size(), "one reset per closed-loop episode");
        assertEquals(List.of(4, 4), r.candidates().stream().filter(c -> !c.tuningReturns().isEmpty())
                .map(c -> c.tuningReturns().size()).toList());
        assertEquals(2, r.candidates().stream().filter(c -> c.config().calibration() == BiasCalibration.BIAS).count());
    }

    /** The log says when no candidate keeps the energy cap, and by how much the cap was raised. */
    @Test
    void theLogSaysWhenNoCandidateKeepsTheEnergyCap() {
        Run over = tune(TuneSettings.DEFAULTS.withBudget(12));
        double cheapest = over.result().candidates().stream()
                .filter(c -> c.config().calibration() == BiasCalibration.NONE)
                .mapToDouble(Tuner.Candidate::proxyEnergyRatio).min().orElseThrow();
        assertTrue(cheapest > TuneSettings.DEFAULTS.maxEnergyRatio(), "every candidate of this actor is above the cap");
        assertTrue(over.log().contains(String.format(java.util.Locale.ROOT, "tune: note: no candidate is within the "
                + "energy cap 0.25 at T = %d (the cheapest costs %.3f of the ANN's energy on the replayed states); "
                + "the offline ranking sends on the best within %.3f", BASE.timesteps(), cheapest, 1.2 * cheapest)), over.log());
        Run under = tune(TuneSettings.DEFAULTS.withBudget(12).withMaxEnergyRatio(cheapest));
        assertFalse(under.log().contains("tune: note: no candidate"), under.log());
    }

    /**
     * The defaults cut nothing: 2500 calibration states cost 2.5 episodes, 47.5 are left; at T = 4
     * (fewer than 4 firing timesteps for mt:3@2 and mt:2@2, so no periodic plan) 10 plans x 2 methods x 3 delays
     * x 3 alphas = 180 candidates, each replayed on 500 states (90,000 steps, 11.25 episodes, within
     * a quarter of 47.5); 12 bias calibrations of 2000 states x 2 layers + 500 (54,000 steps, 6.75
     * episodes; together 18 < 23.75); 12 finalists, 4 rounds over the 29.5 episodes left: 12 x 1,
     * then floor(17.5 / (6 * 3)) = 0, so 1 for 6, floor(11.5 / (3 * 2)) = 1 for 3, floor(8.5 / 2) =
     * 4 for 2: 12 + 6 + 3 + 8 = 29. Cost 2.5 + 18 + 29 = 49.5.
     */
    @Test
    void defaultBudgetByHand() {
        double[][] obs = calibration(2500);
        Tuner.Result r = tune(CalibrationSet.observe(ACTOR, obs), obs, TuneSettings.DEFAULTS).result();
        assertEquals(180 + 12, r.candidates().size());
        assertEquals(144_000, r.replayedSteps());
        assertEquals(29, r.closedLoopEpisodes());
        assertEquals(49.5, r.costEpisodes(), 1e-12);
        List<Integer> episodes = r.candidates().stream().map(c -> c.tuningReturns().size()).filter(n -> n > 0)
                .sorted().toList();
        // 6 stop after round 1 (1 episode), 3 after round 2 (2), 1 after round 3 (3), 2 play round 4 (7).
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 7, 7), episodes);
    }

    /**
     * The defaults at T = 8, where mt:3@2 and mt:2@2 have 4 firing timesteps: 14 plans (4 uniform, 10
     * with a finer last layer, the periodic mt:3@2 and mt:2@2 only with one) x 2 methods x 3 alphas,
     * with delays 0, 1, 2, except the 4 periodic plans, which take the even delays 0 and 2 only:
     * 10 x 18 + 4 x 12 = 228 candidates; a quarter of the 380,000 replayed steps, 95,000, gives each
     * floor(95,000 / 228) = 416 states (94,848 steps); 12 bias calibrations of 2000 states x 2 layers
     * + 416 (52,992 steps); 147,840 steps = 18.48 episodes. 12 finalists, 4 rounds over the 29.02
     * episodes left: 12 x 1, then floor(17.02 / (6 * 3)) = 0, so 1 for 6, floor(11.02 / (3 * 2)) = 1
     * for 3, floor(8.02 / 2) = 4 for 2: 12 + 6 + 3 + 8 = 29. Cost 2.5 + 18.48 + 29 = 49.98.
     */
    @Test
    void defaultBudgetByHandAtEightTimesteps() {
        double[][] obs = calibration(2500);
        Tuner.Result r = Tuner.tune(CalibrationSet.observe(ACTOR, obs), obs, BASE.withTimesteps(8),
                TuneSettings.DEFAULTS, new LoopEnv(3, EPISODE_STEPS, 0), new PrintWriter(new StringWriter()));
        assertEquals(228 + 12, r.candidates().size());
        assertEquals(147_840, r.replayedSteps());
        assertEquals(29, r.closedLoopEpisodes());
        assertEquals(49.98, r.costEpisodes(), 1e-12);
        List<Integer> periodicDelays = r.candidates().stream().filter(c -> c.config().neuron().period() == 2)
                .map(Tuner.Candidate::delayT0).distinct().sorted().toList();
        assertEquals(List.of(0, 2), periodicDelays, "a periodic plan reads out whole firing periods only");
        assertEquals(List.of(0, 1, 2), r.candidates().stream().filter(c -> c.config().neuron().period() == 1)
                .map(Tuner.Candidate::delayT0).distinct().sorted().toList());
    }

    /**
     * The offline ranking replays the candidates that differ only in their delay together
     * ({@code SnnController#actAtDelays}); every plain candidate's score is still, bit for bit, that of
     * its own network replayed alone on the proxy states (the 416 after the 2000 that bias
     * calibration uses, see above): action MSE against the ANN and horowitz45 energy ratio.
     */
    @Test
    void everyOfflineScoreIsThatOfItsOwnReplay() {
        double[][] obs = calibration(2500);
        CalibrationSet set = CalibrationSet.observe(ACTOR, obs);
        Tuner.Result r = Tuner.tune(set, obs, BASE.withTimesteps(8), TuneSettings.DEFAULTS,
                new LoopEnv(3, EPISODE_STEPS, 0), new PrintWriter(new StringWriter()));
        assertEquals(228, offlineScoresAreOwnReplays(r, set, obs, 2000, 2416));
        // An auto delay is replayed on its own (whatever t0 it resolves to), and so is a plan with
        // a single fixed delay: the same scores. 2 plans x 3 delays x 2 alphas, 500 states each.
        TuneSettings mixed = new TuneSettings(50, 1000, 1e9, List.of(NeuronPlan.IF, NeuronPlan.parse("mt:3@2")),
                List.of(ThresholdMethod.DEFAULT), List.of(Delay.AUTO, new Delay.Fixed(0), new Delay.Fixed(1)),
                List.of(0.0, 0.5), 2, List.of(BiasCalibration.NONE), List.of());
        Tuner.Result m = Tuner.tune(set, obs, BASE.withTimesteps(8), mixed, new LoopEnv(3, EPISODE_STEPS, 0),
                new PrintWriter(new StringWriter()));
        assertEquals(2 * 3 * 2 - 2, offlineScoresAreOwnReplays(m, set, obs, 2000, 2500), "mt:3@2 takes no t0 = 1");
    }

    /** Checks every plain candidate's offline score against its own replay on states [from, to); returns how many. */
    private static int offlineScoresAreOwnReplays(Tuner.Result r, CalibrationSet set, double[][] obs, int from, int to) {
        AnnController ann = new AnnController(ACTOR);
        int checked = 0;
        for (Tuner.Candidate c : r.candidates()) {
            if (c.config().calibration() != BiasCalibration.NONE) {
                continue;
            }
            SnnController snn = new SnnController(Converter.build(set, Converter.thresholds(set, c.config()),
                    c.config()));
            double[] a = new double[1];
            double[] ref = new double[1];
            double err = 0;
            for (int k = from; k < to; k++) {
                snn.act(obs[k], a);
                ann.act(obs[k], ref);
                err += (a[0] - ref[0]) * (a[0] - ref[0]);
            }
            String at = c.config().neuronLabel() + " " + c.config().method().spec() + " " + c.config().delay().spec()
                    + " t0=" + c.delayT0() + " alpha=" + c.config().alpha();
            assertEquals(err / (to - from), c.proxyError(), 0.0, at);
            assertEquals(EnergyReport.of(EnergyPreset.HOROWITZ45, snn.counts(), ACTOR.macs()).ratio(),
                    c.proxyEnergyRatio(), 0.0, at);
            checked++;
        }
        return checked;
    }

    /**
     * The calibration rollouts are the first part of a conversion's cost: 600 states in an env whose
     * episodes are at most 20 steps are 30 episodes; a budget of 30 leaves nothing and is refused in one
     * line, a budget of 40 leaves the tuner 10 (the same search as a budget of 10 with calibration free).
     */
    @Test
    void calibrationStepsAreChargedInEpisodesOfTheTimeLimit() {
        StringWriter w = new StringWriter();
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> Tuner.tune(SET600, OBS600, BASE, small(30), new LoopEnv(3, 20, 0), new PrintWriter(w)));
        assertEquals("tuner: a budget of 30 episodes is spent by the 600 calibration steps (30.00 episodes of up "
                + "to 20 steps); raise --tune-budget or lower --calibration-steps", e.getMessage());
        Tuner.Result r = Tuner.tune(SET600, OBS600, BASE, small(40), new LoopEnv(3, 20, 0), new PrintWriter(w));
        assertEquals(30.0, r.calibrationEpisodes(), 1e-12);
        // As costByHandForASmallSearch with 10 episodes left instead of 9.4: the same 5400 replays, then
        // floor((10 - .675) / 2) = 4 episodes for each of the 2 finalists.
        assertEquals(5400, r.replayedSteps());
        assertEquals(8, r.closedLoopEpisodes());
        assertEquals(38.675, r.costEpisodes(), 1e-12);
        assertEquals(30.0, r.toMap().get("calibration_cost_episodes"));
    }

    /** A budget too small to replay even one state per candidate is refused before any work. */
    @Test
    void budgetTooSmallToRankIsAnError() {
        List<Double> alphas = new java.util.ArrayList<>();
        for (int i = 0; i <= 2000; i++) {
            alphas.add(i / 2000.0);
        }
        TuneSettings s = new TuneSettings(1, 1000, 1e9, List.of(NeuronPlan.IF), List.of(ThresholdMethod.DEFAULT),
                List.of(new Delay.Fixed(0)), alphas, 2, List.of(BiasCalibration.NONE), List.of());
        SpikerlException e = assertThrows(SpikerlException.class, () -> tune(s));
        // One state per candidate within a quarter of what the calibration (.6 episodes) leaves:
        // 4 * 2001 = 8004 steps, 1.0005 episodes; with the calibration 1.6, 2 episodes.
        assertEquals("tuner: a budget of 1 episodes cannot rank 2001 candidates offline (it needs at least 2); "
                + "raise --tune-budget or fix some conversion options", e.getMessage());
    }

    /**
     * The budget is a cap: cost <= budget, and cost = calibration steps / time limit + closed-loop
     * episodes + replayed steps / REPLAYS_PER_EPISODE.
     */
    @Test
    void costIsWithinTheBudgetAndAddsUp() {
        for (int budget : new int[] {1, 3, 10, 50}) {
            Run run = tune(TuneSettings.DEFAULTS.withBudget(budget));
            Tuner.Result r = run.result();
            assertTrue(r.costEpisodes() <= budget, "budget " + budget + ": cost " + r.costEpisodes());
            assertEquals(600.0 / EPISODE_STEPS, r.calibrationEpisodes(), 1e-12);
            assertEquals(r.calibrationEpisodes() + r.closedLoopEpisodes() + (double) r.replayedSteps() / R,
                    r.costEpisodes(), 1e-9);
            assertEquals(r.closedLoopEpisodes(), run.env().resetSeeds.size());
        }
    }

    /**
     * Bias calibration fixed: with the default axes (180 candidates) and 2500 calibration states, calibrating
     * every candidate would replay 180 * (2000 * 2 + 500) = 810,000 steps = 101 episodes, twice the default
     * budget. The tuner stays within it and every candidate it can choose is bias-calibrated.
     */
    @Test
    void pinnedBiasCalibrationStaysWithinTheBudget() {
        double[][] obs = calibration(2500);
        CalibrationSet set = CalibrationSet.observe(ACTOR, obs);
        TuneSettings d = TuneSettings.DEFAULTS;
        TuneSettings s = new TuneSettings(d.budgetEpisodes(), d.seed(), d.maxEnergyRatio(), d.neurons(), d.thresholds(),
                d.delays(), d.alphas(), d.finalists(), List.of(BiasCalibration.BIAS), d.lastLayer());
        Tuner.Result r = tune(set, obs, s).result();
        assertTrue(r.costEpisodes() <= d.budgetEpisodes(), "cost " + r.costEpisodes());
        assertEquals(BiasCalibration.BIAS, r.chosen().calibration());
        assertTrue(r.network().biasesCalibrated());
        assertTrue(r.candidates().stream().filter(c -> !c.tuningReturns().isEmpty())
                .allMatch(c -> c.config().calibration() == BiasCalibration.BIAS), "only calibrated candidates run");
        assertTrue(r.closedLoopEpisodes() > 0);
    }

    @Test
    void twoRunsChooseTheSameAndReportTheSame() {
        Tuner.Result a = tune(TuneSettings.DEFAULTS.withBudget(12)).result();
        Tuner.Result b = tune(TuneSettings.DEFAULTS.withBudget(12)).result();
        assertEquals(a.chosen(), b.chosen());
        assertEquals(a.candidates(), b.candidates());
        assertEquals(a.replayedSteps(), b.replayedSteps());
        assertEquals(a.closedLoopEpisodes(), b.closedLoopEpisodes());
        for (int l = 0; l < 2; l++) {
            assertEquals(java.util.Arrays.toString(a.network().thresholds(l)),
                    java.util.Arrays.toString(b.network().thresholds(l)));
            assertEquals(java.util.Arrays.toString(a.network().biases(l)), java.util.Arrays.toString(b.network().biases(l)));
        }
    }

    /**
     * The environment's slot count (a user's {@code --num-envs}) changes when episodes run, not what
     * they give: one slot, fewer slots than a round's episodes, and one per finalist choose the same
     * and report the same, tuning returns and energies included.
     */
    @Test
    void theChoiceAndTheReportDoNotDependOnTheSlotCount() {
        TuneSettings s = TuneSettings.DEFAULTS.withBudget(20);
        List<Tuner.Result> results = new java.util.ArrayList<>();
        for (int slots : new int[] {1, 3, s.finalists()}) {
            results.add(Tuner.tune(SET600, OBS600, BASE, s, new LoopEnv(slots, EPISODE_STEPS, 0),
                    new PrintWriter(new StringWriter())));
        }
        Tuner.Result a = results.get(0);
        assertTrue(a.closedLoopEpisodes() > s.finalists() / 2, "more than one closed-loop round: "
                + a.closedLoopEpisodes());
        for (Tuner.Result b : results.subList(1, results.size())) {
            assertEquals(a.chosen(), b.chosen());
            assertEquals(a.candidates(), b.candidates());
            assertEquals(a.closedLoopEpisodes(), b.closedLoopEpisodes());
            assertEquals(a.costEpisodes(), b.costEpisodes());
        }
    }

    /** Every closed-loop reset uses a tuning seed: seed, seed + 1, ...; never the evaluation seeds 0..29. */
    @Test
    void closedLoopUsesOnlyTuningSeeds() {
        Run run = tune(TuneSettings.DEFAULTS.withBudget(20));
        List<Long> seeds = run.env().resetSeeds;
        assertFalse(seeds.isEmpty());
        assertTrue(seeds.stream().allMatch(x -> x >= 1000), seeds.toString());
        assertTrue(seeds.stream().noneMatch(x -> x >= 0 && x < 30));
        long max = seeds.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertEquals(max - 1000 + 1, seeds.stream().distinct().count(), "consecutive seeds from 1000: " + seeds);

        List<Long> other = tune(TuneSettings.DEFAULTS.withBudget(20).withSeed(5000)).env().resetSeeds;
        assertTrue(other.stream().allMatch(x -> x >= 5000), other.toString());
        assertEquals(seeds.stream().map(x -> x + 4000).toList(), other, "the same schedule, shifted");
    }

    /** An axis pinned to one value gives only candidates with that value. */
    @Test
    void pinnedAxesAreRespected() {
        TuneSettings d = TuneSettings.DEFAULTS.withBudget(10);
        NeuronPlan mt2 = NeuronPlan.uniform(NeuronModel.multiThreshold(2));
        TuneSettings neuron = new TuneSettings(10, 1000, d.maxEnergyRatio(), List.of(mt2), d.thresholds(), d.delays(),
                d.alphas(), d.finalists(), d.calibrations(), List.of());
        Tuner.Result r = tune(neuron).result();
        assertTrue(r.candidates().stream().allMatch(c -> c.config().neuron().equals(mt2)));
        assertEquals(mt2, r.chosen().neuron());
        assertEquals("mt:2", r.network().neuron().spec());

        TuneSettings rest = new TuneSettings(10, 1000, d.maxEnergyRatio(), d.neurons(),
                List.of(ThresholdMethod.parse("max:layer")), List.of(new Delay.Fixed(2)), List.of(0.25), d.finalists(),
                List.of(BiasCalibration.NONE), d.lastLayer());
        Tuner.Result p = tune(rest).result();
        assertTrue(p.candidates().stream().allMatch(c -> c.config().method().spec().equals("max:layer")
                && c.config().delay().equals(new Delay.Fixed(2)) && c.config().alpha() == 0.25
                && c.config().calibration() == BiasCalibration.NONE));
        assertEquals(2, p.network().delay());
        assertEquals(0.25f, p.network().alpha());
        // 4 plans + 6 last-layer variants (if, mt:2, mt:3 with mt:4 and mt:6; none for signed; at T = 4 no
        // mt:3@2 or mt:2@2), 1 value elsewhere.
        assertEquals(10, p.candidates().size());
        assertEquals(4, p.chosen().timesteps(), "T comes from the base config");
    }

    /** A delay t0 >= T is skipped; if none is left the tuner says so. */
    @Test
    void delaysNotShorterThanTAreSkipped() {
        TuneSettings d = small(10);
        TuneSettings s = new TuneSettings(10, 1000, 1e9, d.neurons(), d.thresholds(),
                List.of(new Delay.Fixed(0), new Delay.Fixed(4), new Delay.Fixed(7)), List.of(0.0), 2,
                List.of(BiasCalibration.NONE), List.of());
        Tuner.Result r = tune(s).result();
        assertEquals(1, r.candidates().size());
        assertEquals(new Delay.Fixed(0), r.chosen().delay());
        TuneSettings none = new TuneSettings(10, 1000, 1e9, d.neurons(), d.thresholds(), List.of(new Delay.Fixed(4)),
                List.of(0.0), 2, List.of(BiasCalibration.NONE), List.of());
        SpikerlException e = assertThrows(SpikerlException.class, () -> tune(none));
        assertTrue(e.getMessage().startsWith("tuner: no candidate"), e.getMessage());
    }

    /**
     * A cap below every candidate's energy: the finalists are the lowest-energy candidates (the ones that
     * ran in closed loop are the {@code finalists} smallest proxy energies).
     */
    @Test
    void tinyEnergyCapSendsOnlyNearCheapestCandidatesToTheClosedLoop() {
        TuneSettings s = new TuneSettings(20, 1000, 1e-9, List.of(NeuronPlan.IF, NeuronPlan.uniform(NeuronModel.multiThreshold(3))),
                List.of(ThresholdMethod.DEFAULT), List.of(new Delay.Fixed(0), new Delay.Fixed(1)), List.of(0.0, 0.5, 1.0),
                3, List.of(BiasCalibration.NONE), List.of());
        Tuner.Result r = tune(s).result();
        assertEquals(12, r.candidates().size());
        List<Tuner.Candidate> ran = r.candidates().stream().filter(c -> !c.tuningReturns().isEmpty()).toList();
        List<Tuner.Candidate> rest = r.candidates().stream().filter(c -> c.tuningReturns().isEmpty()).toList();
        assertEquals(3, ran.size());
        // Every candidate is above the cap, so the effective cap is 1.2 x the cheapest candidate's
        // energy: the closed loop only sees candidates within it (or, if fewer than 3 are, the
        // lowest-energy ones), never one that costs more than a skipped candidate within it.
        double cheapest = r.candidates().stream().mapToDouble(Tuner.Candidate::proxyEnergyRatio).min().orElseThrow();
        double cap = Tuner.effectiveCap(1e-9, cheapest);
        assertEquals(1.2 * cheapest, cap, 1e-15);
        long within = r.candidates().stream().filter(c -> c.proxyEnergyRatio() <= cap).count();
        if (within >= 3) {
            assertTrue(ran.stream().allMatch(c -> c.proxyEnergyRatio() <= cap), "finalists within 1.2x the cheapest");
        } else {
            double maxRan = ran.stream().mapToDouble(Tuner.Candidate::proxyEnergyRatio).max().orElseThrow();
            double minRest = rest.stream().mapToDouble(Tuner.Candidate::proxyEnergyRatio).min().orElseThrow();
            assertTrue(maxRan <= minRest, maxRan + " > " + minRest);
        }
        assertTrue(r.candidates().stream().allMatch(c -> c.proxyEnergyRatio() > 1e-9), "the cap excludes every candidate");
        // Control: without the cap the mt:3 candidates (more events, more SOPs) are not all left out.
        double mtMin = r.candidates().stream().filter(c -> !c.config().neuron().equals(NeuronPlan.IF))
                .mapToDouble(Tuner.Candidate::proxyEnergyRatio).min().orElseThrow();
        double ifMin = r.candidates().stream().filter(c -> c.config().neuron().equals(NeuronPlan.IF))
                .mapToDouble(Tuner.Candidate::proxyEnergyRatio).min().orElseThrow();
        assertTrue(ifMin != mtMin, "energies differ between neuron models");
    }

    /**
     * The winner's mean tuning return is within {@link Tuner#RETURN_TIE} of the best of the last
     * round; of the candidates that are, the ones whose closed-loop energy is within the cap come
     * first (all of them when none is), and of those the winner has the lowest offline action error.
     * Checked with the default cap (every candidate of this actor is above it) and with a cap that
     * some tied candidates keep; on this actor the tie decides at least once (a candidate with a
     * higher mean but a larger offline error loses).
     */
    @Test
    void chosenIsTheMostExactOfTheTiedBestOfTheLastRound() {
        boolean tieDecided = false;
        boolean capDecided = false;
        for (double cap : new double[] {TuneSettings.DEFAULTS.maxEnergyRatio(), 0.43}) {
            for (int budget : new int[] {12, 30}) {
                Tuner.Result r = tune(TuneSettings.DEFAULTS.withBudget(budget).withMaxEnergyRatio(cap)).result();
                int most = r.candidates().stream().mapToInt(c -> c.tuningReturns().size()).max().orElseThrow();
                assertTrue(most > 0, "budget " + budget + " reaches the closed loop");
                List<Tuner.Candidate> last = r.candidates().stream().filter(c -> c.tuningReturns().size() == most)
                        .toList();
                Tuner.Candidate chosen = r.candidates().stream().filter(c -> c.config().equals(r.chosen()))
                        .findFirst().orElseThrow();
                assertEquals(most, chosen.tuningReturns().size(), "the chosen candidate played the last round");
                double best = last.stream().mapToDouble(Tuner.Candidate::meanTuningReturn).max().orElseThrow();
                double floor = best - Tuner.RETURN_TIE * Math.abs(best);
                assertTrue(chosen.meanTuningReturn() >= floor, chosen + " is not within the tie of " + best);
                List<Tuner.Candidate> tied = last.stream().filter(c -> c.meanTuningReturn() >= floor).toList();
                List<Tuner.Candidate> keepCap = tied.stream().filter(c -> c.energyRatio() <= cap).toList();
                List<Tuner.Candidate> pool = keepCap.isEmpty() ? tied : keepCap;
                assertTrue(pool.contains(chosen), chosen + " is not among the tied within the cap " + cap);
                for (Tuner.Candidate c : pool) {
                    assertTrue(chosen.proxyError() <= c.proxyError(), chosen + " vs " + c);
                }
                tieDecided |= chosen.meanTuningReturn() < best;
                capDecided |= !keepCap.isEmpty() && keepCap.size() < tied.size();
                assertEquals(chosen.delayT0(), r.network().delay());
                assertEquals(r.chosen().neuron(), r.network().neuron());
                assertEquals((float) r.chosen().alpha(), r.network().alpha());
                assertEquals(r.chosen().timesteps(), r.network().timesteps());
                assertEquals(r.chosen().calibration() == BiasCalibration.BIAS, r.network().biasesCalibrated());
            }
        }
        assertTrue(tieDecided, "some run must choose a more exact candidate over a slightly better one");
        assertTrue(capDecided, "some run must leave a tied candidate out for its energy");
    }

    /** Progress goes to the log, every line prefixed "tune: ". */
    @Test
    void logLinesArePrefixed() {
        String log = tune(small(10)).log();
        List<String> lines = log.lines().toList();
        assertTrue(lines.size() >= 3, log);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("tune: ")), log);
        assertTrue(lines.get(lines.size() - 1).startsWith("tune: chose "), log);
    }

    @Test
    void toMapHoldsTheSearchSpaceAndEveryCandidate() {
        Tuner.Result r = tune(small(10)).result();
        Map<String, Object> m = r.toMap();
        assertEquals(r.chosen().describe(), m.get("chosen"));
        assertEquals(10, m.get("budget_episodes"));
        assertEquals(r.costEpisodes(), m.get("cost_episodes"));
        assertEquals(r.closedLoopEpisodes(), m.get("closed_loop_episodes"));
        assertEquals(r.replayedSteps(), m.get("replayed_control_steps"));
        assertEquals(R, m.get("replays_per_episode"));
        assertEquals(1000L, m.get("tuning_seed"));
        Map<?, ?> space = (Map<?, ?>) m.get("search_space");
        assertEquals(List.of("if"), space.get("neuron"));
        assertEquals(List.of(), space.get("last_layer_neuron"));
        assertEquals(List.of("max:neuron"), space.get("threshold"));
        assertEquals(List.of("0", "1"), space.get("delay"));
        assertEquals(List.of(0.0, 1.0), space.get("alpha"));
        assertEquals(List.of("none", "bias"), space.get("calibration"));
        List<?> candidates = (List<?>) m.get("candidates");
        assertEquals(r.candidates().size(), candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Map<?, ?> c = (Map<?, ?>) candidates.get(i);
            Tuner.Candidate k = r.candidates().get(i);
            for (var e : k.config().describe().entrySet()) {
                assertEquals(e.getValue(), c.get(e.getKey()), e.getKey());
            }
            assertEquals(k.tuningReturns().size(), c.get("tuning_episodes"));
            assertEquals(k.tuningReturns(), c.get("tuning_returns"));
            assertEquals(k.proxyError(), c.get("proxy_action_mse"));
            if (k.tuningReturns().isEmpty()) {
                assertTrue(c.containsKey("mean_tuning_return") && c.get("mean_tuning_return") == null);
                assertTrue(c.containsKey("energy_ratio_horowitz45") && c.get("energy_ratio_horowitz45") == null);
            } else {
                assertEquals(k.meanTuningReturn(), (Double) c.get("mean_tuning_return"), 1e-12);
            }
        }
        Set<String> configs = candidates.stream().map(c -> ((Map<?, ?>) c).get("delay") + "/" + ((Map<?, ?>) c).get("alpha")
                + "/" + ((Map<?, ?>) c).get("calibration")).collect(Collectors.toSet());
        assertTrue(configs.containsAll(Set.of("0/0.0/none", "0/1.0/none", "1/0.0/none", "1/1.0/none")), configs.toString());
    }

    /**
     * Plans tried: the settings' plans, then for each uniform non-signed one the finer last-layer
     * variants (more spike levels than the first layers'), none for a single hidden layer; a
     * periodic uniform plan only through its last-layer variants, and no plan whose period does not
     * divide T.
     */
    @Test
    void plansAddFinerLastLayerVariants() {
        List<String> two = Tuner.plans(TuneSettings.DEFAULTS, 2, 8).stream().map(NeuronPlan::spec).toList();
        assertEquals(List.of("if", "mt:2", "mt:3", "signed", "if,mt:4", "if,mt:6", "mt:2,mt:4", "mt:2,mt:6",
                "mt:3,mt:4", "mt:3,mt:6", "mt:3@2,mt:4", "mt:3@2,mt:6", "mt:2@2,mt:4", "mt:2@2,mt:6"), two);
        assertEquals(List.of("if", "mt:2", "mt:3", "signed", "mt:3@2", "mt:2@2"),
                Tuner.plans(TuneSettings.DEFAULTS, 1, 8).stream().map(NeuronPlan::spec).toList());
        assertEquals(List.of("if", "mt:2", "mt:3", "signed", "if,mt:4", "if,mt:6", "mt:2,mt:4", "mt:2,mt:6",
                "mt:3,mt:4", "mt:3,mt:6"), Tuner.plans(TuneSettings.DEFAULTS, 2, 5).stream().map(NeuronPlan::spec).toList(),
                "T = 5: no plan with period 2");
        assertEquals(Tuner.plans(TuneSettings.DEFAULTS, 2, 5), Tuner.plans(TuneSettings.DEFAULTS, 2, 4),
                "T = 4: mt:3@2 and mt:2@2 would fire at 2 timesteps only");
        assertEquals(two, Tuner.plans(TuneSettings.DEFAULTS, 2, 16).stream().map(NeuronPlan::spec).toList());
        TuneSettings d = TuneSettings.DEFAULTS;
        TuneSettings coarse = new TuneSettings(50, 1000, 0.25, List.of(NeuronPlan.uniform(NeuronModel.multiThreshold(6))),
                d.thresholds(), d.delays(), d.alphas(), 12, d.calibrations(), List.of(NeuronModel.multiThreshold(4)));
        assertEquals(List.of("mt:6"), Tuner.plans(coarse, 3, 8).stream().map(NeuronPlan::spec).toList(),
                "a coarser last layer is not tried");
    }

    /**
     * A plan the user fixed is tried as given, periodic or not; with no delay a periodic plan can read
     * out, or no plan firing often enough, the search refuses in one line before any rollout.
     */
    @Test
    void aFixedPeriodicPlanIsTriedAsGivenAndAnEmptySearchSaysWhy() {
        TuneSettings d = TuneSettings.DEFAULTS;
        NeuronPlan periodic = NeuronPlan.parse("mt:3@2");
        TuneSettings fixed = new TuneSettings(50, 1000, 0.25, List.of(periodic), d.thresholds(), d.delays(), d.alphas(),
                12, d.calibrations(), List.of());
        assertEquals(List.of("mt:3@2"), Tuner.plans(fixed, 2, 4).stream().map(NeuronPlan::spec).toList());
        assertEquals(2 * 2 * 3, Tuner.candidates(BASE, fixed, 2).size(), "2 methods x delays 0, 2 x 3 alphas");
        TuneSettings oddDelay = new TuneSettings(50, 1000, 0.25, List.of(periodic), d.thresholds(),
                List.of(new Delay.Fixed(1)), d.alphas(), 12, d.calibrations(), List.of());
        assertEquals("tuner: no candidate: every delay of the search (1) is >= T = 4 or not a multiple of the firing "
                + "period of the neuron plan (mt:3@2: 2)",
                assertThrows(SpikerlException.class, () -> Tuner.candidates(BASE, oddDelay, 2)).getMessage());
        TuneSettings rare = new TuneSettings(50, 1000, 0.25, List.of(periodic, NeuronPlan.parse("mt:2@2")),
                d.thresholds(), d.delays(), d.alphas(), 12, d.calibrations(), List.of());
        assertEquals("tuner: no candidate: no neuron plan of the search (mt:3@2, mt:2@2) fires at 4 or more of T = 4 "
                + "timesteps", assertThrows(SpikerlException.class, () -> Tuner.candidates(BASE, rare, 2)).getMessage());
    }

    @Test
    void settingsAreValidated() {
        TuneSettings d = TuneSettings.DEFAULTS;
        assertEquals("--tune-budget must be in 1..100000 episodes, got 0",
                assertThrows(SpikerlException.class, () -> d.withBudget(0)).getMessage());
        assertEquals("--tune-seed must be >= 0, got -1",
                assertThrows(SpikerlException.class, () -> d.withSeed(-1)).getMessage());
        assertEquals("--max-energy-ratio must be a finite number > 0, got 0.0",
                assertThrows(SpikerlException.class, () -> d.withMaxEnergyRatio(0)).getMessage());
        assertThrows(SpikerlException.class, () -> d.withMaxEnergyRatio(Double.NaN));
        assertThrows(SpikerlException.class, () -> d.withMaxEnergyRatio(Double.POSITIVE_INFINITY));
        assertEquals("tuner: every search axis needs at least one value", assertThrows(SpikerlException.class,
                () -> new TuneSettings(50, 1000, 0.25, List.of(), d.thresholds(), d.delays(), d.alphas(), 12,
                        d.calibrations(), d.lastLayer())).getMessage());
        assertEquals("tuner: finalists must be >= 1, got 0", assertThrows(SpikerlException.class,
                () -> new TuneSettings(50, 1000, 0.25, d.neurons(), d.thresholds(), d.delays(), d.alphas(), 0,
                        d.calibrations(), d.lastLayer())).getMessage());
        assertEquals(50, d.budgetEpisodes());
        assertEquals(1000, d.seed());
        assertEquals(List.of(0.0, 0.5, 1.0), d.alphas());
        assertTrue(d.alphas().stream().sorted(Comparator.naturalOrder()).toList().equals(d.alphas()));
    }
}
