package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Delay;
import org.spikerl.convert.DelayReduction;
import org.spikerl.convert.ThresholdMethod;
import org.spikerl.run.SnnOptions;
import org.spikerl.snn.NeuronModel;
import org.spikerl.snn.NeuronPlan;
import org.spikerl.tune.TuneSettings;
import picocli.CommandLine;

/**
 * The tuning rules of the conversion options ({@link SnnArgs}), parsed by picocli through the
 * real commands without running them (no bridge, no Python).
 */
class SnnArgsTest {

    /** {@code convert --env E --policy P --out O args...}, parsed; convert always converts. */
    private static SnnOptions convert(String... args) {
        ConvertCommand c = new ConvertCommand();
        List<String> all = new ArrayList<>(List.of("--env", "Hopper-v4", "--policy", "a.pt", "--out", "x.ctrl"));
        all.addAll(List.of(args));
        new CommandLine(c).parseArgs(all.toArray(String[]::new));
        c.snn.snn = true; // as ConvertCommand.call does
        return c.snn.options();
    }

    /** {@code eval --env E --policy P args...}, parsed; the mixin. */
    private static SnnArgs eval(String... args) {
        EvalCommand c = new EvalCommand();
        List<String> all = new ArrayList<>(List.of("--env", "Hopper-v4", "--policy", "a.pt"));
        all.addAll(List.of(args));
        new CommandLine(c).parseArgs(all.toArray(String[]::new));
        return c.snn;
    }

    private static String refused(String... args) {
        return assertThrows(SpikerlException.class, () -> convert(args)).getMessage();
    }

    @Test
    void tuningIsOnByDefaultWithTheDefaultSearch() {
        SnnOptions o = convert();
        assertEquals(TuneSettings.DEFAULTS, o.tune());
        assertEquals(ConversionConfig.DEFAULTS, o.conversion());
        assertEquals(SnnOptions.DEFAULT_CALIBRATION_STEPS, o.calibrationSteps());
        assertEquals(SnnOptions.DEFAULT_CALIBRATION_SEED, o.calibrationSeed());
    }

    /** T, the calibration rollouts and the tuner's own options do not fix the conversion: still tuned. */
    @Test
    void optionsOutsideTheConversionKeepTheTuningDefault() {
        SnnOptions o = convert("--timesteps", "4", "--calibration-steps", "2000", "--calibration-seed", "7");
        assertNotNull(o.tune());
        assertEquals(4, o.conversion().timesteps());
        assertEquals(2000, o.calibrationSteps());
        assertEquals(7, o.calibrationSeed());
        assertEquals(new Delay.Fixed(0), convert("--timesteps", "1").conversion().delay(), "base delay fits T = 1");

        TuneSettings t = convert("--tune-budget", "10", "--tune-seed", "2000", "--max-energy-ratio", "0.5").tune();
        assertEquals(10, t.budgetEpisodes());
        assertEquals(2000, t.seed());
        assertEquals(0.5, t.maxEnergyRatio(), 0.0);
        assertEquals(TuneSettings.DEFAULTS.neurons(), t.neurons());
        assertEquals(TuneSettings.DEFAULTS.alphas(), t.alphas());
    }

    /** Any conversion option turns tuning off (the fixed defaults fill the rest). */
    @Test
    void anyConversionOptionTurnsTuningOff() {
        String[][] options = {{"--threshold", "max:layer"}, {"--delay", "2"}, {"--alpha", "0.3"}, {"--neuron", "mt:2"},
            {"--calibrate", "bias"}, {"--v0", "0.25"}, {"--delay-reduction", "median"}};
        for (String[] o : options) {
            assertNull(convert(o).tune(), String.join(" ", o));
        }
        ConversionConfig c = convert("--alpha", "0.3", "--neuron", "if,mt:3", "--calibrate", "bias").conversion();
        assertEquals(ConversionConfig.DEFAULTS.withAlpha(0.3).withNeuron(NeuronPlan.parse("if,mt:3"))
                .withCalibration(BiasCalibration.BIAS), c);
        assertEquals(DelayReduction.MEDIAN, convert("--delay-reduction", "median").conversion().delayReduction());
    }

    @Test
    void noTuneKeepsTheFixedDefaults() {
        SnnOptions o = convert("--no-tune");
        assertNull(o.tune());
        assertEquals(ConversionConfig.DEFAULTS, o.conversion());
        assertEquals(ConversionConfig.forTimesteps(4), convert("--no-tune", "--timesteps", "4").conversion());
    }

