package org.spikerl.results.format;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How text outputs write numbers: in full (they read back to the same double), integers without ".0". */
final class Numbers {
    private Numbers() {
    }

    /** Full precision: {@link Double#toString}, which reads back to the same double; "" for NaN. */
    static String full(double x) {
        if (Double.isNaN(x)) {
            return "";
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return Double.toString(x);
    }

    /** For people: {@code digits} after the point. */
    static String fixed(double x, int digits) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", x);
    }

    static String joined(double[] xs, String sep) {
        return Arrays.stream(xs).mapToObj(Numbers::full).collect(Collectors.joining(sep));
    }

    /** A CSV field: quoted when it holds a comma or a quote. */
    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** NaN as JSON null. */
    static Double orNull(double x) {
        return Double.isNaN(x) ? null : x;
    }
}
