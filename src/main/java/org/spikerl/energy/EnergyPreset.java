package org.spikerl.energy;

/**
 * Prices operation counts (SPEC section 7). Counting lives in {@link OpCounts}.
 *
 * @param name preset name as SPEC writes it
 * @param pjPerMac energy of one 32-bit MAC in picojoules (ANN layers and the SNN's analog layer)
 * @param pjPerSop energy of one synaptic operation (an add) in picojoules
 */
public record EnergyPreset(String name, double pjPerMac, double pjPerSop) {
    /** Horowitz, ISSCC 2014, 45 nm: 4.6 pJ per 32-bit float MAC, 0.9 pJ per 32-bit float add. */
    public static final EnergyPreset HOROWITZ45 = new EnergyPreset("horowitz45", 4.6, 0.9);
    /** Bu et al., CVPR 2025, App. F: 12.5 pJ per FLOP (2 per MAC), 77 fJ per SOP. */
    public static final EnergyPreset BU2025 = new EnergyPreset("bu2025", 2 * 12.5, 0.077);

    public static final java.util.List<EnergyPreset> ALL = java.util.List.of(HOROWITZ45, BU2025);

    public double picojoules(double macs, double sops) {
        return macs * pjPerMac + sops * pjPerSop;
    }
}
