package org.spikerl.bridge;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Resets and steps as binary frames over the bridge process's stdin (requests) and stdout
 * (replies); the frame layout is in {@code envs/spikerl_bridge.py} ({@code serve_data}). No
 * encoding, no socket, no file: the pipes exist only between this JVM and its child.
 *
 * <p>A call that gets no reply within the bridge's call timeout ends the process (a watchdog
 * thread checks every 50 ms), so the blocked read returns and the call fails with a {@link
 * SocketTimeoutException} as its cause, like a Py4J call past its read timeout.
 */
final class PipeChannel implements BatchChannel {
    private static final int REQUEST_HEADER = 1 + 5 * 4;
    private static final int REPLY_HEADER = 1 + 4;
    private static final Set<PipeChannel> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spikerl-bridge-watchdog");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.scheduleWithFixedDelay(() -> WATCHED.forEach(PipeChannel::checkDeadline), 50, 50,
                TimeUnit.MILLISECONDS);
    }

    private final OutputStream out;
    private final InputStream in;
    private final long timeoutNanos;
    private final Runnable kill;
    private final byte[] replyHead = new byte[REPLY_HEADER];
    private ByteBuffer request = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private int pending;
    /** System.nanoTime() by which the oldest pending call must be answered; 0 when none is. */
    private volatile long deadline;
    private volatile boolean timedOut;

    PipeChannel(OutputStream out, InputStream in, Duration timeout, Runnable kill) {
        this.out = out;
        this.in = in;
        this.timeoutNanos = timeout.toNanos();
        this.kill = kill;
        WATCHED.add(this);
    }

    @Override
    public void send(int op, int handle, int base, int start, int count, byte[] mask, byte[] data) {
        int payload = count + data.length;
        if (request.capacity() < REQUEST_HEADER + payload) {
            request = ByteBuffer.allocate(REQUEST_HEADER + payload).order(ByteOrder.LITTLE_ENDIAN);
        }
        request.clear();
        request.put((byte) op).putInt(handle).putInt(base).putInt(start).putInt(count).putInt(payload);
        request.put(mask, 0, count).put(data);
        if (pending++ == 0) {
            deadline = System.nanoTime() + timeoutNanos;
        }
        try {
            out.write(request.array(), 0, request.position());
            out.flush();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    @Override
    public byte[] receive() {
        try {
            readFully(replyHead);
            ByteBuffer h = ByteBuffer.wrap(replyHead).order(ByteOrder.LITTLE_ENDIAN);
            int status = h.get();
            int length = h.getInt();
            byte[] body = new byte[length];
            readFully(body);
            if (--pending == 0) {
                deadline = 0;
            } else {
                deadline = System.nanoTime() + timeoutNanos;
            }
            if (status != 0) {
                throw new PythonError(new String(body, StandardCharsets.UTF_8));
            }
            return body;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    @Override
    public boolean limitsMessages() {
        return false;
    }

    /** Stops watching this channel (the bridge is closing). */
    void close() {
        WATCHED.remove(this);
        deadline = 0;
    }

    private void readFully(byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n < b.length) {
            throw new EOFException("the Python process closed its data channel");
        }
    }

    private RuntimeException lost(IOException e) {
        deadline = 0;
        if (timedOut) {
            SocketTimeoutException t = new SocketTimeoutException("no reply within the call timeout");
            t.initCause(e);
            return new UncheckedIOException(t);
        }
        return new UncheckedIOException(e);
    }

    private void checkDeadline() {
        long d = deadline;
        if (d != 0 && System.nanoTime() - d > 0 && !timedOut) {
            timedOut = true;
            kill.run();
        }
    }
}
