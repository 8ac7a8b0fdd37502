package org.spikerl.energy;

import java.util.ArrayList;
import java.util.List;

/**
 * Energy per control step of an SNN and of the ANN it came from, under one price preset
 * (SPEC section 7):
 * <pre>
 *   E_snn = MACs_snn * pJ/MAC + SOPs * pJ/SOP     (MACs of the analog first layer only)
 *   E_ann = MACs_ann * pJ/MAC                     (MACs_ann = sum over layers of in_l * out_l)
 *   ratio = E_snn / E_ann
 * </pre>
 * Neuron updates are counted but not priced, as SPEC says. Per episode: multiply by the episode's
 * control steps ({@link #snnPjPerEpisode}).
 *
 * @param preset the price list
 * @param snnMacsPerStep MACs per control step of the SNN
 * @param snnSopsPerStep synaptic operations per control step of the SNN
 * @param annMacsPerStep MACs per control step of the ANN (one forward pass)
 */
public record EnergyReport(EnergyPreset preset, double snnMacsPerStep, double snnSopsPerStep, double annMacsPerStep) {

    /** From an SNN controller's counters and the ANN's MACs per forward pass ({@code Actor.macs()}). */
    public static EnergyReport of(EnergyPreset preset, OpCounts snn, long annMacsPerStep) {
        return new EnergyReport(preset, snn.macsPerStep(), snn.sopsPerStep(), annMacsPerStep);
    }

    /** One report per preset in {@link EnergyPreset#ALL}, in that order. */
    public static List<EnergyReport> forAllPresets(OpCounts snn, long annMacsPerStep) {
        List<EnergyReport> reports = new ArrayList<>();
        for (EnergyPreset p : EnergyPreset.ALL) {
            reports.add(of(p, snn, annMacsPerStep));
        }
        return reports;
    }

    /** SNN energy per control step in picojoules. */
    public double snnPjPerStep() {
        return preset.picojoules(snnMacsPerStep, snnSopsPerStep);
    }

    /** ANN energy per control step in picojoules. */
    public double annPjPerStep() {
        return preset.picojoules(annMacsPerStep, 0);
    }

    /** SNN energy over ANN energy, per control step. */
    public double ratio() {
        return snnPjPerStep() / annPjPerStep();
    }

    public double snnPjPerEpisode(long controlSteps) {
        return snnPjPerStep() * controlSteps;
    }

    public double annPjPerEpisode(long controlSteps) {
        return annPjPerStep() * controlSteps;
    }
}
