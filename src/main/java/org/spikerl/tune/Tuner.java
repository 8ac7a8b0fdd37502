package org.spikerl.tune;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.convert.Delay;
import org.spikerl.convert.ThresholdCache;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.energy.EnergyReport;
import org.spikerl.energy.OpCounts;
import org.spikerl.env.VectorEnv;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.progress.Progress;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;

/**
 * Chooses a conversion for one actor at one latency T without the evaluation seeds.
 *
 * <ol>
 *   <li><b>Offline ranking, without bias calibration.</b> Every combination of neuron model,
 *       threshold method, delay and alpha of {@link TuneSettings} is built from the calibration
 *       set and replayed, in order and with its residual carried, on {@link TuneSettings#PROXY_STATES}
 *       recorded closed-loop states (the ones after the first {@link BiasCalibration#SAMPLES}, which
 *       bias calibration uses, if the set is long enough; else the last ones, which it shares).
 *       Score: the mean squared difference between its actions and the ANN's on those states;
 *       energy: its SNN/ANN energy per action ({@code horowitz45}) on the same replay. This step
 *       spends at most a quarter of the budget: with many candidates and a small budget, each is
 *       replayed on fewer states.</li>
 *   <li><b>Bias calibration on the best.</b> The best candidates of step 1 (the best of each neuron
 *       plan within the energy cap, then the next best) are built again with bias calibration
 *       (SPEC 10) and scored the same way: up to {@code finalists} of them, as many as steps 1 and 2
 *       can afford within half the budget. With {@code calibrations = [bias]} only these calibrated
 *       candidates can be chosen (at least one is calibrated if the budget allows it).</li>
 *   <li><b>Closed loop, successive halving</b> on tuning episodes (reset with {@code seed + i}):
 *       {@code finalists} (fewer if the budget left does not give each one episode) picked the
 *       same way from steps 1-2 (the lowest-energy others fill up if too few are within the cap)
 *       run the same episodes; the better half by mean
 *       tuning return goes on to the next round, which adds new episodes; each round gets an
 *       equal share of what the budget has left. The winner has the highest mean return over all
 *       its tuning episodes; means within {@link #RETURN_TIE} (0.5%) of the best count as tied, and
 *       the tied go on (and win) within the energy cap first (closed-loop energy), then lowest
 *       offline action error (then the candidates' order).</li>
 * </ol>
 * A plan with a firing period {@code P > 1} ({@link NeuronPlan#period}) is tried with the fixed delays
 * that are multiples of {@code P} only: its first layers emit at timesteps {@code P, 2P, ...} the
 * charge of the {@code P} timesteps before, so the readout window {@code (t0, T]} holds the output of
 * {@code T - t0} timesteps only when {@code t0} is a multiple of {@code P}; with {@code t0 = 1} and
 * {@code P = 2} it holds all of it and divides by {@code T - 1}, a bias of {@code T / (T - 1)} on
 * the spike part of every action.
 *
 * <p>Cost, in evaluation episodes, of the whole conversion: the calibration rollouts that recorded
 * the set count their steps over the environment's time limit (10,000 steps of a 1000-step task
 * are 10 episodes: they were ANN episodes through the same bridge); closed-loop episodes count one
 * each (a round's episodes of every candidate step together on the env's slots, as an evaluation's
 * do); replayed control steps (including those of bias calibration) {@code 1 / REPLAYS_PER_EPISODE}
 * each. The total never exceeds the budget (a budget too small to rank every candidate on one
 * state after the calibration is an error). With the defaults (50 episodes, 10,000 calibration
 * steps on a 1000-step task, 228 candidates for a two-hidden-layer actor at T = 8): calibration
 * 10, ranking on 350 states 9.975, bias calibration of 12 candidates 6.525, closed loop 23 (12 x 1,
 * 6 x 1, 3 x 1, 2 x 1); 49.5 in all. Everything is deterministic: same actor, calibration set,
 * settings and environment give the same choice.
 */
public final class Tuner {
    private Tuner() {
    }

