package org.spikerl.env;

/**
 * {@code size()} copies of one environment stepped together, so a bridge round trip is paid once
 * per batch. Slots are independent: each runs its own episode with its own seed.
 * Buffers are caller-owned and flat: slot k's observation is at {@code [k * obsSize, (k+1) * obsSize)}.
 */
public interface VectorEnv extends AutoCloseable {

    EnvSpec spec();

    int size();

    /**
     * Resets every slot k with {@code mask[k]} using {@code seeds[k]} and writes its first
     * observation into {@code obsOut}; other slots' observations are left as they are.
     */
    void reset(boolean[] mask, long[] seeds, double[] obsOut);

    /**
     * Steps every slot k with {@code mask[k]} using its action from {@code actions}
     * ({@code size() * actSize}, flat) and writes the result into {@code out}.
     */
    void step(boolean[] mask, double[] actions, StepBatch out);

    /**
     * Groups of consecutive slots that step independently (one per process of the backend), so
     * that a loop can compute the actions of one slice while another steps; 1 by default.
     */
    default int slices() {
        return 1;
    }

    /** First slot of {@code slice}; a slice ends where the next starts, the last at {@code size()}. */
    default int sliceStart(int slice) {
        return 0;
    }

    /**
     * Starts stepping the masked slots of {@code slice} (their actions in {@code actions}, flat as
     * for {@link #step}); {@link #endStep} of the same slice must follow, with the same buffers,
     * before the results in {@code out} are read and before the slice is begun again. Slices are
     * begun in order and ended in the order they were begun, round after round; a slice may be
     * begun again while later slices are still stepping, and {@link #reset} may be called for the
     * slots of a slice that is not stepping while others are. By default (one slice) this is
     * {@link #step}.
     */
    default void beginStep(int slice, boolean[] mask, double[] actions, StepBatch out) {
        step(mask, actions, out);
    }

    /** Finishes {@link #beginStep} of {@code slice}: its results are in {@code out}. */
    default void endStep(int slice, boolean[] mask, StepBatch out) {
    }

    /**
     * Seconds of wall time spent inside the environments' own step since this env was opened,
     * summed over the processes that step them, where the backend measures it; NaN otherwise.
     * For benchmarks: the rest of a step call's time is transport.
     */
    default double simulationSeconds() {
        return Double.NaN;
    }

    @Override
    void close();
}
