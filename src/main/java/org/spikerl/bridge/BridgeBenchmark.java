package org.spikerl.bridge;

import java.util.Arrays;
import java.util.Locale;
import org.spikerl.env.StepBatch;

/**
 * Prints the bridge's costs: the round trip of the cheapest call, and environment steps per
 * second of a batched rollout with zero actions (slots that end are reset with their next seed,
 * inside the timed loop). Numbers, not assertions: run it on a quiet machine.
 *
 * <pre>java -cp ... org.spikerl.bridge.BridgeBenchmark [env-id] [seconds-per-size] [size ...]</pre>
 * Defaults: Hopper-v4, 5 s, sizes 1 and 10.
 */
public final class BridgeBenchmark {
    private BridgeBenchmark() {
    }

    public static void main(String[] args) {
        String envId = args.length > 0 ? args[0] : "Hopper-v4";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5.0;
        int[] sizes = args.length > 2
                ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 10};
        try (PythonBridge bridge = PythonBridge.start()) {
            System.out.println("versions " + bridge.versions());
            System.out.printf(Locale.ROOT, "round_trip_us %.1f (ping, mean of timed batches after warm-up)%n",
                    roundTripMicros(bridge, seconds));
            for (int size : sizes) {
                try (BridgeVectorEnv env = bridge.makeVectorEnv(envId, size)) {
                    double rate = stepsPerSecond(env, seconds);
                    System.out.printf(Locale.ROOT, "env %s K %d messages_per_step %d env_steps_per_s %.0f%n",
                            envId, size, env.messagesPerBatch(), rate);
                }
            }
        }
    }

    static double roundTripMicros(PythonBridge bridge, double seconds) {
        for (int i = 0; i < 2000; i++) {
            bridge.ping(i);
        }
        long calls = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                bridge.ping(i);
            }
            calls += 1000;
        }
        return (System.nanoTime() - start) / 1e3 / calls;
    }

    static double stepsPerSecond(BridgeVectorEnv env, double seconds) {
        int k = env.size();
        int obsSize = env.spec().observationSpace().size();
        boolean[] all = new boolean[k];
        Arrays.fill(all, true);
        boolean[] ended = new boolean[k];
        long[] seeds = new long[k];
        long nextSeed = 0;
        for (int i = 0; i < k; i++) {
            seeds[i] = nextSeed++;
        }
        double[] actions = new double[k * env.spec().actionSpace().size()];
        StepBatch batch = new StepBatch(k, obsSize);
        env.reset(all, seeds, batch.observations);
        for (int i = 0; i < 200; i++) {
            nextSeed = stepOnce(env, all, ended, seeds, nextSeed, actions, batch);
        }
        long steps = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            nextSeed = stepOnce(env, all, ended, seeds, nextSeed, actions, batch);
            steps += k;
        }
        return steps / ((System.nanoTime() - start) / 1e9);
    }

    private static long stepOnce(BridgeVectorEnv env, boolean[] all, boolean[] ended, long[] seeds, long nextSeed,
            double[] actions, StepBatch batch) {
        env.step(all, actions, batch);
        boolean any = false;
        for (int i = 0; i < ended.length; i++) {
            ended[i] = batch.terminated[i] || batch.truncated[i];
            if (ended[i]) {
                seeds[i] = nextSeed++;
                any = true;
            }
        }
        if (any) {
            env.reset(ended, seeds, batch.observations);
        }
        return nextSeed;
    }
}
