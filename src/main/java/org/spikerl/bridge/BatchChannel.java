package org.spikerl.bridge;

/**
 * How the resets and steps of a {@link BridgeVectorEnv} reach its Python process: over the binary
 * pipe of {@link PipeChannel} (the bridge's own), or as Py4J calls ({@link Py4jBatches}, for
 * services without a pipe). A call is split in two so that several processes step at once: {@link
 * #send} starts it, {@link #receive} returns its reply; replies come in the order of the sends.
 * Failures ({@link PythonError} for an error reported by Python, anything else for a lost process)
 * are thrown by {@link #receive}. One thread at a time: a send and its receive happen on the same
 * thread.
 */
interface BatchChannel {
    int OP_RESET = 1;
    int OP_STEP = 2;

    /**
     * Starts {@code op} on slots {@code [start, start + count)} of the environment group {@code
     * handle}; {@code base} is the group's first slot in the caller's numbering (for messages).
     * {@code data} holds the masked slots' seeds (int64) or actions (float64), packed.
     */
    void send(int op, int handle, int base, int start, int count, byte[] mask, byte[] data);

    /** The reply of the oldest call not yet received. */
    byte[] receive();

    /** Whether batches must be split to keep each message under {@link MessagePlan#MESSAGE_LIMIT}. */
    boolean limitsMessages();

    /** An error raised in Python while serving a call; the message is Python's one line. */
    final class PythonError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PythonError(String message) {
            super(message);
        }
    }
}