    /**
     * Fewest firing timesteps per control step for a plan with a firing period to be tried: T = 8 and
     * more for {@code mt:3@2}. Below that the graded neurons it replaces fit under the energy cap
     * anyway, and what it was chosen for was worse: on the CRPI Walker2d-v4 actor at T = 4 the tuner
     * picked {@code mt:3@2,mt:4} (t0 = 2, alpha 1), APR 0.892 on tuning seeds 3000..3029, against
     * 0.990 for {@code mt:3,mt:6+bias} (docs/conversion.md).
     */
    static final int MIN_FIRING_TIMESTEPS = 4;

    /** Offline ranking (step 1) spends at most 1 / RANKING_SHARE of the budget; steps 1 and 2 together at most half. */
    static final int RANKING_SHARE = 4;

    /**
     * Mean tuning returns within this fraction of a round's best count as tied ({@link #rankRound}).
     * Checked on validation seeds 2000..2029 at T = 8 (results/tuner-validation): with the tied going
     * on cheapest first (variant E against F, eight actors) the same choice on four, and on the others
     * at most 0.003 APR less for up to 55% less SNN/ANN energy; with them going on most exact first
     * (variant GH against E, nine actors, with {@code mt:2@2} in the search) every actor at APR
     * >= 0.97 (E: the own Ant actor 0.965), within the cap, at more energy on four actors and less on two.
     */
    static final double RETURN_TIE = 0.005;

    /** One candidate as reported: its config, offline score, and closed-loop results if it got that far. */
    public record Candidate(ConversionConfig config, int delayT0, double proxyError, double proxyEnergyRatio,
                            List<Double> tuningReturns, double energyRatio) {
        public double meanTuningReturn() {
            return tuningReturns.isEmpty() ? Double.NaN
                    : tuningReturns.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(config.describe());
            m.put("delay_t0", delayT0);
            m.put("proxy_action_mse", proxyError);
            m.put("proxy_energy_ratio_horowitz45", proxyEnergyRatio);
            m.put("tuning_episodes", tuningReturns.size());
            m.put("tuning_returns", tuningReturns);
            m.put("mean_tuning_return", tuningReturns.isEmpty() ? null : meanTuningReturn());
            m.put("energy_ratio_horowitz45", Double.isNaN(energyRatio) ? null : energyRatio);
            return m;
        }
    }

    /** The choice, the network built with it, every candidate, and what it cost. */
    public record Result(ConversionConfig chosen, SpikingActor network, List<Candidate> candidates,
                         int closedLoopEpisodes, long replayedSteps, double calibrationEpisodes, double costEpisodes,
                         TuneSettings settings,
                         double seconds) {
        /** For provenance and summary.json: the search, its results and the choice. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("chosen", chosen.describe());
            m.put("budget_episodes", settings.budgetEpisodes());
            m.put("cost_episodes", costEpisodes);
            m.put("calibration_cost_episodes", calibrationEpisodes);
            m.put("closed_loop_episodes", closedLoopEpisodes);
            m.put("replayed_control_steps", replayedSteps);
            m.put("replays_per_episode", TuneSettings.REPLAYS_PER_EPISODE);
            m.put("tuning_seed", settings.seed());
            m.put("max_energy_ratio_horowitz45", settings.maxEnergyRatio());
            Map<String, Object> space = new LinkedHashMap<>();
            space.put("neuron", settings.neurons().stream().map(NeuronPlan::spec).toList());
            space.put("last_layer_neuron", settings.lastLayer().stream().map(NeuronModel::spec).toList());
            space.put("threshold", settings.thresholds().stream().map(ThresholdMethod::spec).toList());
            space.put("delay", settings.delays().stream().map(Delay::spec).toList());
            space.put("alpha", settings.alphas());
            space.put("calibration", settings.calibrations().stream().map(BiasCalibration::cliName).toList());
            m.put("search_space", space);
            m.put("seconds", seconds);
            m.put("candidates", candidates.stream().map(Candidate::toMap).toList());
            return m;
        }
    }

    /** Mutable working record of one candidate. */
    private static final class Entry {
        final ConversionConfig config;
        final SpikingActor net;
        final double error;
        final double proxyEnergy;
        final int order;
        final List<Double> returns = new ArrayList<>();
        double energy = Double.NaN;

        Entry(ConversionConfig config, SpikingActor net, double error, double proxyEnergy, int order) {
            this.config = config;
            this.net = net;
            this.error = error;
            this.proxyEnergy = proxyEnergy;
            this.order = order;
        }

        double mean() {
            return returns.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NEGATIVE_INFINITY);
        }

        Candidate report() {
            return new Candidate(config, net.delay(), error, proxyEnergy, List.copyOf(returns), energy);
        }
    }

