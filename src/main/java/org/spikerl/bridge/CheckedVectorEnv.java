package org.spikerl.bridge;

import org.spikerl.SpikerlException;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;

/**
 * What the bridge's vector envs ({@link BridgeVectorEnv}, one process; {@link WorkerVectorEnv},
 * several) share: a spec and a slot count fixed when they are made, the checks of a caller's
 * buffers against them, and a close that runs once. The checks come before anything is sent, so
 * that a buffer of the wrong length is a one-line error naming the buffer and the expected
 * length, not a short reply from Python nor a channel left out of step.
 */
abstract class CheckedVectorEnv implements VectorEnv {
    final EnvSpec spec;
    final int size;
    final int obsSize;
    final int actSize;
    private boolean closed;

    CheckedVectorEnv(EnvSpec spec, int size) {
        this.spec = spec;
        this.size = size;
        this.obsSize = spec.observationSpace().size();
        this.actSize = spec.actionSpace().size();
    }

    @Override
    public final EnvSpec spec() {
        return spec;
    }

    @Override
    public final int size() {
        return size;
    }

    /** Closes the env once; a second close does nothing. */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /** Frees what the env holds; called by the first {@link #close()} only. */
    abstract void release();

    /** Throws when the env cannot take {@code operation} (closed; subclasses add their own reasons). */
    void checkOpen(String operation) {
        if (closed) {
            throw new SpikerlException(operation + " of " + spec.id() + ": the environment is closed");
        }
    }

    /** The checks of {@link #reset}: open, and every buffer sized for {@code size()} slots. */
    final void checkReset(boolean[] mask, long[] seeds, double[] obsOut) {
        checkOpen("reset");
        checkLength("reset", "mask", mask.length, size);
        checkLength("reset", "seeds", seeds.length, size);
        checkLength("reset", "observation buffer", obsOut.length, size * obsSize);
    }

    /** The checks of {@link #step}: open, and every buffer sized for {@code size()} slots. */
    final void checkStep(boolean[] mask, double[] actions, StepBatch out) {
        checkOpen("step");
        checkLength("step", "mask", mask.length, size);
        checkLength("step", "actions", actions.length, size * actSize);
        checkLength("step", "observation buffer", out.observations.length, size * obsSize);
        checkLength("step", "reward buffer", out.rewards.length, size);
    }

    private void checkLength(String operation, String what, int actual, int expected) {
        if (actual != expected) {
            throw new SpikerlException(operation + " of " + spec.id() + " (" + size + " slots): " + what + " has length "
                    + actual + ", expected " + expected);
        }
    }
}
