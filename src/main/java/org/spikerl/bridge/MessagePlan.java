package org.spikerl.bridge;

/**
 * How a batch of {@code size} slots is split into consecutive slot ranges so that no Py4J
 * message of a reset or step exceeds {@link #MESSAGE_LIMIT} characters. Py4J 0.10.9.x writes a
 * longer message in two parts and then stalls ~40 ms on Nagle's algorithm and delayed ACKs (py4j
 * issue 516). Py4J sends byte arrays as base64 text, 4 characters per 3 bytes.
 *
 * <p>A slot too large for one message on its own (observations above ~750 values) still gets a
 * message of one slot: correct, only slower.
 *
 * @param starts first slot of each message
 * @param counts slots in each message
 */
record MessagePlan(int[] starts, int[] counts) {
    /** Characters per message: Py4J's BufferedWriter and stream encoder hold 8192. */
    static final int MESSAGE_LIMIT = 8192;
    /** Room for the command, object id, method name, integer arguments and separators. */
    static final int OVERHEAD = 256;

    static MessagePlan of(int size, int obsSize, int actSize) {
        if (size < 1 || obsSize < 1 || actSize < 1) {
            throw new IllegalArgumentException("size, obsSize and actSize must be >= 1");
        }
        int perMessage = slotsPerMessage(obsSize, actSize);
        int messages = (size + perMessage - 1) / perMessage;
        int[] starts = new int[messages];
        int[] counts = new int[messages];
        for (int m = 0; m < messages; m++) {
            starts[m] = m * perMessage;
            counts[m] = Math.min(perMessage, size - starts[m]);
        }
        return new MessagePlan(starts, counts);
    }

    /** The most slots whose largest message fits {@link #MESSAGE_LIMIT}, and at least 1. */
    static int slotsPerMessage(int obsSize, int actSize) {
        int count = 1;
        while (largestMessage(count + 1, obsSize, actSize) <= MESSAGE_LIMIT) {
            count++;
        }
        return count;
    }

    /** Characters of the longest of the four messages (reset/step, request/reply) for count slots. */
    static long largestMessage(int count, int obsSize, int actSize) {
        long resetRequest = base64Length(count) + base64Length((long) count * Packing.I64);
        long resetReply = base64Length((long) count * obsSize * Packing.F64);
        long stepRequest = base64Length(count) + base64Length((long) count * actSize * Packing.F64);
        long stepReply = base64Length((long) count * (obsSize * Packing.F64 + Packing.F64 + 2));
        return OVERHEAD + Math.max(Math.max(resetRequest, resetReply), Math.max(stepRequest, stepReply));
    }

    static long base64Length(long bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    int messages() {
        return starts.length;
    }
}
