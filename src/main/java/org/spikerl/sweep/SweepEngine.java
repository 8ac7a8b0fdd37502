package org.spikerl.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.spikerl.SpikerlException;
import org.spikerl.env.EnvBackend;

/**
 * Where a sweep's rows are evaluated: on this machine ({@link LocalSweepEngine}, name
 * {@code local}), or on a cluster by an engine from another jar (the {@code spikerl-spark} module
 * registers {@code spark}). {@link Sweep#run} does everything around it the same way for every
 * engine: the driver's session, provenance, resume check, run folder, journal and result files;
 * an engine only evaluates the rows the journal misses and records each one through
 * {@link SweepJob#record} as it arrives. Engines are found by name through {@link ServiceLoader}
 * ({@code META-INF/services/org.spikerl.sweep.SweepEngine}), the way JDBC finds drivers, so the
 * core never links against a cluster library.
 */
public interface SweepEngine {
    /** The name of the engine of this jar, which needs nothing but this machine. */
    String LOCAL = "local";

    /** The name {@code sweep --engine NAME} selects. */
    String name();

    /**
     * Evaluates every row {@link SweepJob#missingRows()} lists and records each with
     * {@link SweepJob#record}. On failure it sets {@link SweepJob#failedRow(int)} to the row that
     * failed and throws; the rows recorded so far are kept by the caller.
     */
    void evaluate(SweepJob job);

    /**
     * How to run: the backends a local engine starts, its cell runners, and the cluster an engine
     * submits to ({@code null}: the engine's default).
     */
    record Settings(EnvBackend.Factory backends, int parallelCells, String master) {
        public Settings {
            if (parallelCells < 1) {
                throw new SpikerlException("--parallel-cells must be >= 1, got " + parallelCells);
            }
        }
    }

    /** The names of the engines on the class path. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (SweepEngine e : ServiceLoader.load(SweepEngine.class, SweepEngine.class.getClassLoader())) {
            names.add(e.name());
        }
        return names;
    }

    /** The engine called {@code name} among those on the class path; one line saying how to get it otherwise. */
    static SweepEngine find(String name) {
        for (SweepEngine e : ServiceLoader.load(SweepEngine.class, SweepEngine.class.getClassLoader())) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        List<String> names = names();
        if (name.equals("spark")) {
            throw new SpikerlException("--engine spark: the Spark engine is not on the class path; build it with"
                    + " 'mvn -B install -DskipTests && mvn -B -f spark/pom.xml package -DskipTests' (README: Running on"
                    + " a cluster), then run spikerl again");
        }
        throw new SpikerlException("--engine " + name + ": no such sweep engine; expected one of "
                + String.join(", ", names));
    }
}
