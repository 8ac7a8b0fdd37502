package org.spikerl.snn;

import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;
import org.spikerl.actor.Forward;

/**
 * Rough act() latency of an 11-256-256-3 synthetic actor (not a test; a JMH benchmark comes later).
 * Run: {@code java -cp target/classes:target/test-classes org.spikerl.snn.SnnActSpeed [T]}.
 */
public final class SnnActSpeed {
    private SnnActSpeed() {
    }

    public static void main(String[] args) {
        int timesteps = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Actor actor = SyntheticActors.random(1, 11, 256, 256, 3);
        double[][] obs = SyntheticActors.observations(2, 1000, 11);
        SnnController snn = new SnnController(SnnControllerTest.maxThresholds(actor, obs, timesteps, 0.5));
        Forward ann = new Forward(actor);
        double[] action = new double[3];
        // Thread CPU time rather than wall time: the machine is shared, and descheduled time is not ours.
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        double sink = 0;
        double bestSnn = Double.MAX_VALUE;
        double bestAnn = Double.MAX_VALUE;
        for (int round = 0; round < 15; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            int n = 50_000;
            for (int k = 0; k < n; k++) {
                snn.act(obs[k % obs.length], action);
                sink += action[0];
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int k = 0; k < n; k++) {
                ann.act(obs[k % obs.length], action);
                sink += action[0];
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            bestSnn = Math.min(bestSnn, (t1 - t0) / 1e3 / n);
            bestAnn = Math.min(bestAnn, (t2 - t1) / 1e3 / n);
            System.out.printf("T=%d (cpu time) snn act %.2f us, ann act %.2f us, spike rates %.3f %.3f, SOPs/step %.0f%n",
                    timesteps, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n,
                    snn.counts().spikeRate(0), snn.counts().spikeRate(1), snn.counts().sopsPerStep());
        }
        System.out.printf("best of 15 rounds: snn %.2f us, ann %.2f us%s%n", bestSnn, bestAnn, sink == 42 ? "" : " ");
    }
}
