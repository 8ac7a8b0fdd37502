package org.spikerl.bridge;

import java.util.ArrayList;
import java.util.List;

/**
 * A Python-free {@link PyEnvService} for unit tests: records every batch call and answers with
 * values that identify slot, seed and action, so a test can see where each number landed. Rows of
 * unmasked slots are filled with {@link #UNMASKED} to show the Java side does not copy them.
 * Observation of slot k after reset with seed s: {@code s * 1000 + k * 10 + j}; after a step:
 * {@code k * 10 + sum(action) + j}. Reward: {@code k + 0.5}; terminated when the action's first
 * value is negative; truncated for odd slots.
 */
class FakeEnvService implements PyEnvService {
    static final double UNMASKED = 99.0;

    final int obsSize;
    final int actSize;
    final List<int[]> resetCalls = new ArrayList<>();
    final List<int[]> stepCalls = new ArrayList<>();
    final List<Integer> closed = new ArrayList<>();
    /** If set, the next stepBatch fails with this message (a Python-side error). */
    String failNextStep;

    FakeEnvService(int obsSize, int actSize) {
        this.obsSize = obsSize;
        this.actSize = actSize;
    }

    static ServiceLink link(PyEnvService service) {
        BatchChannel batches = new Py4jBatches(service);
        return new ServiceLink() {
            @Override
            public PyEnvService service() {
                return service;
            }

            @Override
            public BatchChannel batches() {
                return batches;
            }

            @Override
            public void checkUsable(String envId, String operation) {
            }

            @Override
            public BridgeException failure(RuntimeException e, String envId, String operation) {
                return new BridgeException(operation + " of " + envId + ": " + e.getMessage(), e);
            }
        };
    }

    @Override
    public String timings(int handle) {
        return "{\"env_step_s\": 0.0, \"env_steps\": " + stepCalls.size() + "}";
    }

    @Override
    public int ping(int value) {
        return value;
    }

    @Override
    public String versions() {
        return "{}";
    }

    @Override
    public String envIds() {
        return "Fake-v0";
    }

    @Override
    public String make(String envId, int numEnvs, String kwargsJson) {
        return "{\"handle\": 7, \"id\": \"" + envId + "\", \"num_envs\": " + numEnvs
                + ", \"observation\": " + box(obsSize, "-Infinity", "Infinity")
                + ", \"action\": " + box(actSize, "-1.0", "1.0") + ", \"max_episode_steps\": 5}";
    }

    private static String box(int n, String low, String high) {
        String lows = String.join(", ", java.util.Collections.nCopies(n, low));
        String highs = String.join(", ", java.util.Collections.nCopies(n, high));
        return "{\"shape\": [" + n + "], \"low\": [" + lows + "], \"high\": [" + highs + "]}";
    }

    @Override
    public byte[] resetBatch(int handle, int start, int count, byte[] mask, byte[] seeds) {
        resetCalls.add(new int[] {start, count});
        byte[] out = new byte[count * obsSize * 8];
        for (int i = 0; i < count; i++) {
            long seed = Packing.getLong(seeds, i * 8);
            for (int j = 0; j < obsSize; j++) {
                double v = mask[i] != 0 ? seed * 1000 + (start + i) * 10 + j : UNMASKED;
                Packing.putDoubles(new double[] {v}, 0, out, (i * obsSize + j) * 8, 1);
            }
        }
        return out;
    }

    @Override
    public byte[] stepBatch(int handle, int start, int count, byte[] mask, byte[] actions) {
        stepCalls.add(new int[] {start, count});
        if (failNextStep != null) {
            String m = failNextStep;
            failNextStep = null;
            throw new IllegalStateException(m);
        }
        int obsBytes = count * obsSize * 8;
        byte[] out = new byte[obsBytes + count * 8 + 2 * count];
        for (int i = 0; i < count; i++) {
            int slot = start + i;
            double[] a = new double[actSize];
            Packing.getDoubles(actions, i * actSize * 8, a, 0, actSize);
            double sum = 0;
            for (double x : a) {
                sum += x;
            }
            boolean on = mask[i] != 0;
            for (int j = 0; j < obsSize; j++) {
                double v = on ? slot * 10 + sum + j : UNMASKED;
                Packing.putDoubles(new double[] {v}, 0, out, (i * obsSize + j) * 8, 1);
            }
            Packing.putDoubles(new double[] {on ? slot + 0.5 : UNMASKED}, 0, out, obsBytes + i * 8, 1);
            out[obsBytes + count * 8 + i] = (byte) (on ? (a[0] < 0 ? 1 : 0) : 1);
            out[obsBytes + count * 9 + i] = (byte) (on ? slot % 2 : 1);
        }
        return out;
    }

    @Override
    public void close(int handle) {
        closed.add(handle);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public double debugSleep(double seconds) {
        return seconds;
    }
}