    /**
     * @param set the calibration set (ANN activations of {@code observations})
     * @param observations the raw calibration observations, in recorded order
     * @param base T, v0 fraction and delay reduction come from here; the searched fields are replaced
     * @param log progress, one line per stage and round
     */
    public static Result tune(CalibrationSet set, double[][] observations, ConversionConfig base, TuneSettings s,
                              VectorEnv env, PrintWriter log) {
        long start = System.nanoTime();
        Actor actor = set.actor();
        List<ConversionConfig> configs = candidates(base, s, set.hiddenLayers());
        // The calibration rollouts were part of the conversion's cost: what is left is the tuner's.
        double calibration = calibrationEpisodes(observations.length, env.spec());
        double available = s.budgetEpisodes() - calibration;
        if (!(available > 0)) {
            throw new SpikerlException(String.format(Locale.ROOT, "tuner: a budget of %d episodes is spent by the "
                    + "%d calibration steps (%.2f episodes of up to %d steps); raise --tune-budget or lower "
                    + "--calibration-steps", s.budgetEpisodes(), observations.length, calibration,
                    episodeSteps(env.spec())));
        }
        long budgetSteps = (long) Math.floor(available * TuneSettings.REPLAYS_PER_EPISODE);
        // Step 1 may spend a quarter of the budget: fewer replayed states per candidate if need be.
        int proxyFrom = observations.length > BiasCalibration.SAMPLES + TuneSettings.PROXY_STATES
                ? BiasCalibration.SAMPLES : Math.max(0, observations.length - TuneSettings.PROXY_STATES);
        int proxy = (int) Math.min(Math.min(observations.length, proxyFrom + TuneSettings.PROXY_STATES) - proxyFrom,
                budgetSteps / RANKING_SHARE / configs.size());
        if (proxy < 1) {
            long needed = (long) Math.ceil(calibration
                    + (double) configs.size() * RANKING_SHARE / TuneSettings.REPLAYS_PER_EPISODE);
            throw new SpikerlException("tuner: a budget of " + s.budgetEpisodes() + " episodes cannot rank "
                    + configs.size() + " candidates offline (it needs at least " + needed + "); raise --tune-budget "
                    + "or fix some conversion options");
        }
        int proxyTo = proxyFrom + proxy;
        double[][] annActions = annActions(actor, observations, proxyFrom, proxyTo);
        long[] replayed = {0};

        ThresholdCache thresholdCache = new ThresholdCache(set);
        List<Entry> offline;
        try (Progress bar = Progress.bar("tuning: offline candidates", configs.size())) {
            offline = scoreAll(configs, 0, set, thresholdCache, observations, annActions, proxyFrom, proxyTo,
                    replayed, bar);
        }
        Comparator<Entry> byError = Comparator.comparingDouble((Entry e) -> e.error).thenComparingInt(e -> e.order);
        Entry bestOffline = pick(offline, 1, s.maxEnergyRatio(), byError).get(0);
        log.printf(Locale.ROOT, "tune: offline, %d candidates on %d replayed states; best action MSE %.3g (%s); "
                        + "%.1f s%n", offline.size(), proxy, bestOffline.error, label(bestOffline), since(start));
        double cheapest = cheapestEnergy(offline);
        if (cheapest > s.maxEnergyRatio()) {
            log.printf(Locale.ROOT, "tune: note: no candidate is within the energy cap %s at T = %d (the cheapest "
                            + "costs %.3f of the ANN's energy on the replayed states); the offline ranking sends on "
                            + "the best within %.3f (1.2 x the cheapest); a lower T costs less%n",
                    String.valueOf(s.maxEnergyRatio()), base.timesteps(), cheapest,
                    effectiveCap(s.maxEnergyRatio(), cheapest));
        }
        log.flush();

        // Step 2: bias calibration on as many of the best as steps 1-2 can afford in half the budget.
        boolean plainAllowed = s.calibrations().contains(BiasCalibration.NONE);
        boolean biasAllowed = s.calibrations().contains(BiasCalibration.BIAS);
        long perBias = (long) Math.min(set.size(), BiasCalibration.SAMPLES) * set.hiddenLayers() + proxy;
        int biasCount = 0;
        if (biasAllowed) {
            long left = budgetSteps / 2 - replayed[0];
            biasCount = (int) Math.min(Math.min(s.finalists(), offline.size()), Math.max(0, left / perBias));
            if (biasCount == 0 && !plainAllowed) {
                if (perBias > budgetSteps - replayed[0]) {
                    throw new SpikerlException(String.format(Locale.ROOT, "tuner: a budget of %d episodes cannot "
                            + "bias-calibrate one candidate (%.2f episodes after %.2f of offline ranking); raise "
                            + "--tune-budget", s.budgetEpisodes(), (double) perBias / TuneSettings.REPLAYS_PER_EPISODE,
                            (double) replayed[0] / TuneSettings.REPLAYS_PER_EPISODE));
                }
                biasCount = 1;
            }
        }
        List<Entry> all = new ArrayList<>(offline);
        List<Entry> calibrated = new ArrayList<>();
        List<ConversionConfig> toCalibrate = pick(offline, biasCount, s.maxEnergyRatio(), byError).stream()
                .map(e -> e.config.withCalibration(BiasCalibration.BIAS)).toList();
        replayed[0] += (perBias - proxy) * toCalibrate.size(); // scoreAll() adds the proxy replays
        calibrated.addAll(scoreAll(toCalibrate, all.size(), set, thresholdCache, observations, annActions, proxyFrom,
                proxyTo, replayed, null));
        all.addAll(calibrated);
        double spent = (double) replayed[0] / TuneSettings.REPLAYS_PER_EPISODE;
        // Step 3: at most one finalist per episode the budget has left (at least one, the closed loop then idle).
        int affordable = (int) Math.max(1, Math.min(s.finalists(), Math.floor(available - spent)));
        List<Entry> finalists = pick(plainAllowed ? all : calibrated, affordable, s.maxEnergyRatio(), byError);
        log.printf(Locale.ROOT, "tune: %s; %d finalists; offline cost %.1f episodes; %.1f s%n",
                biasAllowed ? "bias calibration on the best " + calibrated.size() : "no bias calibration",
                finalists.size(), spent, since(start));
        log.flush();

        int episodes = 0;
        int used = 0;
        List<Entry> alive = new ArrayList<>(finalists);
        int rounds = alive.size() <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(alive.size() - 1);
        Comparator<Entry> byEnergy = Comparator.comparingDouble((Entry e) -> Double.isNaN(e.energy) ? Double.MAX_VALUE
                : e.energy).thenComparing(byError);
        Comparator<Entry> byReturn = Comparator.comparingDouble((Entry e) -> -e.mean()).thenComparing(byEnergy);
        double cap = s.maxEnergyRatio();
        Comparator<Entry> byPrecision = Comparator.comparingInt((Entry e) -> e.energy <= cap ? 0 : 1)
                .thenComparing(byError);
        Progress bar = Progress.bar("tuning: episodes", Math.max(0, (long) Math.floor(available - spent)));
        for (int r = 0; r < rounds; r++) {
            double remaining = available - spent - episodes;
            int each = (int) Math.floor(remaining / ((double) alive.size() * (rounds - r)));
            if (each < 1) {
                each = remaining >= alive.size() ? 1 : 0;
            }
            if (each == 0) {
                log.printf(Locale.ROOT, "tune: budget spent before round %d%n", r + 1);
                break;
            }
            // The round's episodes step together: episode j is candidate j / each on tuning seed
            // used + j % each; each gives what it gives alone (EpisodeRunner), so the returns and
            // counts are those of one run per candidate.
            int perCandidate = each;
            long firstSeed = s.seed() + used;
            SnnController[] prototypes = new SnnController[alive.size()];
            OpCounts[] counted = new OpCounts[alive.size()];
            for (int c = 0; c < alive.size(); c++) {
                prototypes[c] = new SnnController(alive.get(c).net);
            }
            EpisodeRunner.Result res = EpisodeRunner.run(env, j -> prototypes[j / perCandidate],
                    alive.size() * perCandidate, j -> j, j -> firstSeed + j % perCandidate,
                    new EpisodeRunner.Listener() {
                        @Override
                        public void episodeCounted(EpisodeRunner.Episode ep, OpCounts c) {
                            int cand = ep.index() / perCandidate;
                            if (counted[cand] == null) {
                                counted[cand] = c;
                            } else {
                                counted[cand].add(c);
                            }
                        }

                        @Override
                        public void episodeDone(EpisodeRunner.Episode ep) {
                            bar.stepBy(1);
                        }
                    });
            for (int c = 0; c < alive.size(); c++) {
                Entry e = alive.get(c);
                for (EpisodeRunner.Episode ep : res.episodes().subList(c * each, (c + 1) * each)) {
                    e.returns.add(ep.ret());
                }
                double ratio = EnergyReport.of(EnergyPreset.HOROWITZ45, counted[c], actor.macs()).ratio();
                // Energy over every tuning episode of the candidate, weighted by episodes.
                e.energy = Double.isNaN(e.energy) ? ratio
                        : (e.energy * (e.returns.size() - each) + ratio * each) / e.returns.size();
                episodes += each;
            }
            used += each;
            alive = rankRound(alive, byReturn, byPrecision);
            log.printf(Locale.ROOT, "tune: round %d/%d, %d candidates x %d episodes (seeds %d..%d); leader %s, "
                            + "mean tuning return %.1f; %.1f s%n", r + 1, rounds, alive.size(), each,
                    s.seed() + used - each, s.seed() + used - 1, label(alive.get(0)), alive.get(0).mean(),
                    since(start));
            log.flush();
            if (r < rounds - 1) {
                alive = new ArrayList<>(alive.subList(0, (alive.size() + 1) / 2));
            }
        }
        bar.close();
        Entry best = alive.get(0);
        List<Candidate> reports = all.stream().map(Entry::report).toList();
        double cost = calibration + spent + episodes;
        log.printf(Locale.ROOT, "tune: chose %s (cost %.1f of %d episodes)%n", label(best), cost, s.budgetEpisodes());
        log.flush();
        return new Result(best.config, best.net, reports, episodes, replayed[0], calibration, cost, s,
                since(start));
    }

