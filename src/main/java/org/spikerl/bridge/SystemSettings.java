package org.spikerl.bridge;

import java.util.OptionalLong;
import org.spikerl.SpikerlException;

/**
 * Settings of the bridge that come from a system property ({@code -D}, first) or an environment
 * variable, as the launcher and the tests pass them.
 */
final class SystemSettings {
    private SystemSettings() {
    }

    /**
     * The whole number in {@code [min, max]} given by the property (first) or the environment
     * variable; empty when neither is set or the one set is blank.
     *
     * @param expected what the one-line error says was expected, e.g. "a whole number of Python workers >= 1"
     * @throws SpikerlException naming the setting, its value and what was expected
     */
    static OptionalLong wholeNumber(String property, String propertyValue, String environment,
                                    String environmentValue, long min, long max, String expected) {
        String v = propertyValue;
        String from = "-D" + property;
        if (v == null) {
            v = environmentValue;
            from = environment;
        }
        if (v == null || v.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) {
                return OptionalLong.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SpikerlException(from + " is '" + v + "'; expected " + expected);
    }
}