    /** With --tune, a conversion option given pins its axis to that one value; the other axes keep the search. */
    @Test
    void pinnedAxesBecomeSingletonSearchLists() {
        TuneSettings d = TuneSettings.DEFAULTS;
        TuneSettings alpha = convert("--tune", "--alpha", "0.3").tune();
        assertEquals(List.of(0.3), alpha.alphas());
        assertEquals(d.neurons(), alpha.neurons());
        assertEquals(d.thresholds(), alpha.thresholds());
        assertEquals(d.delays(), alpha.delays());
        assertEquals(d.calibrations(), alpha.calibrations());
        assertEquals(d.lastLayer(), alpha.lastLayer());

        TuneSettings neuron = convert("--tune", "--neuron", "if,mt:3").tune();
        assertEquals(List.of(NeuronPlan.parse("if,mt:3")), neuron.neurons());
        assertEquals(List.of(), neuron.lastLayer(), "a pinned neuron gets no last-layer variants");

        TuneSettings rest = convert("--tune", "--threshold", "taware:layer", "--delay", "auto", "--calibrate", "none",
                "--tune-budget", "10").tune();
        assertEquals(List.of(ThresholdMethod.parse("taware:layer")), rest.thresholds());
        assertEquals(List.of(Delay.AUTO), rest.delays());
        assertEquals(List.of(BiasCalibration.NONE), rest.calibrations());
        assertEquals(10, rest.budgetEpisodes());

        // --v0 and --delay-reduction are not searched: they go into the base config, and tuning stays on.
        SnnOptions v0 = convert("--tune", "--v0", "0.25");
        assertEquals(0.25, v0.conversion().v0Fraction(), 0.0);
        assertEquals(d.neurons(), v0.tune().neurons());
        assertEquals(List.of(NeuronPlan.uniform(NeuronModel.multiThreshold(2))),
                convert("--tune", "--neuron", "mt:2").tune().neurons());
    }

    @Test
    void contradictoryTuningOptionsAreRefused() {
        assertEquals("--tune and --no-tune exclude each other", refused("--tune", "--no-tune"));
        String needTuning = "--tune-budget, --tune-seed and --max-energy-ratio need tuning; drop --no-tune";
        assertEquals(needTuning, refused("--no-tune", "--tune-budget", "10"));
        assertEquals(needTuning, refused("--no-tune", "--tune-seed", "3"));
        assertEquals(needTuning, refused("--no-tune", "--max-energy-ratio", "0.5"));
        assertEquals("--tune-budget, --tune-seed and --max-energy-ratio need --tune when conversion options are given",
                refused("--alpha", "0.5", "--tune-budget", "10"));
        assertEquals("--tune-budget must be in 1..100000 episodes, got 0", refused("--tune-budget", "0"));
        assertEquals("--tune-seed must be >= 0, got -1", refused("--tune-seed", "-1"));
        assertEquals("--max-energy-ratio must be a finite number > 0, got 0.0", refused("--max-energy-ratio", "0"));
    }

    /** eval: conversion and tuning options need --snn; with --snn the same rules apply. */
    @Test
    void evalNeedsSnnForAnyOfThem() {
        assertFalse(eval().enabled(), "plain eval runs the ANN");
        for (String[] o : new String[][] {{"--tune"}, {"--no-tune"}, {"--tune-budget", "5"}, {"--timesteps", "4"},
            {"--alpha", "0.5"}, {"--calibration-steps", "100"}}) {
            SpikerlException e = assertThrows(SpikerlException.class, () -> eval(o).enabled(), String.join(" ", o));
            assertEquals("conversion options (--timesteps, --threshold, --delay, --alpha, --tune, ...) need --snn",
                    e.getMessage());
        }
        SnnArgs snn = eval("--snn");
        assertTrue(snn.enabled());
        assertEquals(TuneSettings.DEFAULTS, snn.options().tune(), "eval --snn tunes by default");
        assertNull(eval("--snn", "--no-tune").options().tune());
        assertNull(eval("--snn", "--neuron", "signed").options().tune());
        assertEquals(List.of(0.0), eval("--snn", "--tune", "--alpha", "0").options().tune().alphas());
    }

    /** diagnose converts without --snn (it sets it); --neuron if fixes the conversion: no tuning. */
    @Test
    void diagnoseFollowsTheSameRules() {
        DiagnoseCommand c = new DiagnoseCommand();
        new CommandLine(c).parseArgs("--env", "Hopper-v4", "--policy", "a.pt", "--neuron", "if", "--timesteps", "8");
        c.snn.snn = true;
        assertNull(c.snn.options().tune());
        assertEquals(NeuronPlan.IF, c.snn.options().conversion().neuron());
    }
}
