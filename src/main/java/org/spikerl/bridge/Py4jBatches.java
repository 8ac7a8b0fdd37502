package org.spikerl.bridge;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Batches as Py4J calls of {@link PyEnvService#resetBatch} and {@link PyEnvService#stepBatch}:
 * each {@link #send} makes the call at once and keeps its reply (or failure) for {@link #receive}.
 */
final class Py4jBatches implements BatchChannel {
    private final PyEnvService service;
    private final Queue<Object> replies = new ArrayDeque<>();

    Py4jBatches(PyEnvService service) {
        this.service = service;
    }

    @Override
    public void send(int op, int handle, int base, int start, int count, byte[] mask, byte[] data) {
        try {
            replies.add(op == OP_RESET ? service.resetBatch(handle, start, count, mask, data)
                    : service.stepBatch(handle, start, count, mask, data));
        } catch (RuntimeException e) {
            replies.add(e);
        }
    }

    @Override
    public byte[] receive() {
        Object r = replies.remove();
        if (r instanceof RuntimeException e) {
            throw e;
        }
        return (byte[]) r;
    }

    @Override
    public boolean limitsMessages() {
        return true;
    }
}
