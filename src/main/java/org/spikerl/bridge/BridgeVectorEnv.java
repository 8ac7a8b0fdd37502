package org.spikerl.bridge;

import org.spikerl.SpikerlException;
import org.spikerl.env.StepBatch;

/**
 * {@code size()} copies of one Gymnasium environment in a Python bridge process, stepped together:
 * one message advances every slot. On the bridge's own pipe ({@link PipeChannel}) that is one
 * binary frame each way; over Py4J ({@link Py4jBatches}) a batch is split only to keep each
 * message under 8 KB ({@link MessagePlan}). Byte buffers are allocated once per message range and
 * reused. A message range with no masked slot is not sent at all. A reset or step can be split
 * in a send and a receive, so that {@link WorkerVectorEnv} keeps several processes stepping at once.
 *
 * <p>Environments are {@code gymnasium.make(id)} with the default wrappers only (TimeLimit:
 * 1000 steps for the MuJoCo tasks); actions reach {@code env.step} unclipped and exactly as given
 * (SPEC section 2). A slot must be reset before its first step and after its episode ended
 * (terminated or truncated); stepping it otherwise is an error. Not thread-safe.
 */
public final class BridgeVectorEnv extends CheckedVectorEnv {
    private final ServiceLink bridge;
    /** The bridge this env started and closes, or null when the bridge belongs to the caller. */
    private final AutoCloseable owner;
    private final int handle;
    private final int base;
    private final BatchChannel channel;
    private final MessagePlan plan;
    /** Which messages of the batch in flight were sent (a range with no masked slot is not). */
    private final boolean[] sent;
    private final byte[][] masks;
    private final byte[][] seeds;
    private final byte[][] actions;

    BridgeVectorEnv(ServiceLink bridge, String envId, int size, String kwargsJson, AutoCloseable owner) {
        this(bridge, envId, size, kwargsJson, owner, 0);
    }

    /**
     * @param base the number of this env's slot 0 in a larger vector env split over several
     *     processes, so that Python's messages name the caller's slot numbers
     */
    BridgeVectorEnv(ServiceLink bridge, String envId, int size, String kwargsJson, AutoCloseable owner, int base) {
        this(bridge, make(bridge, envId, size, kwargsJson), size, owner, base);
    }

    private BridgeVectorEnv(ServiceLink bridge, SpecJson.Made made, int size, AutoCloseable owner, int base) {
        super(made.spec(), size);
        this.bridge = bridge;
        this.owner = owner;
        this.handle = made.handle();
        this.base = base;
        this.channel = bridge.batches();
        this.plan = channel.limitsMessages() ? MessagePlan.of(size, obsSize, actSize)
                : new MessagePlan(new int[] {0}, new int[] {size});
        this.sent = new boolean[plan.messages()];
        int messages = plan.messages();
        this.masks = new byte[messages][];
        this.seeds = new byte[messages][];
        this.actions = new byte[messages][];
        for (int m = 0; m < messages; m++) {
            int count = plan.counts()[m];
            masks[m] = new byte[count];
            seeds[m] = new byte[count * Packing.I64];
            actions[m] = new byte[count * actSize * Packing.F64];
        }
    }

    /** Makes {@code size} copies of {@code envId} in the bridge's Python process. */
    private static SpecJson.Made make(ServiceLink bridge, String envId, int size, String kwargsJson) {
        if (size < 1) {
            throw new SpikerlException("vector env " + envId + ": size must be >= 1, got " + size);
        }
        bridge.checkUsable(envId, "make");
        try {
            return SpecJson.parseMade(bridge.service().make(envId, size, kwargsJson));
        } catch (RuntimeException e) {
            throw bridge.failure(e, envId, "make");
        }
    }

    /** Starts a bridge of its own with {@link BridgeOptions#defaults()}; {@link #close()} closes it. */
    public static BridgeVectorEnv open(String envId, int size) {
        PythonBridge bridge = PythonBridge.start();
        try {
            return new BridgeVectorEnv(bridge.link(), envId, size, "{}", bridge);
        } catch (RuntimeException e) {
            bridge.close();
            throw e;
        }
    }

