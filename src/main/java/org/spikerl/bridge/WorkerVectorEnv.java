package org.spikerl.bridge;

import java.util.List;
import org.spikerl.env.StepBatch;

/**
 * One vector env made of consecutive slices, each a {@link BridgeVectorEnv} in its own Python
 * process: a reset or step sends every slice its part first and then collects the replies, so
 * the processes step at the same time. A reset of one slice's slots may come while other slices
 * are begun ({@link #beginStep}) and not yet ended: it touches only the slices it masks. If a slice fails, the other replies are still read (the
 * channels stay in step) and the first failure in slot order is thrown. Not thread-safe.
 */
final class WorkerVectorEnv extends CheckedVectorEnv {
    private final List<BridgeVectorEnv> slices;
    private final int[] offsets;
    private final boolean[] active;
    private final boolean[] sent;

    WorkerVectorEnv(List<BridgeVectorEnv> slices) {
        super(slices.get(0).spec(), slices.stream().mapToInt(BridgeVectorEnv::size).sum());
        this.slices = List.copyOf(slices);
        this.offsets = new int[slices.size()];
        int n = 0;
        for (int i = 0; i < slices.size(); i++) {
            offsets[i] = n;
            n += slices.get(i).size();
        }
        this.active = new boolean[slices.size()];
        this.sent = new boolean[slices.size()];
    }

    @Override
    public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
        checkReset(mask, seeds, obsOut);
        acrossSlices(mask, seeds, obsOut, null, null);
    }

    @Override
    public void step(boolean[] mask, double[] actions, StepBatch out) {
        checkStep(mask, actions, out);
        acrossSlices(mask, null, null, actions, out);
    }

    /**
     * A reset or step of every slice with a masked slot: {@code send} to each in slot order, then
     * {@code receive} from each that was sent to, so that the processes work at the same time.
     * After a failed send nothing more is sent, but every slice sent to is still read, so that no
     * reply is left in a channel to be taken for the next call's; then the first failure is thrown.
     * A reset when {@code seeds} is given, else a step; plain arguments rather than callbacks, so
     * that a step allocates nothing.
     */
    private void acrossSlices(boolean[] mask, long[] seeds, double[] obsOut, double[] actions, StepBatch out) {
        RuntimeException failure = null;
        for (int i = 0; i < slices.size(); i++) {
            sent[i] = false;
            if (failure == null && any(mask, i)) {
                try {
                    if (seeds != null) {
                        slices.get(i).sendReset(mask, seeds, offsets[i]);
                    } else {
                        slices.get(i).sendStep(mask, actions, offsets[i]);
                    }
                    sent[i] = true;
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }
        for (int i = 0; i < slices.size(); i++) {
            if (sent[i]) {
                try {
                    if (seeds != null) {
                        slices.get(i).receiveReset(mask, obsOut, offsets[i]);
                    } else {
                        slices.get(i).receiveStep(mask, out, offsets[i]);
                    }
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
        if (slice == 0) {
            checkStep(mask, actions, out);
        } else {
            checkOpen("step");
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
    void release() {
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
}