    /**
     * The order after a closed-loop round: by mean tuning return ({@code byReturn}), except that the
     * candidates within {@link #RETURN_TIE} of the best mean (relative to its magnitude) count as
     * tied and come first in the order {@code tied}: those whose closed-loop energy is within the cap,
     * then lowest offline action error (then the candidates' order). 0.5% is below the
     * seed-to-seed spread of a converged actor's return (results/tuned, 30 evaluation episodes: 0.2%
     * of the mean on CRPI Hopper, 10-20% on the Walker2d actors), so a few tuning episodes do not
     * tell such candidates apart. What they cannot show either is a rare fall: a cheaper, less exact
     * network that wins four tuning episodes can fall in 3 of 30 (CRPI Walker2d, variant G of
     * results/tuner-validation), so among the tied the one that follows the ANN most closely on the
     * replayed states goes on, as long as it keeps the energy cap.
     */
    private static List<Entry> rankRound(List<Entry> alive, Comparator<Entry> byReturn, Comparator<Entry> tied) {
        double best = alive.stream().min(byReturn).orElseThrow().mean();
        double floor = best - RETURN_TIE * Math.abs(best);
        List<Entry> out = new ArrayList<>(alive.stream().filter(e -> e.mean() >= floor).sorted(tied).toList());
        alive.stream().filter(e -> !(e.mean() >= floor)).sorted(byReturn).forEach(out::add);
        return out;
    }

