package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.SyntheticActors;
import org.spikerl.snn.SpikingActor;

class ConverterTest {
    private final CalibrationSet five = CalibrationSet.observe(TinyActors.identityFirst(), TinyActors.FIVE);

    /**
     * max:neuron on {@link TinyActors#FIVE}: theta1 = [4, 8], theta2 = [11]; v0 = theta/2.
     * mean ReLU: layer 1 [2, 2.1] (fastest 2.1), layer 2 [3.1].
     * MEAN reduction: (2 + 4)/2 / 2.1 + 5.5 / 3.1 = 1.428571 + 1.774194 = 3.202765.
     * T = 16 >= 7.2: t0 = round(3.2) = 3.   T = 6 < 7.2: t0 = 6 - 4 = 2.
     */
    @Test
    void convertsWithAutoDelay() {
        ConversionConfig config = ConversionConfig.DEFAULTS.withTimesteps(16).withDelay(Delay.AUTO).withAlpha(0.5);
        assertEquals(3.2027650, Converter.delayEstimate(five, new float[][] {{4, 8}, {11}}, config), 1e-6);
        SpikingActor net = Converter.convert(five.actor(), five, config);
        assertArrayEquals(new float[] {4, 8}, net.thresholds(0));
        assertArrayEquals(new float[] {11}, net.thresholds(1));
        assertArrayEquals(new float[] {2, 4}, net.initialPotentials(0));
        assertEquals(16, net.timesteps());
        assertEquals(3, net.delay());
        assertEquals(0.5f, net.alpha());
        assertEquals(2, Converter.convert(five.actor(), five, config.withTimesteps(6)).delay());
    }

    @Test
    void fixedDelayAndMethodFromConfig() {
        ConversionConfig config = ConversionConfig.DEFAULTS.withDelay(new Delay.Fixed(5))
                .withMethod(ThresholdMethod.parse("max:layer")).withV0Fraction(0.25);
        SpikingActor net = Converter.convert(five.actor(), five, config);
        assertEquals(5, net.delay());
        assertEquals(1, Converter.convert(five.actor(), five, ConversionConfig.DEFAULTS).delay(), "default t0 = 1");
        assertArrayEquals(new float[] {8, 8}, net.thresholds(0));
        assertArrayEquals(new float[] {2, 2}, net.initialPotentials(0));
    }

    @Test
    void calibrationSetMustBelongToTheActor() {
        var other = SyntheticActors.random(1, 2, 2, 1, 1);
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> Converter.convert(other, five, ConversionConfig.DEFAULTS));
        assertTrue(e.getMessage().startsWith("conversion: the calibration set was observed with another actor"));
    }
}
