package org.spikerl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A safetensors actor for {@link FiveStepEnv} (2 observations, 1 action): 2-4-4-1 with ReLU and a
 * clip head (bounds from the env), fixed weights, so that its actions depend on the observation and
 * some hidden units are active and some are not.
 */
public final class TinyActor {
    private static final float[] W1 = {0.5f, 0.25f, -0.5f, 0.75f, 0.25f, -0.25f, -0.3f, -0.2f};
    private static final float[] B1 = {0.1f, 0.2f, 0.3f, -0.1f};
    private static final float[] W2 = {0.5f, -0.25f, 0.25f, 0.1f, 0.2f, 0.4f, -0.1f, 0.3f,
        -0.2f, 0.1f, 0.5f, 0.2f, 0.3f, 0.3f, 0.3f, -0.3f};
    private static final float[] B2 = {0.05f, 0.1f, -0.05f, 0.2f};
    private static final float[] W3 = {0.4f, -0.3f, 0.2f, 0.5f};
    private static final float[] B3 = {0.1f};

    private TinyActor() {
    }

    /** Writes {@code tiny.safetensors} and its {@code tiny.actor.json} into {@code dir}; returns the first. */
    public static Path write(Path dir) {
        String header = "{\"l1.weight\":{\"dtype\":\"F32\",\"shape\":[4,2],\"data_offsets\":[0,32]},"
                + "\"l1.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[32,48]},"
                + "\"l2.weight\":{\"dtype\":\"F32\",\"shape\":[4,4],\"data_offsets\":[48,112]},"
                + "\"l2.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[112,128]},"
                + "\"l3.weight\":{\"dtype\":\"F32\",\"shape\":[1,4],\"data_offsets\":[128,144]},"
                + "\"l3.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[144,148]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 148).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (float[] t : new float[][] {W1, B1, W2, B2, W3, B3}) {
            for (float v : t) {
                b.putFloat(v);
            }
        }
        Path file = dir.resolve("tiny.safetensors");
        try {
            Files.write(file, b.array());
            Files.writeString(dir.resolve("tiny.actor.json"), "{\"spikerl_actor\": 1, \"layers\": [\"l1\", \"l2\", \"l3\"],"
                    + " \"activation\": \"relu\", \"head\": {\"type\": \"clip\"}}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
