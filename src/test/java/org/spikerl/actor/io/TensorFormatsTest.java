package org.spikerl.actor.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

/** Hand-built inputs for the low-level readers: half floats, numpy text, safetensors bytes. */
class TensorFormatsTest {

    @Test
    void halfFloatsConvertExactly() {
        assertEquals(1.0f, TorchPickle.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, TorchPickle.halfToFloat((short) 0xc000));
        assertEquals(0.333251953125f, TorchPickle.halfToFloat((short) 0x3555)); // 1365/4096
        assertEquals(65504f, TorchPickle.halfToFloat((short) 0x7bff)); // largest half
        assertEquals(0x1p-24f, TorchPickle.halfToFloat((short) 0x0001)); // smallest subnormal
        assertEquals(-0.0f, TorchPickle.halfToFloat((short) 0x8000));
        assertEquals(Float.POSITIVE_INFINITY, TorchPickle.halfToFloat((short) 0x7c00));
        assertTrue(Float.isNaN(TorchPickle.halfToFloat((short) 0x7e00)));
    }

    @Test
    void numpyArrayText() {
        assertArrayEquals(new double[] {-2}, Sb3Zip.numpyArray("d", "low", "[-2.]", true));
        assertArrayEquals(new double[] {-1, -0.5, 3e-5}, Sb3Zip.numpyArray("d", "low", "[-1.   -0.5   3.e-05]", false));
        assertArrayEquals(new double[] {Double.NEGATIVE_INFINITY, 1, Double.POSITIVE_INFINITY},
                Sb3Zip.numpyArray("d", "low", "[-inf  1.\n  inf]", true));
        // float32 spaces: 0.1 is stored as the float nearest 0.1
        assertEquals((double) 0.1f, Sb3Zip.numpyArray("d", "high", "[0.1]", true)[0]);
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> Sb3Zip.numpyArray("m.zip (data)", "action_space.low", "[-1. -1. ... -1.]", true));
        assertEquals("m.zip (data): field action_space.low is '[-1. -1. ... -1.]'; expected a 1-D numpy array printed in full",
                e.getMessage());
        assertThrows(SpikerlException.class, () -> Sb3Zip.numpyArray("d", "low", "[[1. 2.]]", true));
        assertThrows(SpikerlException.class, () -> Sb3Zip.numpyArray("d", "low", "[nan]", true));
    }

    @Test
    void activationClassName() {
        assertEquals("ReLU", Sb3Zip.simpleClassName("<class 'torch.nn.modules.activation.ReLU'>"));
        assertEquals("Tanh", Sb3Zip.simpleClassName("<class 'torch.nn.modules.activation.Tanh'>"));
    }

    /** A safetensors file: 8-byte LE header length, JSON header, data. */
    private static byte[] safetensors(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void safetensorsReadsShapesAndOffsets() {
        byte[] data = floats(1, 2, 3, 4, 5, 6, 0.5f, -0.5f);
        byte[] f = safetensors("{\"__metadata__\":{\"a\":\"b\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[24,32]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[0],\"data_offsets\":[32,32]}}", data);
        assertTrue(Safetensors.looksLike(java.util.Arrays.copyOf(f, 16), f.length));
        Map<String, Tensor> t = Safetensors.read("x", f);
        assertArrayEquals(new int[] {2, 3}, t.get("w").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.get("w").data());
        assertArrayEquals(new float[] {0.5f, -0.5f}, t.get("b").data());
        assertEquals("int64", t.get("n").dtype());
        assertNull(t.get("n").data());
    }

    @Test
    void safetensorsBoundsAreChecked() {
        byte[] data = floats(1, 2);
        SpikerlException outside = assertThrows(SpikerlException.class, () -> Safetensors.read("x.st",
                safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", data)));
        assertEquals("x.st: tensor w: data_offsets [0, 16] lie outside the 8 data bytes", outside.getMessage());
        SpikerlException size = assertThrows(SpikerlException.class, () -> Safetensors.read("x.st",
                safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", data)));
        assertTrue(size.getMessage().contains("span 8 bytes, shape [3] of F32 needs 12"), size.getMessage());
        byte[] huge = safetensors("{}", data);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 40);
        SpikerlException len = assertThrows(SpikerlException.class, () -> Safetensors.read("x.st", huge));
        assertTrue(len.getMessage().startsWith("x.st: safetensors header length 1099511627776 does not fit"), len.getMessage());
        assertThrows(SpikerlException.class, () -> Safetensors.read("x.st", safetensors("{\"w\":1}", data)));
    }

    @Test
    void nestedZipReaderHandlesDeflatedEntriesAndChecksCrc() throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        byte[] text = "spiking ".repeat(100).getBytes(StandardCharsets.US_ASCII);
        try (var out = new java.util.zip.ZipOutputStream(bytes)) { // deflated, with data descriptors
            out.putNextEntry(new java.util.zip.ZipEntry("a/b.txt"));
            out.write(text);
            out.closeEntry();
            out.putNextEntry(new java.util.zip.ZipEntry("empty"));
            out.closeEntry();
        }
        byte[] zip = bytes.toByteArray();
        ZipArchive z = ZipArchive.fromBytes("inner", zip);
        assertEquals(java.util.List.of("a/b.txt", "empty"), z.names());
        assertArrayEquals(text, z.get("a/b.txt"));
        assertEquals(0, z.get("empty").length);

        // Flip one bit of a stored entry's data: the CRC catches it.
        var st = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.ZipOutputStream(st)) {
            var e = new java.util.zip.ZipEntry("x");
            e.setMethod(java.util.zip.ZipEntry.STORED);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(text);
            e.setSize(text.length);
            e.setCrc(crc.getValue());
            out.putNextEntry(e);
            out.write(text);
            out.closeEntry();
        }
        byte[] stored = st.toByteArray();
        stored[30 + 1 + 10] ^= 1; // local header (30) + name "x" (1), inside the data
        byte[] corrupt = stored;
        SpikerlException ex = assertThrows(SpikerlException.class, () -> ZipArchive.fromBytes("inner", corrupt));
        assertEquals("inner: truncated or corrupt zip archive (CRC mismatch in entry x)", ex.getMessage());
    }
}
