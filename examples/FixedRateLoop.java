/*
 * A fixed-rate control loop driving a Gymnasium MuJoCo task with a converted spiking controller.
 *
 * Build once:   mvn -q -o package -DskipTests          (target/spikerl.jar and target/lib/)
 *               bash envs/bootstrap.sh                 (the Python venv of the bridge)
 * Run:          java -cp 'target/spikerl.jar:target/lib/*' examples/FixedRateLoop.java \
 *                   --controller hopper-t8.ctrl --actor ../shared/policies/crpi/TD3_Hopper-v4_actor \
 *                   --env Hopper-v4 --rate 500 --seconds 20
 *
 * If the controller file does not exist and --actor is given, it is converted first: the ANN
 * actor drives the env in closed loop for --calibration-steps control steps, per-neuron max
 * thresholds are calibrated on the visited observations (SPEC section 4), and the file is written
 * with ControllerFile.write (the same as `spikerl convert` once that command exists).
 *
 * The loop then releases one control step every 1/rate seconds (a deadline-based loop:
 * LockSupport.parkNanos until shortly before the release time, then a short spin). Each step is
 * act() on the last observation, then env.step through the Py4J bridge. A step misses its
 * deadline when it ends after the next release time; a late step is followed at once by the next,
 * but periods that passed entirely are dropped, not caught up. At the end it prints deadline misses,
 * p50/p99/max of act() and of the whole step, release lateness, episodes and their returns, and
 * energy per control step and per second of control (energy per step x rate) for both presets,
 * next to the ANN's.
 *
 * The bridge env of this example stands in for a robot: the controller side (SpikingPolicy)
 * needs no Python. Note that the rate is the loop's, not the task's: Hopper-v4 simulates 8 ms
 * per step (125 Hz); at 500 Hz the simulation runs four times faster than real time.
 */

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.actor.io.FileDigest;
import org.spikerl.bridge.BridgeVectorEnv;
import org.spikerl.bridge.PythonBridge;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.embed.SpikingPolicy;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.env.StepBatch;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

