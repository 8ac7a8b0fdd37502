package org.spikerl.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.actor.io.djl.DjlForward;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.Converter;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;

/**
 * JMH benchmarks of one control step ({@code act}: observation in, action out), run by
 * {@link LatencyBenchmark} in forked JVMs. Every state reads the recorded closed-loop
 * observations named by {@link LatencyInput#PROPERTY} and cycles through them in recorded order,
 * one per call, because the cost of the SNN (spikes, hence synaptic adds) and of the Java ANN
 * (ReLU zeros are skipped) depends on the input.
 *
 * <p>The SNN is converted in every fork from the same observations with the conversion named by
 * {@link #CONVERSION_PROPERTY} (default {@link ConversionConfig#DEFAULTS}) at the benchmarked T
 * ({@link #spikingActor}). Conversion is deterministic, so every fork and the parent
 * (which reports spike rates) build the same network, calibrated (thresholds, and biases if the
 * conversion calibrates them) on the benchmark's own observations, not the tuner's network. With
 * alpha > 0 the residual carries from one control step to the next, also across the wrap from the
 * last observation to the first (no reset there): the cost per call is the same either way.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ActLatency {

    /** System property naming the conversion ({@link ConversionConfig#describe()} as JSON); absent: the defaults. */
    public static final String CONVERSION_PROPERTY = "spikerl.bench.conversion";

    /** The conversion the benchmark and the parent's spike-rate report share. */
    public static SpikingActor spikingActor(Actor actor, double[][] observations, int timesteps) {
        return spikingActor(actor, observations, timesteps, conversionFromSystemProperty());
    }

    /**
     * {@code conversion} at latency {@code timesteps}, calibrated on {@code observations}; a fixed
     * delay that does not fit is lowered to {@code T - 1}, or to the largest multiple of the plan's
     * firing period below T.
     */
    public static SpikingActor spikingActor(Actor actor, double[][] observations, int timesteps,
                                            ConversionConfig conversion) {
        CalibrationSet set = CalibrationSet.observe(actor, observations);
        ConversionConfig c = conversion;
        if (c.delay() instanceof org.spikerl.convert.Delay.Fixed f && f.t0() >= timesteps) {
            int p = c.neuron().period();
            c = c.withDelay(new org.spikerl.convert.Delay.Fixed((timesteps - 1) / p * p));
        }
        return Converter.convert(actor, set, c.withTimesteps(timesteps));
    }

    /** The conversion named by {@link #CONVERSION_PROPERTY}, or {@link ConversionConfig#DEFAULTS}. */
    public static ConversionConfig conversionFromSystemProperty() {
        String json = System.getProperty(CONVERSION_PROPERTY);
        if (json == null || json.isBlank()) {
            return ConversionConfig.DEFAULTS;
        }
        try {
            java.util.Map<String, String> m = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json,
                    new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, String>>() { });
            return ConversionConfig.fromDescription(m);
        } catch (java.io.IOException e) {
            throw new org.spikerl.SpikerlException("system property " + CONVERSION_PROPERTY + " is not a JSON object of "
                    + "strings: " + e.getMessage(), e);
        }
    }

    /** The observation cycle and the action buffer of one benchmark thread. */
    abstract static class Cycle {
        double[][] observations;
        double[] action;
        private int next;

        final Actor load() {
            LatencyInput input = LatencyInput.fromSystemProperty();
            observations = input.observations();
            Actor actor = input.loadActor();
            action = new double[actor.actionSize()];
            return actor;
        }

        final double[] nextObservation() {
            double[] o = observations[next];
            next = next + 1 == observations.length ? 0 : next + 1;
            return o;
        }
    }

    @State(Scope.Thread)
    public static class Ann extends Cycle {
        AnnController controller;

        @Setup(Level.Trial)
        public void setUp() {
            controller = new AnnController(load());
        }
    }

    @State(Scope.Thread)
    public static class Djl extends Cycle {
        DjlForward forward;

        @Setup(Level.Trial)
        public void setUp() {
            forward = new DjlForward(load());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            forward.close();
        }
    }

    @State(Scope.Thread)
    public static class Snn extends Cycle {
        /** Overridden by {@link LatencyBenchmark} with {@link LatencySettings#TIMESTEPS}. */
        @Param({"4", "8", "16", "32"})
        public int timesteps;

        SnnController controller;

        @Setup(Level.Trial)
        public void setUp() {
            Actor actor = load();
            controller = new SnnController(spikingActor(actor, observations, timesteps));
        }
    }

    /** The SNN at {@link LatencySettings#SAMPLED_TIMESTEPS}, for the per-call distribution. */
    @State(Scope.Thread)
    public static class SnnSampled extends Cycle {
        SnnController controller;

        @Setup(Level.Trial)
        public void setUp() {
            Actor actor = load();
            controller = new SnnController(spikingActor(actor, observations, LatencySettings.SAMPLED_TIMESTEPS));
        }
    }

    @Benchmark
    public double annAct(Ann s) {
        s.controller.act(s.nextObservation(), s.action);
        return s.action[0];
    }

    /** libtorch's forward through DJL plus the shared Java action head. */
    @Benchmark
    public double djlAct(Djl s) {
        s.forward.act(s.nextObservation(), s.action);
        return s.action[0];
    }

    @Benchmark
    public double snnAct(Snn s) {
        s.controller.act(s.nextObservation(), s.action);
        return s.action[0];
    }

    /** Every call timed on its own (JMH sample mode), for percentiles. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public double snnActSampled(SnnSampled s) {
        s.controller.act(s.nextObservation(), s.action);
        return s.action[0];
    }
}
