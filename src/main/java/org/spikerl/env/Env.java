package org.spikerl.env;

/** A single environment: the familiar Gymnasium shape, {@code reset(seed)} and {@code step(action)}. */
public interface Env extends AutoCloseable {

    EnvSpec spec();

    double[] reset(long seed);

    Step step(double[] action);

    @Override
    void close();

    /** The result of one {@link #step}. */
    record Step(double[] observation, double reward, boolean terminated, boolean truncated) {
    }
}