    /**
     * What the calibration rollouts cost, in evaluation episodes: their closed-loop ANN steps over
     * the environment's time limit (an evaluation episode is at most that many steps; 1000 when the
     * environment has none), whatever their own episodes' lengths were.
     */
    static double calibrationEpisodes(int steps, org.spikerl.env.EnvSpec spec) {
        return (double) steps / episodeSteps(spec);
    }

    private static int episodeSteps(org.spikerl.env.EnvSpec spec) {
        return spec.maxEpisodeSteps() > 0 ? spec.maxEpisodeSteps() : 1000;
    }

    /**
     * The candidates of step 1: every plan of {@link #plans} with every threshold method, fixed delay
     * {@code t0 < T} that is a multiple of the plan's firing period ({@link NeuronPlan#period}; the
     * readout window must hold whole periods, see the class Javadoc; an {@code auto} delay is rounded
     * by the converter) and alpha, without bias calibration. Public so that a caller can refuse a
     * search with no candidate before the calibration rollouts.
     *
     * @throws SpikerlException in one line, naming why, if there is none
     */
    public static List<ConversionConfig> candidates(ConversionConfig base, TuneSettings s, int hidden) {
        int timesteps = base.timesteps();
        List<NeuronPlan> plans = plans(s, hidden, timesteps);
        if (plans.isEmpty()) {
            throw new SpikerlException("tuner: no candidate: no neuron plan of the search ("
                    + s.neurons().stream().map(NeuronPlan::spec).collect(java.util.stream.Collectors.joining(", "))
                    + ") fires at " + MIN_FIRING_TIMESTEPS + " or more of T = " + timesteps + " timesteps");
        }
        List<ConversionConfig> configs = new ArrayList<>();
        for (NeuronPlan n : plans) {
            for (ThresholdMethod m : s.thresholds()) {
                for (Delay d : s.delays()) {
                    if (d instanceof Delay.Fixed f && (f.t0() >= timesteps || f.t0() % n.period() != 0)) {
                        continue; // a readout window of whole firing periods only
                    }
                    for (double a : s.alphas()) {
                        configs.add(base.withNeuron(n).withMethod(m).withDelay(d).withAlpha(a)
                                .withCalibration(BiasCalibration.NONE));
                    }
                }
            }
        }
        if (configs.isEmpty()) {
            String delays = s.delays().stream().map(Delay::spec).collect(java.util.stream.Collectors.joining(", "));
            boolean periodic = plans.stream().anyMatch(p -> p.period() > 1);
            throw new SpikerlException("tuner: no candidate: every delay of the search (" + delays + ") is >= T = "
                    + timesteps + (periodic ? " or not a multiple of the firing period of the neuron plan ("
                    + plans.stream().map(p -> p.spec() + ": " + p.period()).collect(java.util.stream.Collectors.joining(", "))
                    + ")" : ""));
        }
        return configs;
    }