    /** Number of bridge calls per reset or step of all slots. */
    public int messagesPerBatch() {
        return plan.messages();
    }

    @Override
    public void reset(boolean[] mask, long[] seedsIn, double[] obsOut) {
        checkReset(mask, seedsIn, obsOut);
        sendReset(mask, seedsIn, 0);
        receiveReset(mask, obsOut, 0);
    }

    /** Writes results of masked slots only; other slots' entries in {@code out} are left as they are. */
    @Override
    public void step(boolean[] mask, double[] actionsIn, StepBatch out) {
        checkStep(mask, actionsIn, out);
        sendStep(mask, actionsIn, 0);
        receiveStep(mask, out, 0);
    }

    /**
     * The first half of {@link #reset}: sends the seeds of slots {@code offset .. offset + size()}
     * of {@code mask} and {@code seedsIn} (a larger vector env's buffers); {@link #receiveReset}
     * with the same offset must follow.
     */
    void sendReset(boolean[] mask, long[] seedsIn, int offset) {
        checkOpen("reset");
        for (int m = 0; m < plan.messages(); m++) {
            int start = plan.starts()[m];
            int count = plan.counts()[m];
            sent[m] = packMask(mask, offset + start, 0, count, masks[m]);
            if (!sent[m]) {
                continue;
            }
            for (int i = 0; i < count; i++) {
                Packing.putLong(seeds[m], i * Packing.I64, seedsIn[offset + start + i]);
            }
            send(BatchChannel.OP_RESET, start, count, masks[m], seeds[m], "reset");
        }
    }

    /** The second half of {@link #reset}: writes the first observations of the masked slots. */
    void receiveReset(boolean[] mask, double[] obsOut, int offset) {
        receiveReplies("reset", mask, obsOut, null, offset);
    }

    private void readReset(byte[] reply, int start, int count, boolean[] mask, double[] obsOut, int offset) {
        checkReply("reset", reply, count * obsSize * Packing.F64);
        for (int i = 0; i < count; i++) {
            int slot = offset + start + i;
            if (mask[slot]) {
                Packing.getDoubles(reply, i * obsSize * Packing.F64, obsOut, slot * obsSize, obsSize);
            }
        }
    }

    /**
     * The first half of {@link #step}: sends the actions of slots {@code offset ..
     * offset + size()} of {@code mask} and {@code actionsIn} (a larger vector env's buffers);
     * {@link #receiveStep} with the same offset must follow.
     */
    void sendStep(boolean[] mask, double[] actionsIn, int offset) {
        checkOpen("step");
        for (int m = 0; m < plan.messages(); m++) {
            int start = plan.starts()[m];
            int count = plan.counts()[m];
            sent[m] = packMask(mask, offset + start, 0, count, masks[m]);
            if (!sent[m]) {
                continue;
            }
            for (int i = 0; i < count; i++) {
                int slot = offset + start + i;
                if (mask[slot]) {
                    checkFinite(actionsIn, slot * actSize, base + start + i);
                    Packing.putDoubles(actionsIn, slot * actSize, actions[m], i * actSize * Packing.F64, actSize);
                }
            }
            send(BatchChannel.OP_STEP, start, count, masks[m], actions[m], "step");
        }
    }

    /**
     * The second half of {@link #step}: writes the results of the masked slots. A reply holds the
     * observations of its {@code count} slots, then their rewards, then one byte each for
     * terminated and for truncated.
     */
    void receiveStep(boolean[] mask, StepBatch out, int offset) {
        receiveReplies("step", mask, null, out, offset);
    }