public class FixedRateLoop {
    /** Spin (rather than park) for the last part of the wait: parkNanos often oversleeps by 50-100 us. */
    private static final long SPIN_NS = 150_000;

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        String envId = opt.getOrDefault("env", "Hopper-v4");
        Path controller = Path.of(required(opt, "controller"));
        double rate = Double.parseDouble(opt.getOrDefault("rate", "500"));
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "20"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "0"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "20000"));

        try (PythonBridge bridge = PythonBridge.start(); BridgeVectorEnv env = bridge.makeVectorEnv(envId, 1)) {
            if (!Files.exists(controller)) {
                String actor = opt.get("actor");
                if (actor == null) {
                    throw new IllegalArgumentException(controller + " does not exist; give --actor FILE to convert one");
                }
                convert(env, Path.of(actor), controller, Integer.parseInt(opt.getOrDefault("timesteps", "8")),
                        Double.parseDouble(opt.getOrDefault("alpha", "0")),
                        Integer.parseInt(opt.getOrDefault("calibration-steps", "10000")));
            }
            SpikingPolicy policy = SpikingPolicy.load(controller);
            policy.network().actor().checkFits(env.spec());
            System.out.printf("controller %s: T=%d, t0=%d, alpha=%s, %d hidden layers; sha256 %s%n", controller,
                    policy.timesteps(), policy.delay(), policy.alpha(), policy.hiddenLayers(), policy.sha256());
            run(policy, env, rate, seconds, seed, warmup);
        }
    }

    /** Closed-loop calibration with the ANN, conversion with the project defaults, atomic write. */
    static void convert(BridgeVectorEnv env, Path actorFile, Path out, int timesteps, double alpha, int steps) {
        Actor actor = ActorLoader.load(actorFile, ActorLoader.Options.forEnv(env.spec()));
        actor.checkFits(env.spec());
        AnnController ann = new AnnController(actor);
        int obsSize = env.spec().observationSpace().size();
        boolean[] mask = {true};
        long[] seeds = {1_000_000};
        double[] obs = new double[obsSize];
        double[] action = new double[actor.actionSize()];
        StepBatch batch = new StepBatch(1, obsSize);
        double[][] visited = new double[steps][];
        env.reset(mask, seeds, obs);
        for (int k = 0; k < steps; k++) {
            visited[k] = obs.clone();
            ann.act(obs, action);
            env.step(mask, action, batch);
            System.arraycopy(batch.observations, 0, obs, 0, obsSize);
            if (batch.terminated[0] || batch.truncated[0]) {
                seeds[0]++;
                env.reset(mask, seeds, obs);
            }
        }
        ConversionConfig config = ConversionConfig.DEFAULTS.withTimesteps(timesteps).withAlpha(alpha);
        SpikingActor net = Converter.convert(actor, CalibrationSet.observe(actor, visited), config);
        Map<String, Object> calibration = new LinkedHashMap<>();
        calibration.put("env", env.spec().id());
        calibration.put("control_steps", steps);
        calibration.put("first_episode_seed", 1_000_000);
        calibration.put("policy", "ANN actor, deterministic, closed loop");
        ControllerFile.write(net, ControllerFile.provenance(actorFile.toString(), FileDigest.sha256(actorFile),
                config.describe(), calibration), out);
        System.out.printf("converted %s -> %s (%d calibration steps, %s, T=%d, t0=%d)%n", actorFile, out, steps,
                config.method().spec(), net.timesteps(), net.delay());
    }

    static void run(SpikingPolicy policy, BridgeVectorEnv env, double rate, double seconds, long seed, int warmup) {
        int obsSize = env.spec().observationSpace().size();
        boolean[] mask = {true};
        long[] seeds = {seed};
        double[] obs = new double[obsSize];
        double[] action = new double[policy.actionSize()];
        StepBatch batch = new StepBatch(1, obsSize);
        env.reset(mask, seeds, obs);

        // Warm-up off the clock, as a robot would before enabling its motors: the JIT compiles act().
        for (int k = 0; k < warmup; k++) {
            policy.act(obs, action);
        }
        policy.reset();
        policy.counts().clear();

        long period = Math.round(1e9 / rate);
        int capacity = (int) Math.ceil(seconds * rate) + 1;
        long[] actNs = new long[capacity];
        long[] stepNs = new long[capacity];
        long[] lateNs = new long[capacity];
        int steps = 0;
        int misses = 0;
        long dropped = 0;
        long worstOverrun = 0;
        List<Double> returns = new ArrayList<>();
        double ret = 0;
        long release = System.nanoTime() + period;
        long end = release + Math.round(seconds * 1e9);
        while (release < end && steps < capacity) {
            waitUntil(release);
            long t0 = System.nanoTime();
            policy.act(obs, action);
            long t1 = System.nanoTime();
            env.step(mask, action, batch);
            ret += batch.rewards[0];
            if (batch.terminated[0] || batch.truncated[0]) {
                returns.add(ret);
                ret = 0;
                seeds[0]++;
                env.reset(mask, seeds, obs);
                policy.reset();
            } else {
                System.arraycopy(batch.observations, 0, obs, 0, obsSize);
            }
            long t2 = System.nanoTime();
            actNs[steps] = t1 - t0;
            stepNs[steps] = t2 - t0;
            lateNs[steps] = t0 - release;
            steps++;
            long deadline = release + period;
            if (t2 > deadline) {
                misses++;
                worstOverrun = Math.max(worstOverrun, t2 - deadline);
            }
            // A late step is followed at once by the next one, but whole periods that have already
            // passed are dropped rather than caught up in a burst of back-to-back steps.
            release = deadline;
            if (t2 - release >= period) {
                long skip = (t2 - release) / period;
                release += skip * period;
                dropped += skip;
            }
        }
        actNs = Arrays.copyOf(actNs, steps);
        stepNs = Arrays.copyOf(stepNs, steps);
        lateNs = Arrays.copyOf(lateNs, steps);
        int ticks = steps;

        System.out.printf("%d control steps at %.0f Hz (period %.1f us) against %s through the bridge%n", ticks, rate,
                period / 1e3, env.spec().id());
        System.out.printf("deadline misses: %d (%.2f%%), worst overrun %.1f us; releases dropped: %d%n", misses,
                100.0 * misses / ticks, worstOverrun / 1e3, dropped);
        System.out.printf("act() latency us:      p50 %.1f  p99 %.1f  max %.1f%n", pct(actNs, 50), pct(actNs, 99),
                pct(actNs, 100));
        System.out.printf("whole step us:         p50 %.1f  p99 %.1f  max %.1f   (act + bridge env.step + resets)%n",
                pct(stepNs, 50), pct(stepNs, 99), pct(stepNs, 100));
        System.out.printf("release lateness us:   p50 %.1f  p99 %.1f  max %.1f%n", pct(lateNs, 50), pct(lateNs, 99),
                pct(lateNs, 100));
        System.out.printf("episodes finished: %d, returns %s, unfinished episode so far %.1f%n", returns.size(),
                returns.stream().map(r -> String.format("%.1f", r)).toList(), ret);
        System.out.printf("spikes per neuron per timestep: %s; SOPs per step %.0f%n", spikeRates(policy),
                policy.counts().sopsPerStep());
        for (EnergyPreset p : EnergyPreset.ALL) {
            double snn = policy.energyPerStepPj(p);
            double ann = policy.annEnergyPerStepPj(p);
            System.out.printf("energy %-10s SNN %.1f nJ/step = %.2f uJ per second of control (ANN %.1f nJ/step = %.2f "
                    + "uJ/s), ratio %.3f%n", p.name(), snn / 1e3, snn * rate / 1e6, ann / 1e3, ann * rate / 1e6, snn / ann);
        }
    }

    private static void waitUntil(long release) {
        long left;
        while ((left = release - System.nanoTime()) > SPIN_NS) {
            LockSupport.parkNanos(left - SPIN_NS);
        }
        while (System.nanoTime() < release) {
            Thread.onSpinWait();
        }
    }

    /** The p-th percentile (nearest rank) in microseconds. */
    private static double pct(long[] ns, double p) {
        long[] s = ns.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))] / 1e3;
    }

    private static String spikeRates(SpikingPolicy policy) {
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < policy.hiddenLayers(); l++) {
            b.append(l == 0 ? "" : ", ").append(String.format("layer %d %.3f", l + 1, policy.counts().spikeRate(l)));
        }
        return b.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    private static String required(Map<String, String> opt, String name) {
        String v = opt.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }
}