    /** Seconds since {@code start} ({@link System#nanoTime}), for the progress lines. */
    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The neuron plans tried at latency {@code timesteps}: {@link TuneSettings#neurons}, and for each
     * uniform one (not signed) the same model with each finer {@link TuneSettings#lastLayer} model in
     * the last hidden layer. When the search chooses among several plans, a plan with a firing
     * period that does not divide T, or that leaves fewer than {@link #MIN_FIRING_TIMESTEPS} firing
     * timesteps, is left out, and a uniform plan with a firing period {@code P > 1} is tried only
     * through its variants with a last layer of their own (which fires every timestep, when there
     * is a last-layer list and more than one hidden layer): the last hidden layer's events feed only
     * the action outputs, so a period there saves almost nothing and holds the readout back. A
     * single plan (the user fixed the neuron) is always tried as given; one whose period does not
     * divide T is then refused by {@link ConversionConfig} in one line.
     */
    static List<NeuronPlan> plans(TuneSettings s, int hidden, int timesteps) {
        boolean choosing = s.neurons().size() > 1;
        java.util.LinkedHashSet<NeuronPlan> out = new java.util.LinkedHashSet<>();
        for (NeuronPlan p : s.neurons()) {
            boolean viaLastLayer = choosing && p.isUniform() && p.period() > 1 && hidden > 1 && !s.lastLayer().isEmpty();
            if (!viaLastLayer) {
                out.add(p);
            }
        }
        for (NeuronPlan p : s.neurons()) {
            NeuronModel first = p.layers().get(0);
            if (p.isUniform() && hidden > 1 && first.kind() != NeuronModel.Kind.SIGNED) {
                for (NeuronModel last : s.lastLayer()) {
                    if (last.levels() <= first.levels()) {
                        continue; // only finer last layers: a coarser one saves almost nothing
                    }
                    out.add(NeuronPlan.lastLayer(first, last, hidden));
                }
            }
        }
        if (choosing) {
            out.removeIf(p -> p.layers().stream().anyMatch(m -> timesteps % m.period() != 0
                    || (m.period() > 1 && timesteps / m.period() < MIN_FIRING_TIMESTEPS)));
        }
        return List.copyOf(out);
    }

    static String label(Entry e) {
        ConversionConfig c = e.config;
        return c.neuronLabel() + " " + c.method().spec()
                + " t0=" + e.net.delay() + " alpha=" + c.alpha();
    }

    /**
     * The cap applied: the requested one, or, when even the cheapest candidate costs more (at long
     * latencies every spiking network does), 1.2 times the cheapest candidate's energy, so that the
     * choice is still made on accuracy among the near-cheapest rather than on energy alone.
     */
    static double effectiveCap(double requested, double cheapest) {
        return Math.max(requested, 1.2 * cheapest);
    }

    /** The lowest offline (replayed-state) energy ratio of {@code pool}; 0 for none. */
    private static double cheapestEnergy(List<Entry> pool) {
        return pool.stream().mapToDouble(e -> e.proxyEnergy).min().orElse(0);
    }

    /**
     * {@code k} candidates within the {@link #effectiveCap}: the best (by {@code order}) of each
     * neuron plan, then the best of the rest; if fewer than {@code k} are within the cap, the
     * lowest-energy others fill up.
     */
    private static List<Entry> pick(List<Entry> pool, int k, double requested, Comparator<Entry> order) {
        double cap = effectiveCap(requested, cheapestEnergy(pool));
        List<Entry> within = pool.stream().filter(e -> e.proxyEnergy <= cap).sorted(order).toList();
        // Diversity first: the best of each neuron plan, then the next best of any. Offline action
        // error ranks plans with graded first layers ahead of plans that do as well in closed loop
        // at less energy, so every plan gets its best candidate into the closed-loop rounds.
        List<Entry> out = new ArrayList<>();
        java.util.Set<NeuronPlan> seen = new java.util.HashSet<>();
        for (Entry e : within) {
            if (out.size() < k && seen.add(e.config.neuron())) {
                out.add(e);
            }
        }
        for (Entry e : within) {
            if (out.size() < k && !out.contains(e)) {
                out.add(e);
            }
        }
        if (out.size() < k) {
            pool.stream().filter(e -> e.proxyEnergy > cap)
                    .sorted(Comparator.comparingDouble((Entry e) -> e.proxyEnergy).thenComparingInt(e -> e.order))
                    .limit(k - out.size()).forEach(out::add);
        }
        return out;
    }

    /**
     * {@link #score} of every config, numbered from {@code firstOrder}: thresholds one after the other
     * (the cache is not thread-safe; its T-aware searches run their neurons in parallel), then the
     * candidates in parallel, each group on its own network and controller; the list keeps the
     * configs' order, so the result does not depend on the number of threads. Configs without bias
     * calibration that differ only in their fixed delay form one group, replayed once for all their
     * delays ({@link SnnController#actAtDelays}: the same scores as one replay each). Adds their
     * replayed steps (one per config and state, as if replayed one by one).
     */
    private static List<Entry> scoreAll(List<ConversionConfig> configs, int firstOrder, CalibrationSet set,
                                        ThresholdCache cache, double[][] observations, double[][] annActions,
                                        int from, int to, long[] replayed, Progress bar) {
        List<float[][]> thresholds = configs.stream().map(cache::get).toList();
        Map<ConversionConfig, List<Integer>> byRest = new LinkedHashMap<>();
        List<int[]> groups = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            ConversionConfig c = configs.get(i);
            if (c.delay() instanceof Delay.Fixed && c.calibration() == BiasCalibration.NONE) {
                byRest.computeIfAbsent(c.withDelay(new Delay.Fixed(0)), k -> new ArrayList<>()).add(i);
            } else {
                groups.add(new int[] {i});
            }
        }
        byRest.values().forEach(g -> groups.add(g.stream().mapToInt(Integer::intValue).toArray()));
        Entry[] out = new Entry[configs.size()];
        java.util.stream.IntStream.range(0, groups.size()).parallel().forEach(g -> {
            int[] members = groups.get(g);
            score(configs, thresholds, members, set, observations, annActions, from, to, firstOrder, out);
            if (bar != null) {
                synchronized (bar) {
                    bar.stepBy(members.length);
                }
            }
        });
        replayed[0] += (long) out.length * (to - from);
        return List.of(out);
    }

    /**
     * Scores the configs {@code members} (one group of {@link #scoreAll}: one config, or configs
     * that differ only in their fixed delay) into {@code out}, in one replay at all their delays
     * (one delay for a group of one): the mean squared action difference to the ANN over the
     * replayed states and the SNN/ANN energy of the replay.
     */
    private static void score(List<ConversionConfig> configs, List<float[][]> thresholds, int[] members,
                              CalibrationSet set, double[][] observations, double[][] annActions, int from, int to,
                              int firstOrder, Entry[] out) {
        int first = members[0];
        SpikingActor net = Converter.build(set, thresholds.get(first), configs.get(first));
        SpikingActor[] nets = new SpikingActor[members.length];
        int[] delays = new int[members.length];
        for (int j = 0; j < members.length; j++) {
            nets[j] = j == 0 ? net : net.withDelay(((Delay.Fixed) configs.get(members[j]).delay()).t0());
            delays[j] = nets[j].delay();
        }
        SnnController snn = new SnnController(net);
        snn.reset();
        int actions = net.actor().actionSize();
        double[][] a = new double[members.length][actions];
        double[] err = new double[members.length];
        long[] outputSops = new long[members.length];
        for (int k = from; k < to; k++) {
            snn.actAtDelays(observations[k], delays, a, outputSops);
            double[] ref = annActions[k - from];
            for (int j = 0; j < members.length; j++) {
                for (int i = 0; i < actions; i++) {
                    double d = a[j][i] - ref[i];
                    err[j] += d * d;
                }
            }
        }
        for (int j = 0; j < members.length; j++) {
            double mse = err[j] / ((double) (to - from) * actions);
            OpCounts counts = snn.counts().plusSops(outputSops[j]);
            double energy = EnergyReport.of(EnergyPreset.HOROWITZ45, counts, set.actor().macs()).ratio();
            out[members[j]] = new Entry(configs.get(members[j]), nets[j], mse, energy, firstOrder + members[j]);
        }
    }

    private static double[][] annActions(Actor actor, double[][] observations, int from, int to) {
        AnnController ann = new AnnController(actor);
        double[][] out = new double[to - from][actor.actionSize()];
        for (int k = from; k < to; k++) {
            ann.act(observations[k], out[k - from]);
        }
        return out;
    }
}
