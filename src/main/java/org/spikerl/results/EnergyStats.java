package org.spikerl.results;

import java.util.ArrayList;
import java.util.List;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.energy.EnergyReport;
import org.spikerl.energy.OpCounts;

/**
 * Operation counts per control step of one run and their price under every preset of
 * {@link EnergyPreset#ALL} (SPEC section 7), next to the ANN of the same actor. Writers take the
 * preset list from here, so a new preset appears in every output without touching them.
 *
 * @param macsPerStep MACs per control step of the run's controller
 * @param sopsPerStep synaptic operations per control step
 * @param neuronUpdatesPerStep neuron updates per control step (counted, not priced)
 * @param annMacsPerStep MACs of one ANN forward pass of the same actor
 * @param presets one price per preset, in {@link EnergyPreset#ALL} order
 */
public record EnergyStats(double macsPerStep, double sopsPerStep, double neuronUpdatesPerStep,
                          long annMacsPerStep, List<Priced> presets) {

    /**
     * @param pjPerStep the run's controller, picojoules per control step
     * @param annPjPerStep the ANN of the same actor, picojoules per control step
     * @param ratio {@code pjPerStep / annPjPerStep} (1 for an ANN run)
     * @param pjPerEpisode {@code pjPerStep} times the mean episode length in control steps
     */
    public record Priced(EnergyPreset preset, double pjPerStep, double annPjPerStep, double ratio,
                         double pjPerEpisode) {
    }

    /** @param annMacsPerStep MACs of one ANN forward pass of the same actor ({@code Actor.macs()}) */
    public static EnergyStats of(OpCounts counts, long annMacsPerStep, double meanEpisodeLength) {
        return of(counts.macsPerStep(), counts.sopsPerStep(), counts.neuronUpdatesPerStep(), annMacsPerStep,
                meanEpisodeLength);
    }

    /** From counts per control step (as a results file holds them), priced under every preset. */
    public static EnergyStats of(double macsPerStep, double sopsPerStep, double neuronUpdatesPerStep,
                                 long annMacsPerStep, double meanEpisodeLength) {
        List<Priced> priced = new ArrayList<>();
        for (EnergyPreset p : EnergyPreset.ALL) {
            EnergyReport r = new EnergyReport(p, macsPerStep, sopsPerStep, annMacsPerStep);
            priced.add(new Priced(p, r.snnPjPerStep(), r.annPjPerStep(), r.ratio(),
                    r.snnPjPerStep() * meanEpisodeLength));
        }
        return new EnergyStats(macsPerStep, sopsPerStep, neuronUpdatesPerStep, annMacsPerStep, List.copyOf(priced));
    }

    /** The price under {@code preset}. */
    public Priced under(EnergyPreset preset) {
        for (Priced p : presets) {
            if (p.preset().equals(preset)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no energy for preset " + preset.name());
    }

    /** The preset plots and one-line reports use: the first of {@link EnergyPreset#ALL}. */
    public static EnergyPreset headline() {
        return EnergyPreset.ALL.get(0);
    }
}
