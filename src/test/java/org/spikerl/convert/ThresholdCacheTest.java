package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.snn.NeuronPlan;

/** The cache returns exactly what the converter computes, sharing per-layer T-aware searches. */
class ThresholdCacheTest {

    private static CalibrationSet set() {
        Actor actor = SyntheticActors.random(7, 5, 16, 12, 3);
        Random r = new Random(11);
        double[][] obs = new double[200][5];
        for (double[] o : obs) {
            for (int i = 0; i < o.length; i++) {
                o[i] = r.nextGaussian();
            }
        }
        return CalibrationSet.observe(actor, obs);
    }

    private static ConversionConfig config(String method, String plan, int t) {
        return ConversionConfig.DEFAULTS.withMethod(ThresholdMethod.parse(method)).withNeuron(NeuronPlan.parse(plan))
                .withTimesteps(t);
    }

    @Test
    void equalsTheConverterForEveryMethodAndPlan() {
        CalibrationSet set = set();
        ThresholdCache cache = new ThresholdCache(set);
        for (String method : new String[] {"max:neuron", "percentile:99:layer", "taware:neuron", "taware:layer"}) {
            for (String plan : new String[] {"if", "mt:2", "if,mt:4", "mt:2,mt:4", "signed"}) {
                for (int t : new int[] {2, 8}) {
                    ConversionConfig c = config(method, plan, t);
                    float[][] want = Converter.thresholds(set, c);
                    float[][] got = cache.get(c);
                    for (int l = 0; l < want.length; l++) {
                        assertArrayEquals(want[l], got[l], 0f, method + " " + plan + " T=" + t + " layer " + l);
                    }
                }
            }
        }
    }

    /** "if,mt:4" and "if" share layer 1's search (same quantiser), not layer 2's; another T shares nothing. */
    @Test
    void tAwareLayersWithTheSameQuantiserAreSearchedOnce() {
        ThresholdCache cache = new ThresholdCache(set());
        float[][] plain = cache.get(config("taware:neuron", "if", 8));
        float[][] finer = cache.get(config("taware:neuron", "if,mt:4", 8));
        assertSame(plain[0], finer[0]);
        assertNotSame(plain[1], finer[1]);
        float[][] otherT = cache.get(config("taware:neuron", "if", 4));
        assertNotSame(plain[0], otherT[0]);
        assertSame(plain, cache.get(config("taware:neuron", "if", 8)));
    }
}
