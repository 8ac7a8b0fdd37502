package org.spikerl.results;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A two-sided confidence interval of one statistic.
 *
 * @param low lower end
 * @param high upper end
 */
public record Interval(double low, double high) {
    /** {@code {"low": .., "high": ..}}, as the JSON outputs hold it. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("low", low);
        m.put("high", high);
        return m;
    }

    /** Half the width: what a "+-" after the point estimate would say if the interval were symmetric. */
    public double halfWidth() {
        return (high - low) / 2;
    }
}
