/**
 * Latency benchmarks of one control step, run with JMH: the Java ANN forward pass, libtorch's
 * forward of the same actor through DJL, and the converted SNN at several latencies T, fed
 * closed-loop observations recorded through the bridge ({@link org.spikerl.bench.LatencyBenchmark}
 * records them, {@link org.spikerl.bench.ActLatency} holds the JMH benchmarks that read them in
 * the forked JVMs, {@link org.spikerl.bench.LatencyReport} turns JMH's results into the table and
 * the JSON line of {@code spikerl bench latency}).
 */
package org.spikerl.bench;
