package org.spikerl.env;

/** Caller-owned buffers for one {@link VectorEnv#step}; reused across steps. */
public final class StepBatch {
    public final double[] observations;
    public final double[] rewards;
    public final boolean[] terminated;
    public final boolean[] truncated;

    public StepBatch(int size, int obsSize) {
        observations = new double[size * obsSize];
        rewards = new double[size];
        terminated = new boolean[size];
        truncated = new boolean[size];
    }
}
