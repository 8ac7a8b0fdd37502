package org.spikerl.convert;

import org.spikerl.SpikerlException;

/**
 * The readout delay {@code t0} of SPEC section 5: estimated from calibration data ({@code auto})
 * or fixed. CLI syntax: {@code auto} or a non-negative integer.
 */
public sealed interface Delay permits Delay.Auto, Delay.Fixed {

    Delay AUTO = new Auto();

    /** {@code t0 = 0}: average over all T timesteps (the [CRPI] readout). */
    Delay NONE = new Fixed(0);

    /** {@code auto} or the integer. */
    String spec();

    static Delay parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("auto")) {
            return AUTO;
        }
        try {
            return new Fixed(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            throw new SpikerlException("delay '" + text + "': expected auto or a non-negative integer t0");
        }
    }

    /** {@code t0} from {@link DelayEstimator}. */
    record Auto() implements Delay {
        @Override
        public String spec() {
            return "auto";
        }
    }

    /** A fixed {@code t0 >= 0} (must also be {@code < T}; {@link ConversionConfig} checks). */
    record Fixed(int t0) implements Delay {
        public Fixed {
            if (t0 < 0) {
                throw new SpikerlException("delay: t0 must be >= 0, got " + t0);
            }
        }

        @Override
        public String spec() {
            return Integer.toString(t0);
        }
    }
}
