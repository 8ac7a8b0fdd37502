package org.spikerl.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.spikerl.env.BoxSpace;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;

/**
 * A deterministic two-observation, one-action vector environment whose trajectory depends on the
 * actions, for closed-loop unit tests without Python (the tuner, divergence). Episodes last
 * {@code length} steps and are truncated. With seed {@code s} the reset observation is
 * {@code [((s mod 4) + 1) / 4, (s mod 3) / 4]}; a step with action {@code a} goes to
 * <pre>
 *   x0' = Q(clip(a - 1 + x1 / 2, -1, 1)),   x1' = Q(clip(x0 / 2 + 1/4, -1, 1)),   reward = 1 - |a - 1/2|
 * </pre>
 * where {@code Q} rounds to the nearest multiple of {@code quantum} ({@code Math.round}, halves up),
 * or is the identity for {@code quantum = 0}. With {@code quantum = 1/4} every observation is a
 * multiple of 1/4 in [-1, 1], exact in float32. Records every reset seed; refuses to step a slot
 * that was not reset or whose episode ended.
 */
public final class LoopEnv implements VectorEnv {
    private final int size;
    private final int length;
    private final double quantum;
    private final double[][] state;
    private final int[] step;
    private final boolean[] ended;
    /** Every seed a slot was reset with, in order. */
    public final List<Long> resetSeeds = new ArrayList<>();

    public LoopEnv(int size, int length, double quantum) {
        this.size = size;
        this.length = length;
        this.quantum = quantum;
        this.state = new double[size][2];
        this.step = new int[size];
        this.ended = new boolean[size];
        Arrays.fill(ended, true);
    }

    @Override
    public EnvSpec spec() {
        BoxSpace obs = new BoxSpace(new double[] {-1, -1}, new double[] {1, 1}, new int[] {2});
        BoxSpace act = new BoxSpace(new double[] {-1}, new double[] {1}, new int[] {1});
        return new EnvSpec("loop-v0", obs, act, length);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
        for (int k = 0; k < size; k++) {
            if (mask[k]) {
                long s = seeds[k];
                resetSeeds.add(s);
                state[k][0] = (Math.floorMod(s, 4) + 1) / 4.0;
                state[k][1] = Math.floorMod(s, 3) / 4.0;
                step[k] = 0;
                ended[k] = false;
                obsOut[2 * k] = state[k][0];
                obsOut[2 * k + 1] = state[k][1];
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
            double a = actions[k];
            double x0 = state[k][0];
            double x1 = state[k][1];
            state[k][0] = q(clip(a - 1 + x1 / 2));
            state[k][1] = q(clip(x0 / 2 + 0.25));
            step[k]++;
            out.rewards[k] = 1 - Math.abs(a - 0.5);
            out.terminated[k] = false;
            out.truncated[k] = step[k] == length;
            ended[k] = step[k] == length;
            out.observations[2 * k] = state[k][0];
            out.observations[2 * k + 1] = state[k][1];
        }
    }

    private static double clip(double v) {
        return v < -1 ? -1 : (v > 1 ? 1 : v);
    }

    private double q(double v) {
        return quantum == 0 ? v : Math.round(v / quantum) * quantum;
    }

    @Override
    public void close() {
    }
}
