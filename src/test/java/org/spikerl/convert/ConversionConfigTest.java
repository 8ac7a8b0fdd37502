package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

class ConversionConfigTest {
    private final ConversionConfig d = ConversionConfig.DEFAULTS;

    @Test
    void defaults() {
        assertEquals(Map.of("method", "max:neuron", "timesteps", "8", "delay", "1", "delay_reduction", "mean",
                "alpha", "0.5", "v0_fraction", "0.5", "neuron", "if", "calibration", "none"), d.describe());
    }

    @Test
    void defaultsForShortLatenciesKeepTheDelayInsideT() {
        assertEquals("1", ConversionConfig.forTimesteps(2).describe().get("delay"));
        assertEquals("0", ConversionConfig.forTimesteps(1).describe().get("delay"));
        assertEquals("32", ConversionConfig.forTimesteps(32).describe().get("timesteps"));
        assertEquals("1", ConversionConfig.forTimesteps(32).describe().get("delay"));
    }

    @Test
    void validationNamesTheField() {
        assertEquals("conversion config: timesteps T must be >= 1, got 0", message(() -> d.withTimesteps(0)));
        assertEquals("conversion config: delay t0 must be in [0, T) = [0, 8), got 8",
                message(() -> d.withDelay(new Delay.Fixed(8))));
        assertEquals("delay: t0 must be >= 0, got -1", message(() -> new Delay.Fixed(-1)));
        assertEquals("conversion config: alpha must be in [0, 1], got 1.5", message(() -> d.withAlpha(1.5)));
        assertEquals("conversion config: alpha must be in [0, 1], got NaN", message(() -> d.withAlpha(Double.NaN)));
        assertEquals("conversion config: v0 fraction must be in [0, 1], got -0.1", message(() -> d.withV0Fraction(-0.1)));
        assertEquals("conversion config: method is missing", message(() -> d.withMethod(null)));
        assertEquals("delay 'soon': expected auto or a non-negative integer t0", message(() -> Delay.parse("soon")));
    }

    @Test
    void delayParses() {
        assertEquals(Delay.AUTO, Delay.parse("auto"));
        assertEquals(new Delay.Fixed(3), Delay.parse("3"));
        assertEquals(7, d.withTimesteps(16).withDelay(Delay.parse("7")).withDelay(new Delay.Fixed(7)).timesteps() - 9);
    }

    private static String message(Runnable r) {
        return assertThrows(SpikerlException.class, r::run).getMessage();
    }
}
