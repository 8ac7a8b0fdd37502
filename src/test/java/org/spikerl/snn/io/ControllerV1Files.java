package org.spikerl.snn.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Format-version-1 files, crafted byte for byte as spikerl wrote them before version 2 (commit
 * 36106b0): the same pretty-printed header with {@code "format_version" : 1}, the version-1 tensor
 * list (no {@code snn_bias}), the same framing. {@code ControllerFileTest} checks that this gives
 * exactly the bytes of the fixtures {@code controller_v1_*.ctrl} that the old writer wrote.
 */
final class ControllerV1Files {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ControllerV1Files() {
    }

    /**
     * The version-1 file of the network in the version-2 file {@code v2}: what the version-1 writer
     * wrote for it (with the same provenance). Only an IF network with the ANN's biases has one.
     *
     * @throws IllegalArgumentException if the network has another neuron or calibrated biases
     */
    static byte[] fromVersion2(byte[] v2) {
        ByteBuffer le = ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN);
        if (le.getInt(12) != 2) {
            throw new IllegalArgumentException("not a version-2 file");
        }
        int h = le.getInt(16);
        ObjectNode header;
        try {
            header = (ObjectNode) MAPPER.readTree(new String(v2, 20, h, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] data = Arrays.copyOfRange(v2, 20 + h, v2.length - 32);
        JsonNode network = header.get("network");
        if (!network.get("neuron").asText().equals("if")) {
            throw new IllegalArgumentException("version 1 has IF neurons only, not " + network.get("neuron"));
        }

        ByteArrayOutputStream v1Data = new ByteArrayOutputStream();
        byte[] bias = null;
        for (JsonNode t : header.get("tensors")) {
            String name = t.get("name").asText();
            byte[] bytes = Arrays.copyOfRange(data, t.get("data_offsets").get(0).asInt(),
                    t.get("data_offsets").get(1).asInt());
            if (name.endsWith(".bias")) {
                bias = bytes;
            }
            if (name.endsWith(".snn_bias")) {
                if (!Arrays.equals(bytes, bias)) {
                    throw new IllegalArgumentException(name + " differs from the ANN's bias: version 1 cannot hold it");
                }
            } else {
                v1Data.writeBytes(bytes);
            }
        }
        JsonNode layers = network.get("layers");
        long[][] dims = new long[layers.size()][];
        for (int l = 0; l < dims.length; l++) {
            dims[l] = new long[] {layers.get(l).get("in").asLong(), layers.get(l).get("out").asLong()};
        }
        header.put("format_version", 1);
        header.set("tensors", ControllerCodec.tensorsJson(1, dims, !network.get("observation_norm").isNull(),
                network.get("head").asText().equals("tanh")));
        try {
            return ControllerFile.frame(1, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(header),
                    v1Data.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
