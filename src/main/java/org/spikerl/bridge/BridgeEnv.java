package org.spikerl.bridge;

import org.spikerl.env.Env;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.StepBatch;

/**
 * One Gymnasium environment through the bridge: a {@link BridgeVectorEnv} of one slot with the
 * familiar {@code reset(seed)} / {@code step(action)} shape. Each call returns fresh arrays (the
 * {@link Env} contract); hot loops should use the vector env and its reused buffers.
 */
public final class BridgeEnv implements Env {
    private final BridgeVectorEnv vector;
    private final boolean[] oneSlot = {true};
    private final long[] seed = new long[1];
    private final double[] obs;
    private final StepBatch batch;

    BridgeEnv(BridgeVectorEnv vector) {
        this.vector = vector;
        this.obs = new double[vector.spec().observationSpace().size()];
        this.batch = new StepBatch(1, obs.length);
    }

    /** Starts a bridge of its own with {@link BridgeOptions#defaults()}; {@link #close()} closes it. */
    public static BridgeEnv open(String envId) {
        return new BridgeEnv(BridgeVectorEnv.open(envId, 1));
    }

    @Override
    public EnvSpec spec() {
        return vector.spec();
    }

    @Override
    public double[] reset(long episodeSeed) {
        seed[0] = episodeSeed;
        vector.reset(oneSlot, seed, obs);
        return obs.clone();
    }

    @Override
    public Step step(double[] action) {
        vector.step(oneSlot, action, batch);
        return new Step(batch.observations.clone(), batch.rewards[0], batch.terminated[0], batch.truncated[0]);
    }

    @Override
    public void close() {
        vector.close();
    }
}
