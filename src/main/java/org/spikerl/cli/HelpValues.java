package org.spikerl.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.stream.Collectors;
import org.spikerl.convert.BiasCalibration;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.DelayReduction;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.run.SnnOptions;
import org.spikerl.sweep.SweepEngine;
import org.spikerl.tune.TuneSettings;

/**
 * The defaults and allowed values that help texts show, read from where they are defined
 * ({@link ConversionConfig#DEFAULTS}, {@link SnnOptions#DEFAULTS}, {@link TuneSettings#DEFAULTS},
 * the enums), never written out again: option descriptions refer to them as
 * {@code ${bundle:default.alpha}}. Keys never equal an option's name, so picocli does not take
 * them for descriptions.
 */
public final class HelpValues extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        ConversionConfig c = ConversionConfig.DEFAULTS;
        SnnOptions s = SnnOptions.DEFAULTS;
        TuneSettings t = TuneSettings.DEFAULTS;
        List<Object[]> m = new ArrayList<>();
        m.add(new Object[] {"default.timesteps", Integer.toString(c.timesteps())});
        m.add(new Object[] {"default.threshold", c.method().spec()});
        m.add(new Object[] {"default.delay", c.delay().spec()});
        m.add(new Object[] {"default.delay-reduction", c.delayReduction().cliName()});
        m.add(new Object[] {"allowed.delay-reduction",
            Arrays.stream(DelayReduction.values()).map(DelayReduction::cliName).collect(Collectors.joining(", "))});
        m.add(new Object[] {"default.alpha", Double.toString(c.alpha())});
        m.add(new Object[] {"default.v0", Double.toString(c.v0Fraction())});
        m.add(new Object[] {"default.neuron", c.neuron().spec()});
        m.add(new Object[] {"default.calibrate", c.calibration().cliName()});
        m.add(new Object[] {"allowed.calibrate",
            Arrays.stream(BiasCalibration.values()).map(BiasCalibration::cliName).collect(Collectors.joining(", "))});
        m.add(new Object[] {"default.calibration-steps", Integer.toString(s.calibrationSteps())});
        m.add(new Object[] {"default.calibration-seed", Long.toString(s.calibrationSeed())});
        m.add(new Object[] {"default.tune-budget", Integer.toString(t.budgetEpisodes())});
        m.add(new Object[] {"default.tune-seed", Long.toString(t.seed())});
        m.add(new Object[] {"default.max-energy-ratio", Double.toString(t.maxEnergyRatio())});
        m.add(new Object[] {"tune.neurons", t.neurons().stream().map(n -> n.spec()).collect(Collectors.joining(", "))});
        m.add(new Object[] {"tune.thresholds",
            t.thresholds().stream().map(x -> x.spec()).collect(Collectors.joining(", "))});
        m.add(new Object[] {"tune.delays", t.delays().stream().map(x -> x.spec()).collect(Collectors.joining(", "))});
        m.add(new Object[] {"tune.alphas", t.alphas().stream().map(String::valueOf).collect(Collectors.joining(", "))});
        m.add(new Object[] {"energy.headline", EnergyPreset.ALL.get(0).name()});
        m.add(new Object[] {"default.engine", SweepEngine.LOCAL});
        m.add(new Object[] {"found.engines", SweepEngine.names().stream().collect(Collectors.joining(", "))});
        return m.toArray(new Object[0][]);
    }
}
