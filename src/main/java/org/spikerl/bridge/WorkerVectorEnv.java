package org.spikerl.bridge;

import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;

/**
 * One vector env made of consecutive slices, each a {@link BridgeVectorEnv} in its own Python
 * process: a reset or step sends every slice its part first and then collects the replies, so
 * the processes step at the same time. If a slice fails, the other replies are still read (the
 * channels stay in step) and the first failure in slot order is thrown. Not thread-safe.
 */
final class WorkerVectorEnv implements VectorEnv {
    private final List<BridgeVectorEnv> slices;
    private final int[] offsets;
    private final EnvSpec spec;
    private final int size;
    private final int obsSize;
    private final int actSize;
    private final boolean[] active;
    private boolean closed;

    WorkerVectorEnv(List<BridgeVectorEnv> slices) {
        this.slices = List.copyOf(slices);
        this.offsets = new int[slices.size()];
        int n = 0;
        for (int i = 0; i < slices.size(); i++) {
            offsets[i] = n;
            n += slices.get(i).size();
        }
        this.size = n;
        this.spec = slices.get(0).spec();
        this.obsSize = spec.observationSpace().size();
        this.actSize = spec.actionSpace().size();
        this.active = new boolean[slices.size()];
    }

    @Override
    public EnvSpec spec() {
        return spec;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
        checkOpen("reset");
        checkLength("reset", "mask", mask.length, size);
        checkLength("reset", "seeds", seeds.length, size);
        checkLength("reset", "observation buffer", obsOut.length, size * obsSize);
        RuntimeException failure = null;
        for (int i = 0; i < slices.size(); i++) {
            active[i] = false;
            if (failure == null && any(mask, i)) {
                try {
                    slices.get(i).sendReset(mask, seeds, offsets[i]);
                    active[i] = true;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }
        for (int i = 0; i < slices.size(); i++) {
            if (active[i]) {
                try {
                    slices.get(i).receiveReset(mask, obsOut, offsets[i]);
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void step(boolean[] mask, double[] actions, StepBatch out) {
        checkOpen("step");
        checkLength("step", "mask", mask.length, size);
        checkLength("step", "actions", actions.length, size * actSize);
        checkLength("step", "observation buffer", out.observations.length, size * obsSize);
        checkLength("step", "reward buffer", out.rewards.length, size);
        RuntimeException failure = null;
        for (int i = 0; i < slices.size(); i++) {
            active[i] = false;
            if (failure == null && any(mask, i)) {
                try {
                    slices.get(i).sendStep(mask, actions, offsets[i]);
                    active[i] = true;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }
        for (int i = 0; i < slices.size(); i++) {
            if (active[i]) {
                try {
                    slices.get(i).receiveStep(mask, out, offsets[i]);
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public int slices() {
        return slices.size();
    }

    @Override
    public int sliceStart(int slice) {
        return offsets[slice];
    }

    @Override
    public void beginStep(int slice, boolean[] mask, double[] actions, StepBatch out) {
        checkOpen("step");
        if (slice == 0) {
            checkLength("step", "mask", mask.length, size);
            checkLength("step", "actions", actions.length, size * actSize);
            checkLength("step", "observation buffer", out.observations.length, size * obsSize);
            checkLength("step", "reward buffer", out.rewards.length, size);
        }
        active[slice] = false;
        if (any(mask, slice)) {
            slices.get(slice).sendStep(mask, actions, offsets[slice]);
            active[slice] = true;
        }
    }

    @Override
    public void endStep(int slice, boolean[] mask, StepBatch out) {
        if (active[slice]) {
            active[slice] = false;
            slices.get(slice).receiveStep(mask, out, offsets[slice]);
        }
    }

    @Override
    public double simulationSeconds() {
        double s = 0;
        for (BridgeVectorEnv e : slices) {
            s += e.simulationSeconds();
        }
        return s;
    }

    /** Python processes stepping this env. */
    public int processes() {
        return slices.size();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        slices.forEach(BridgeVectorEnv::close);
    }

    private boolean any(boolean[] mask, int slice) {
        for (int k = offsets[slice]; k < offsets[slice] + slices.get(slice).size(); k++) {
            if (mask[k]) {
                return true;
            }
        }
        return false;
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new SpikerlException(operation + " of " + spec.id() + ": the environment is closed");
        }
    }

    private void checkLength(String operation, String what, int actual, int expected) {
        if (actual != expected) {
            throw new SpikerlException(operation + " of " + spec.id() + " (" + size + " slots): " + what + " has length "
                    + actual + ", expected " + expected);
        }
    }
}
