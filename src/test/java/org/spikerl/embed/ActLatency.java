package org.spikerl.embed;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.spikerl.SyntheticActors;
import org.spikerl.snn.io.ControllerFile;

/**
 * act() latency of a loaded controller, per call (not a test; JMH benchmarks live elsewhere).
 * Prints p50/p99/p99.9/max wall time per act() and the bytes allocated per call.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:<deps> org.spikerl.embed.ActLatency [FILE]}.
 * Without FILE: the CRPI Hopper actor converted here (per-neuron max thresholds from 2,000
 * standard-normal observations, T = 8, alpha 0.5). Observations: standard normal, 1,024 of them
 * in a cycle; the controller is reset every 1,000 calls (an episode).
 */
public final class ActLatency {
    private ActLatency() {
    }

    public static void main(String[] args) throws Exception {
        Path file;
        if (args.length > 0) {
            file = Path.of(args[0]);
        } else {
            file = Files.createTempFile("hopper", ".ctrl");
            ControllerFile.write(SpikingPolicyTest.hopper(), Map.of(), file);
            file.toFile().deleteOnExit();
        }
        SpikingPolicy policy = SpikingPolicy.load(file);
        double[][] obs = SyntheticActors.observations(77, 1024, policy.observationSize());
        double[] action = new double[policy.actionSize()];
        for (int k = 0; k < 50_000; k++) {
            policy.act(obs[k & 1023], action);
        }
        policy.reset();
        policy.counts().clear();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 200_000;
        long[] ns = new long[n];
        long bytes = mx.getCurrentThreadAllocatedBytes();
        long cpu = mx.getCurrentThreadCpuTime();
        long wall = System.nanoTime();
        for (int k = 0; k < n; k++) {
            if (k % 1000 == 0) {
                policy.reset();
            }
            long t0 = System.nanoTime();
            policy.act(obs[k & 1023], action);
            ns[k] = System.nanoTime() - t0;
        }
        wall = System.nanoTime() - wall;
        cpu = mx.getCurrentThreadCpuTime() - cpu;
        bytes = mx.getCurrentThreadAllocatedBytes() - bytes;
        Arrays.sort(ns);
        System.out.printf("%s: T=%d t0=%d alpha=%s, %d calls%n", file, policy.timesteps(), policy.delay(),
                policy.alpha(), n);
        System.out.printf("act() wall us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f; mean CPU %.1f us (wall %.1f)%n",
                ns[n / 2] / 1e3, ns[(int) (n * 0.99)] / 1e3, ns[(int) (n * 0.999)] / 1e3, ns[n - 1] / 1e3,
                cpu / 1e3 / n, wall / 1e3 / n);
        System.out.printf("allocated %d bytes in %d calls (measurement included); spike rates %.3f %.3f; SOPs/step %.0f%n",
                bytes, n, policy.counts().spikeRate(0), policy.counts().spikeRate(1), policy.counts().sopsPerStep());
    }
}
