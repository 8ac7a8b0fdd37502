package org.spikerl.convert;

import org.spikerl.snn.NeuronModel;

/**
 * How a spiking neuron at latency {@code T} quantises an activation {@code a >= 0} over one control
 * step, as a function of its threshold {@code V}: the model the T-aware threshold search minimises
 * the error of (SPEC 10, [Cal] Li et al. ICML 2021, Eq. for the flooring and clipping error).
 * <pre>
 *   q(a; V) = (V / S) clip(floor(a S / V + f), 0, Q)
 * </pre>
 * with {@code S} = quantisation steps per theta ({@link NeuronModel#stepsPerTheta}: {@code T} for IF
 * and signed neurons, {@code T 2^(N-1)} for {@code mt:N} and {@code mt:N@P}), {@code Q} the largest
 * number of steps one control step can emit ({@code T}, {@code T (2^N - 1)}, or {@code (T / P) (2^N - 1)},
 * which is below {@code S} for {@code P >= 2}: such a neuron cannot send {@code theta} per timestep)
 * and {@code f} the start potential as a fraction of the unit ({@code v0Fraction}).
 *
 * <p>Where this differs from SPEC 10: SPEC (after [Cal]) writes {@code floor(a T / V)}, the
 * quantiser of a neuron that starts at {@code v = 0}. An IF neuron that starts at {@code theta/2}
 * (SPEC 3's default) rounds instead: a constant input {@code a} fires {@code floor(a T / theta + 1/2)}
 * times. The offset {@code f} models the neuron that is simulated; with {@code v0Fraction = 0} this
 * is SPEC's formula exactly.
 *
 * @param stepsPerTheta {@code S >= 1}
 * @param maxSteps {@code Q >= 1}
 * @param offset {@code f} in {@code [0, 1]}
 */
public record Quantiser(int stepsPerTheta, int maxSteps, double offset) {

    /** The quantisers of a conversion's hidden layers: its T, each layer's neuron model, its start potential. */
    public static java.util.List<Quantiser> of(ConversionConfig c, int hidden) {
        java.util.List<Quantiser> q = new java.util.ArrayList<>();
        for (int l = 0; l < hidden; l++) {
            q.add(of(c.neuron().layer(l, hidden), c.timesteps(), c.v0Fraction()));
        }
        return q;
    }

    /** The quantiser of neuron model {@code n} at latency {@code timesteps}, start potential {@code v0Fraction}. */
    public static Quantiser of(NeuronModel n, int timesteps, double v0Fraction) {
        return new Quantiser(n.stepsPerTheta(timesteps), n.maxStepsPerControlStep(timesteps), v0Fraction);
    }

    /** {@code q(a; V)} in double. */
    public double quantise(double a, double v) {
        double n = Math.floor(a * stepsPerTheta / v + offset);
        n = n < 0 ? 0 : (n > maxSteps ? maxSteps : n);
        return v * n / stepsPerTheta;
    }

    /**
     * {@link #quantise} in two parts, for evaluating one {@code V} on many activations: the clipped
     * step count {@code clip(floor(aS / V + f), 0, Q)} of {@code aS = a * S} (the same double
     * operations as {@code quantise}; without branches), so that
     * {@code quantise(a, v) == levels(v, table)[steps(a * S, v)]} bit for bit for finite {@code a}
     * and {@code v > 0} (a NaN quotient gives step 0 here, NaN there).
     */
    public int steps(double aTimesSteps, double v) {
        return Math.min(Math.max((int) Math.floor(aTimesSteps / v + offset), 0), maxSteps);
    }

    /** {@code out[n] = V n / S} for {@code n = 0..Q}, the values {@link #quantise} returns; {@code out.length > Q}. */
    public double[] levels(double v, double[] out) {
        for (int n = 0; n <= maxSteps; n++) {
            out[n] = v * (double) n / stepsPerTheta;
        }
        return out;
    }
}
