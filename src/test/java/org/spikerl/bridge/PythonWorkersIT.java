package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.actor.AnnController;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;

/**
 * Several Python workers as one backend, against real MuJoCo: the same episodes whatever the
 * number of workers, errors that name the caller's slot, a call timeout on the data channel, and
 * no process left after close() or SIGKILL of the JVM.
 */
class PythonWorkersIT {
    private static final Duration GONE_WITHIN = Duration.ofSeconds(20);
    private static final Path HOPPER = Path.of(System.getProperty("spikerl.home", "."))
            .resolve("../shared/policies/crpi/TD3_Hopper-v4_actor").normalize();

    private static List<EpisodeRunner.Episode> episodes(int workers) {
        return episodes(workers, BridgeOptions.defaults());
    }

    private static List<EpisodeRunner.Episode> episodes(int workers, BridgeOptions options) {
        try (PythonWorkers backend = PythonWorkers.start(options, workers);
             VectorEnv env = backend.open("Hopper-v4", 5)) {
            assertEquals(Math.min(workers, 5), backend.bridges().size(), "one process per slice");
            var actor = ActorLoader.load(HOPPER, ActorLoader.Options.forEnv(env.spec()));
            // 7 episodes on 5 slots: slots take new episodes as theirs end, on every worker.
            // Without wall times, which differ between any two runs.
            return EpisodeRunner.run(env, new AnnController(actor), 7, 40, EpisodeRunner.Listener.NONE).episodes()
                    .stream().map(EpisodeRunner.Episode::untimed).toList();
        }
    }

    @Test
    void sameEpisodesWhateverTheNumberOfWorkers() {
        List<EpisodeRunner.Episode> one = episodes(1);
        assertEquals(7, one.size());
        assertEquals(one, episodes(2), "2 workers");
        assertEquals(one, episodes(3), "3 workers (slices of 2, 2, 1 slots)");
    }

    /** The poll before a worker blocks changes when it reads a frame, never what it reads. */
    @Test
    void sameEpisodesWithAndWithoutThePollBeforeBlocking() {
        BridgeOptions blocking = BridgeOptions.defaults().withPollSpin(Duration.ZERO);
        BridgeOptions polling = BridgeOptions.defaults().withPollSpin(BridgeOptions.MAX_POLL_SPIN);
        List<EpisodeRunner.Episode> blocked = episodes(2, blocking);
        assertEquals(7, blocked.size());
        assertEquals(blocked, episodes(2, polling), "polling for up to 100 ms");
        assertEquals(blocked, episodes(2, BridgeOptions.defaults()), "the default poll");
    }

    @Test
    void pythonErrorsNameTheSlotOfTheWholeVectorEnv() {
        BridgeOptions hooks = BridgeOptions.defaults().withTestHooks(true);
        try (PythonWorkers backend = PythonWorkers.start(hooks, 2);
             VectorEnv env = backend.open("spikerl-test/LateNanObservation-v0", 4)) {
            boolean[] all = {true, true, true, true};
            StepBatch out = new StepBatch(4, 2);
            // Seeds 0, 1 never turn NaN; 2 and 3 (slots 2 and 3, the second worker's) do at step 3.
            env.reset(all, new long[] {0, 1, 2, 3}, out.observations);
            double[] actions = new double[4];
            env.step(all, actions, out);
            env.step(all, actions, out);
            BridgeException e = assertThrows(BridgeException.class, () -> env.step(all, actions, out));
            assertTrue(e.getMessage().startsWith("step of spikerl-test/LateNanObservation-v0 failed in Python:"
                    + " spikerl-test/LateNanObservation-v0 slot 2 (episode seed 2) step 3: observation has NaN"),
                    e.getMessage());
            assertEquals(3.0, out.observations[2], "slot 1 (first worker) was stepped and answered");
        }
    }

    @Test
    void aStepPastTheCallTimeoutFailsAndTheProcessIsKilled() throws InterruptedException {
        BridgeOptions options = BridgeOptions.defaults().withTestHooks(true).withCallTimeout(Duration.ofSeconds(2));
        try (PythonBridge bridge = PythonBridge.start(options);
             VectorEnv env = bridge.makeVectorEnv("spikerl-test/SlowStep-v0", 1)) {
            env.reset(new boolean[] {true}, new long[] {0}, new double[2]);
            long start = System.nanoTime();
            BridgeException e = assertThrows(BridgeException.class,
                    () -> env.step(new boolean[] {true}, new double[1], new StepBatch(1, 2)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(e.getMessage().startsWith("step of spikerl-test/SlowStep-v0 got no reply within 2 s; the Python"
                    + " process (pid " + bridge.pid() + ") was killed"), e.getMessage());
            assertTrue(seconds < 30, "failed after " + seconds + " s, not near the 2 s timeout");
            assertTrue(ProcessProbe.awaitGone(bridge.pid(), GONE_WITHIN), "python still running after the timeout");
        }
    }

    @Test
    void closeEndsEveryWorker() throws InterruptedException {
        List<Long> pids = new ArrayList<>();
        try (PythonWorkers backend = PythonWorkers.start(BridgeOptions.defaults(), 2)) {
            backend.open("Hopper-v4", 2).close();
            backend.bridges().forEach(b -> pids.add(b.pid()));
        }
        assertEquals(2, pids.size());
        for (long pid : pids) {
            assertTrue(!ProcessProbe.running(pid), "python " + pid + " still running after close()");
        }
    }

    @Test
    void everyWorkerExitsWhenItsJvmIsKilled() throws Exception {
        try (BridgeHolderJvm jvm = BridgeHolderJvm.start("2")) {
            long[] pids = jvm.awaitPids("python-pids ", Duration.ofSeconds(120));
            assertEquals(2, pids.length, Arrays.toString(pids));
            for (long pid : pids) {
                assertTrue(ProcessProbe.procFile(pid, "cmdline").contains("spikerl_bridge.py"), "control: " + pid);
            }
            jvm.kill();
            for (long pid : pids) {
                assertTrue(ProcessProbe.awaitGone(pid, GONE_WITHIN), "python " + pid + " outlived its JVM");
            }
        }
    }
}
