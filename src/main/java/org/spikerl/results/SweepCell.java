package org.spikerl.results;

import java.util.Map;
import org.spikerl.convert.ConversionConfig;

/**
 * One evaluated cell of a sweep: a conversion (null for the ANN baseline) and its run, compared
 * with the ANN's on the same seeds.
 *
 * @param conversion the conversion that built the network (the tuner's choice for tuned rows); null for the ANN
 * @param t0 delay in timesteps the network used (0 for the ANN)
 * @param run the cell's run
 * @param vsAnn APR against the sweep's ANN run (for the ANN itself: 1)
 * @param tuning the tuner's search and choice, or null when not tuned
 */
public record SweepCell(ConversionConfig conversion, int t0, RunSummary run, Comparison vsAnn,
                        Map<String, Object> tuning) {

    public String controller() {
        return conversion == null ? "ann" : "snn";
    }

    public boolean isAnn() {
        return conversion == null;
    }

    public double apr() {
        return vsAnn.apr();
    }
}
