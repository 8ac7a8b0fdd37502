package org.spikerl.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.spikerl.SpikerlException;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;

/**
 * Several Python bridge processes used as one backend, so that the environments of one vector
 * env step on several cores at once. A vector env of {@code size} slots is split into {@code
 * min(workers, size)} consecutive slices, one per process ({@link WorkerVectorEnv}). Each slot is
 * still one {@code gymnasium.make} environment reset with its episode's seed, so results do not
 * depend on the number of workers.
 *
 * <p>The first process starts with the backend (for {@link #versions()}); more start when a vector
 * env needs them. {@link #close()} closes every process, each reaped as {@link PythonBridge#close()}
 * does. Not thread-safe.
 */
public final class PythonWorkers implements EnvBackend {
    private final BridgeOptions options;
    private final int workers;
    private final List<PythonBridge> bridges = new ArrayList<>();
    private boolean closed;

    private PythonWorkers(BridgeOptions options, int workers) {
        if (workers < 1) {
            throw new SpikerlException("the number of Python workers must be >= 1, got " + workers);
        }
        this.options = options;
        this.workers = workers;
        bridges.add(PythonBridge.start(options));
    }

    /** Starts the first of up to {@code workers} processes. */
    public static PythonWorkers start(BridgeOptions options, int workers) {
        return new PythonWorkers(options, workers);
    }

    public int workers() {
        return workers;
    }

    /** Processes started so far. */
    public List<PythonBridge> bridges() {
        return List.copyOf(bridges);
    }

    @Override
    public VectorEnv open(String envId, int size) {
        if (closed) {
            throw new BridgeException("make of " + envId + ": the Python workers are closed");
        }
        if (size < 1) {
            throw new SpikerlException("vector env " + envId + ": size must be >= 1, got " + size);
        }
        int slices = Math.min(workers, size);
        startUpTo(slices);
        List<BridgeVectorEnv> parts = new ArrayList<>(slices);
        try {
            int start = 0;
            for (int w = 0; w < slices; w++) {
                int count = size / slices + (w < size % slices ? 1 : 0);
                parts.add(new BridgeVectorEnv(bridges.get(w).link(), envId, count, "{}", null, start));
                start += count;
            }
        } catch (RuntimeException e) {
            parts.forEach(BridgeVectorEnv::close);
            throw e;
        }
        return parts.size() == 1 ? parts.get(0) : new WorkerVectorEnv(parts);
    }

    @Override
    public Map<String, String> versions() {
        return bridges.get(0).versions();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (PythonBridge b : bridges) {
            try {
                b.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Starts the missing processes side by side (each takes a second or two to import MuJoCo). */
    private void startUpTo(int n) {
        List<CompletableFuture<PythonBridge>> starting = new ArrayList<>();
        for (int w = bridges.size(); w < n; w++) {
            starting.add(CompletableFuture.supplyAsync(() -> PythonBridge.start(options)));
        }
        RuntimeException failure = null;
        for (CompletableFuture<PythonBridge> f : starting) {
            try {
                bridges.add(f.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new BridgeException("cannot start a Python worker: " + e.getCause(), e.getCause());
                failure = failure == null ? cause : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
