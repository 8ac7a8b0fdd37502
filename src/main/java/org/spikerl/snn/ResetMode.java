package org.spikerl.snn;

/**
 * What an IF neuron does to its membrane after a spike. SPEC section 3 uses only reset by
 * subtraction (the "soft reset" of [Bu Eq. 2-4]); the enum names the mode so a reader never has to
 * guess it from a boolean.
 */
public enum ResetMode {
    /** {@code v -= s * theta}: the charge above threshold is kept for the next timestep. */
    SUBTRACT
}
