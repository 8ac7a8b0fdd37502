package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The data channel's frames, byte for byte, against the layout {@code serve_data} in
 * {@code envs/spikerl_bridge.py} reads and writes: request op, handle, base, start, count (int32
 * little-endian), payload length (uint32), mask then data; reply status (uint8), length, body.
 */
class PipeChannelTest {
    private static byte[] reply(int status, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).order(ByteOrder.LITTLE_ENDIAN).put((byte) status)
                .putInt(body.length).put(body).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private final AtomicBoolean killed = new AtomicBoolean();

    private PipeChannel channel(ByteArrayOutputStream requests, byte[] replies) {
        return new PipeChannel(requests, new ByteArrayInputStream(replies), Duration.ofMinutes(5),
                () -> killed.set(true));
    }

    @Test
    void requestFrameIsTheLayoutPythonReads() {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        PipeChannel c = channel(requests, reply(0, new byte[] {9}));
        byte[] actions = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.5).putDouble(-2).array();
        c.send(BatchChannel.OP_STEP, 7, 10, 3, 2, new byte[] {1, 0, 1}, actions);
        ByteBuffer r = ByteBuffer.wrap(requests.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(21 + 2 + 16, r.remaining(), "header, the count's mask bytes only, the data");
        assertEquals(BatchChannel.OP_STEP, r.get());
        assertEquals(7, r.getInt(), "handle");
        assertEquals(10, r.getInt(), "base");
        assertEquals(3, r.getInt(), "start");
        assertEquals(2, r.getInt(), "count");
        assertEquals(18, r.getInt(), "payload length");
        assertEquals(1, r.get());
        assertEquals(0, r.get());
        assertEquals(0.5, r.getDouble());
        assertEquals(-2.0, r.getDouble());
        assertArrayEquals(new byte[] {9}, c.receive());
        c.close();
    }

    @Test
    void repliesComeInTheOrderOfTheSends() {
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        PipeChannel c = channel(requests, concat(reply(0, new byte[] {1}), reply(0, new byte[] {2, 2})));
        c.send(BatchChannel.OP_RESET, 1, 0, 0, 1, new byte[] {1}, new byte[8]);
        c.send(BatchChannel.OP_RESET, 2, 1, 0, 1, new byte[] {1}, new byte[8]);
        assertArrayEquals(new byte[] {1}, c.receive());
        assertArrayEquals(new byte[] {2, 2}, c.receive());
        c.close();
    }

    @Test
    void errorStatusIsAPythonErrorWithItsMessage() {
        PipeChannel c = channel(new ByteArrayOutputStream(),
                reply(1, "Hopper-v4 slot 3: step before reset".getBytes(StandardCharsets.UTF_8)));
        c.send(BatchChannel.OP_STEP, 1, 0, 0, 1, new byte[] {1}, new byte[24]);
        BatchChannel.PythonError e = assertThrows(BatchChannel.PythonError.class, c::receive);
        assertEquals("Hopper-v4 slot 3: step before reset", e.getMessage());
        c.close();
    }

    @Test
    void aClosedChannelIsALostProcessNotATimeout() {
        byte[] cut = java.util.Arrays.copyOf(reply(0, new byte[8]), 7);
        PipeChannel c = channel(new ByteArrayOutputStream(), cut);
        c.send(BatchChannel.OP_STEP, 1, 0, 0, 1, new byte[] {1}, new byte[24]);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, c::receive);
        assertInstanceOf(EOFException.class, e.getCause());
        assertFalse(killed.get(), "nothing to kill: the process closed the channel itself");
        c.close();
    }
}
