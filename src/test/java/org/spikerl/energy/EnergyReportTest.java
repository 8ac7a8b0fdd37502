package org.spikerl.energy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class EnergyReportTest {
    /**
     * Two control steps of 2 MACs and 18 SOPs each; the ANN has 8 MACs per step.
     * <pre>
     * horowitz45: SNN 2*4.6 + 18*.9 = 25.4 pJ,  ANN 8*4.6 = 36.8 pJ,  ratio .690217
     * bu2025:     SNN 2*25 + 18*.077 = 51.386,  ANN 8*25 = 200,        ratio .25693
     * </pre>
     */
    @Test
    void energyPerStepAndRatio() {
        OpCounts c = new OpCounts(new int[] {2, 2});
        c.addControlStep(2, 18, 16, 4);
        c.addControlStep(2, 18, 16, 4);
        List<EnergyReport> reports = EnergyReport.forAllPresets(c, 8);
        EnergyReport h = reports.get(0);
        assertEquals("horowitz45", h.preset().name());
        assertEquals(25.4, h.snnPjPerStep(), 1e-9);
        assertEquals(36.8, h.annPjPerStep(), 1e-9);
        assertEquals(25.4 / 36.8, h.ratio(), 1e-12);
        assertEquals(25400, h.snnPjPerEpisode(1000), 1e-6);
        EnergyReport b = reports.get(1);
        assertEquals("bu2025", b.preset().name());
        assertEquals(51.386, b.snnPjPerStep(), 1e-9);
        assertEquals(200, b.annPjPerStep(), 1e-9);
        assertEquals(0.25693, b.ratio(), 1e-9);
    }
}
