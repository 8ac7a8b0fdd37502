package org.spikerl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.spikerl.env.BoxSpace;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;

/**
 * A deterministic vector environment of episodes of at most five steps, for unit tests of the
 * closed loop without Python. The observation is {@code [seed, step]} (step 0 after reset); the
 * reward of a step is {@code 1 + action}. An episode reset with a seed divisible by 3 terminates
 * at step 3, any other is truncated at step 5. Like the bridge, it refuses to step a slot that
 * was not reset or whose episode ended, and records every reset seed.
 */
public class FiveStepEnv implements VectorEnv {
    public static final String ID = "fake-v0";

    public final int size;
    public final long[] seedOf;
    public final int[] stepOf;
    public final boolean[] ended;
    public final List<Long> resetSeeds = new ArrayList<>();
    /** Seed and step whose observation is NaN (step 0 = the reset observation); -1 for none. */
    public long nanSeed = -1;
    public int nanStep = -1;
    public long nanRewardSeed = -1;

    public FiveStepEnv(int size) {
        this.size = size;
        seedOf = new long[size];
        stepOf = new int[size];
        ended = new boolean[size];
        Arrays.fill(ended, true);
    }

    /** Control steps of the episode reset with {@code seed}. */
    public static int length(long seed) {
        return seed % 3 == 0 ? 3 : 5;
    }

    @Override
    public EnvSpec spec() {
        BoxSpace obs = new BoxSpace(new double[] {-1e9, -1e9}, new double[] {1e9, 1e9}, new int[] {2});
        BoxSpace act = new BoxSpace(new double[] {-1e9}, new double[] {1e9}, new int[] {1});
        return new EnvSpec(ID, obs, act, 5);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
        assertEquals(size, mask.length);
        for (int k = 0; k < size; k++) {
            if (mask[k]) {
                resetSeeds.add(seeds[k]);
                seedOf[k] = seeds[k];
                stepOf[k] = 0;
                ended[k] = false;
                observe(k, obsOut);
            }
        }
    }

    @Override
    public void step(boolean[] mask, double[] actions, StepBatch out) {
        for (int k = 0; k < size; k++) {
            if (!mask[k]) {
                continue;
            }
            if (ended[k]) {
                throw new IllegalStateException("slot " + k + " stepped before reset or after its episode ended");
            }
            stepOf[k]++;
            out.rewards[k] = seedOf[k] == nanRewardSeed ? Double.NaN : 1 + actions[k];
            int end = length(seedOf[k]);
            out.terminated[k] = stepOf[k] == end && end == 3;
            out.truncated[k] = stepOf[k] == end && end == 5;
            ended[k] = stepOf[k] == end;
            observe(k, out.observations);
        }
    }

    private void observe(int k, double[] out) {
        out[2 * k] = seedOf[k];
        out[2 * k + 1] = seedOf[k] == nanSeed && stepOf[k] == nanStep ? Double.NaN : stepOf[k];
    }

    @Override
    public void close() {
    }
}
