package org.spikerl.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

class BootstrapTest {

    private static double[] doubles(JsonNode a) {
        double[] x = new double[a.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = a.get(i).asDouble();
        }
        return x;
    }

    /**
     * The Walker2d-like case of envs/interval_reference.py: numpy's bootstrap (its own generator,
     * numpy.percentile) and this one agree on both ends of both intervals within four Monte Carlo
     * standard deviations of a single 10,000-resample bootstrap, as the script measured them.
     */
    @Test
    void agreesWithTheNumpyReference() throws IOException {
        JsonNode ref = new ObjectMapper().readTree(Path.of("src/test/resources/reference/interval_walker2d.json")
                .toFile());
        double[] ann = doubles(ref.get("ann_returns"));
        double[] snn = doubles(ref.get("snn_returns"));
        assertEquals(ref.get("resamples").asInt(), Bootstrap.DEFAULTS.resamples());
        Interval mean = Bootstrap.DEFAULTS.mean(snn);
        Interval apr = Bootstrap.DEFAULTS.ratioOfMeans(snn, ann);
        // sqrt(1 + 1/repeats): the reference is itself an average of that many bootstraps.
        double k = 4 * Math.sqrt(1 + 1.0 / ref.get("repeats").asInt());
        JsonNode m = ref.get("snn_mean_ci95");
        assertEquals(m.get("low").asDouble(), mean.low(), k * m.get("low_mc_sd").asDouble());
        assertEquals(m.get("high").asDouble(), mean.high(), k * m.get("high_mc_sd").asDouble());
        JsonNode a = ref.get("apr_ci95");
        assertEquals(a.get("low").asDouble(), apr.low(), k * a.get("low_mc_sd").asDouble());
        assertEquals(a.get("high").asDouble(), apr.high(), k * a.get("high_mc_sd").asDouble());
        assertEquals(ref.get("snn_iqm").asDouble(), Bootstrap.iqm(snn), 1e-9);
        assertEquals(ref.get("snn_mean").asDouble(), ReturnStats.of(snn, Bootstrap.DEFAULTS).mean(), 1e-9);
    }

    @Test
    void sameSeedSameInterval() {
        double[] x = {1, 5, 2, 8, 3, 9, 4};
        assertEquals(Bootstrap.DEFAULTS.mean(x), Bootstrap.DEFAULTS.mean(x));
        Interval other = new Bootstrap(Bootstrap.DEFAULT_RESAMPLES, 7, 0.95).mean(x);
        assertNotEquals(Bootstrap.DEFAULTS.mean(x), other);
    }

    @Test
    void intervalHoldsTheMeanAndNarrowsWithTheLevel() {
        double[] x = {10, 12, 9, 11, 30, 10, 8, 12, 11, 9};
        double mean = 12.2;
        Interval i95 = Bootstrap.DEFAULTS.mean(x);
        Interval i50 = new Bootstrap(Bootstrap.DEFAULT_RESAMPLES, 0, 0.5).mean(x);
        assertTrue(i95.low() < mean && mean < i95.high(), i95.toString());
        assertTrue(i95.low() < i50.low() && i50.high() < i95.high(), i95 + " vs " + i50);
        // No resample's mean can leave the sample's range.
        assertTrue(i95.low() >= 8 && i95.high() <= 30, i95.toString());
    }

    /** Pairs resampled together: an SNN that scores exactly 0.9 of the ANN on every seed has APR 0.9, no spread. */
    @Test
    void pairedRatioCancelsWhatTheSeedDecides() {
        double[] ann = {1000, 3000, 500, 2500, 4000, 1500};
        double[] snn = new double[ann.length];
        for (int i = 0; i < ann.length; i++) {
            snn[i] = 0.9 * ann[i];
        }
        Interval apr = Bootstrap.DEFAULTS.ratioOfMeans(snn, ann);
        assertEquals(0.9, apr.low(), 1e-12);
        assertEquals(0.9, apr.high(), 1e-12);
    }

    @Test
    void fewerThanTwoEpisodesHaveNoInterval() {
        assertNull(Bootstrap.DEFAULTS.mean(new double[] {3}));
        assertNull(Bootstrap.DEFAULTS.ratioOfMeans(new double[] {3}, new double[] {4}));
        assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.DEFAULTS.ratioOfMeans(new double[] {1, 2}, new double[] {1, 2, 3}));
        assertThrows(SpikerlException.class, () -> new Bootstrap(10, 0, 0.95));
        assertThrows(SpikerlException.class, () -> new Bootstrap(1000, 0, 1.0));
    }

    /** By hand: n = 10 cuts floor(10 / 4) = 2 from each end; n = 3 cuts none. */
    @Test
    void interquartileMeanByHand() {
        assertEquals((3 + 4 + 5 + 6 + 7 + 8) / 6.0, Bootstrap.iqm(new double[] {10, 1, 9, 2, 8, 3, 7, 4, 6, 5}), 0);
        assertEquals(2.0, Bootstrap.iqm(new double[] {3, 1, 2}), 0);
        assertEquals((2 + 3) / 2.0, Bootstrap.iqm(new double[] {100, 2, 3, -50}), 0);
        assertTrue(Double.isNaN(Bootstrap.iqm(new double[0])));
    }
}
