package org.spikerl.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

class CalibrationSetTest {

    @Test
    void storesInputsAndPreActivationsSampleMajor() {
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), TinyActors.FIVE);
        assertEquals(5, set.size());
        assertEquals(2, set.hiddenLayers());
        assertArrayEquals(new float[] {1, 0.5f, 2, 0, 3, -2, 4, 8, -1, 2}, set.inputs());
        assertArrayEquals(new float[] {1, 0.5f, 2, 0, 3, -2, 4, 8, -1, 2}, set.preActivations(0));
        assertArrayEquals(new float[] {0.5f, 1, 2, 11, 1}, set.preActivations(1));
    }

    /** mean ReLU(z): n0 = (1+2+3+4+0)/5 = 2, n1 = (.5+0+0+8+2)/5 = 2.1; layer 2 = (.5+1+2+11+1)/5 = 3.1. */
    @Test
    void meanReluPerNeuron() {
        CalibrationSet set = CalibrationSet.observe(TinyActors.identityFirst(), TinyActors.FIVE);
        assertArrayEquals(new double[] {2.0, 2.1}, set.meanRelu(0), 1e-12);
        assertArrayEquals(new double[] {3.1}, set.meanRelu(1), 1e-12);
    }

    @Test
    void badObservationsAreNamed() {
        var actor = TinyActors.identityFirst();
        assertEquals("calibration observation 1 has 3 values, expected 2",
                assertThrows(SpikerlException.class,
                        () -> CalibrationSet.observe(actor, new double[][] {{1, 2}, {1, 2, 3}})).getMessage());
        assertEquals("calibration observation 0 entry 1 is NaN, expected a finite number",
                assertThrows(SpikerlException.class,
                        () -> CalibrationSet.observe(actor, new double[][] {{1, Double.NaN}})).getMessage());
        assertEquals("calibration set: no observations given, expected at least 1",
                assertThrows(SpikerlException.class,
                        () -> CalibrationSet.observe(actor, new double[0][])).getMessage());
    }
}