    private void readStep(byte[] reply, int start, int count, boolean[] mask, StepBatch out, int offset) {
        int obsBytes = count * obsSize * Packing.F64;
        int rewardsAt = obsBytes;
        int terminatedAt = rewardsAt + count * Packing.F64;
        int truncatedAt = terminatedAt + count;
        checkReply("step", reply, truncatedAt + count);
        for (int i = 0; i < count; i++) {
            int slot = offset + start + i;
            if (mask[slot]) {
                Packing.getDoubles(reply, i * obsSize * Packing.F64, out.observations, slot * obsSize, obsSize);
                out.rewards[slot] = Packing.getDouble(reply, rewardsAt + i * Packing.F64);
                out.terminated[slot] = Packing.getFlag(reply, terminatedAt + i);
                out.truncated[slot] = Packing.getFlag(reply, truncatedAt + i);
            }
        }
    }

    /**
     * Receives the reply to every message of the last send, in order, each read by {@link #readReset} or {@link #readStep}.
     * After a failed receive the remaining replies are still received (and dropped), so that the
     * channel stays in step for the next call; then the first failure is thrown. When
     * reading a reply throws (a reply of the wrong length), the call ends at once.
     */
    private void receiveReplies(String operation, boolean[] mask, double[] obsOut, StepBatch out, int offset) {
        RuntimeException failure = null;
        for (int m = 0; m < plan.messages(); m++) {
            if (!sent[m]) {
                continue;
            }
            byte[] reply;
            try {
                reply = receive(operation);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
                continue;
            }
            if (failure == null) {
                // A reset when obsOut is given, else a step: plain arguments, so a step allocates nothing.
                if (obsOut != null) {
                    readReset(reply, plan.starts()[m], plan.counts()[m], mask, obsOut, offset);
                } else {
                    readStep(reply, plan.starts()[m], plan.counts()[m], mask, out, offset);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void send(int op, int start, int count, byte[] mask, byte[] data, String operation) {
        try {
            channel.send(op, handle, base, start, count, mask, data);
        } catch (RuntimeException e) {
            throw bridge.failure(e, spec.id(), operation);
        }
    }

    private byte[] receive(String operation) {
        try {
            return channel.receive();
        } catch (RuntimeException e) {
            throw bridge.failure(e, spec.id(), operation);
        }
    }

    @Override
    public double simulationSeconds() {
        checkOpen("timings");
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bridge.service().timings(handle))
                    .get("env_step_s").asDouble();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BridgeException("timings of " + spec.id() + ": unreadable reply: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw bridge.failure(e, spec.id(), "timings");
        }
    }

    /** Closes the environments in Python (and the bridge, if this env started it). */
    @Override
    void release() {
        try {
            bridge.checkUsable(spec.id(), "close");
            bridge.service().close(handle);
        } catch (RuntimeException e) {
            // A closed or broken bridge has no environments left to close.
        } finally {
            if (owner != null) {
                closeOwner();
            }
        }
    }

    private void closeOwner() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new BridgeException("close of " + spec.id() + ": " + e.getMessage(), e);
        }
    }

    /** Copies mask[start, start + count) as bytes into out[at..]; true if any slot is masked. */
    private static boolean packMask(boolean[] mask, int start, int at, int count, byte[] out) {
        boolean any = false;
        for (int i = 0; i < count; i++) {
            out[at + i] = (byte) (mask[start + i] ? 1 : 0);
            any |= mask[start + i];
        }
        return any;
    }

    private void checkFinite(double[] a, int from, int slot) {
        for (int j = 0; j < actSize; j++) {
            if (!Double.isFinite(a[from + j])) {
                throw new SpikerlException("step of " + spec.id() + ": action of slot " + slot + " has "
                        + a[from + j] + " at index " + j);
            }
        }
    }

    /** Also throws when the bridge is closed or broken. */
    @Override
    void checkOpen(String operation) {
        super.checkOpen(operation);
        bridge.checkUsable(spec.id(), operation);
    }

    private void checkReply(String operation, byte[] reply, int expected) {
        if (reply == null || reply.length != expected) {
            throw new BridgeException(operation + " of " + spec.id() + ": the Python bridge replied with "
                    + (reply == null ? "nothing" : reply.length + " bytes") + ", expected " + expected);
        }
    }
}
