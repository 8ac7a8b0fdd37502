package org.spikerl.actor.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.SpikerlException;

/**
 * Parser of the safetensors format (huggingface/safetensors): an 8-byte little-endian header
 * length N, N bytes of UTF-8 JSON mapping each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the end of the
 * header), then the raw little-endian data. An optional {@code "__metadata__"} entry holds strings
 * and is ignored. Every length and offset is checked against the file before any data is read.
 */
final class Safetensors {
    /** Header lengths above this are refused before any allocation (the format caps it at 100 MB too). */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final Map<String, TorchPickle.Dtype> DTYPES = Map.ofEntries(
            Map.entry("F32", new TorchPickle.Dtype("float32", 4, true)),
            Map.entry("F64", new TorchPickle.Dtype("float64", 8, true)),
            Map.entry("F16", new TorchPickle.Dtype("float16", 2, true)),
            Map.entry("BF16", new TorchPickle.Dtype("bfloat16", 2, true)),
            Map.entry("I64", new TorchPickle.Dtype("int64", 8, false)),
            Map.entry("U64", new TorchPickle.Dtype("uint64", 8, false)),
            Map.entry("I32", new TorchPickle.Dtype("int32", 4, false)),
            Map.entry("U32", new TorchPickle.Dtype("uint32", 4, false)),
            Map.entry("I16", new TorchPickle.Dtype("int16", 2, false)),
            Map.entry("U16", new TorchPickle.Dtype("uint16", 2, false)),
            Map.entry("I8", new TorchPickle.Dtype("int8", 1, false)),
            Map.entry("U8", new TorchPickle.Dtype("uint8", 1, false)),
            Map.entry("BOOL", new TorchPickle.Dtype("bool", 1, false)));

    private Safetensors() {
    }

    /** True when {@code bytes} start like a safetensors file: a plausible header length and a '{'. */
    static boolean looksLike(byte[] head, long fileSize) {
        if (head.length < 9 || fileSize < 10) {
            return false;
        }
        long n = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n >= 2 && n <= MAX_HEADER_BYTES && n <= fileSize - 8 && head[8] == '{';
    }

    static Map<String, Tensor> read(String where, byte[] file) {
        if (file.length < 8) {
            throw new SpikerlException(where + ": " + file.length + " bytes; a safetensors file starts with an 8-byte header length");
        }
        long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER_BYTES || n > file.length - 8L) {
            throw new SpikerlException(where + ": safetensors header length " + n + " does not fit a file of "
                    + file.length + " bytes");
        }
        int dataStart = 8 + (int) n;
        long dataSize = file.length - (long) dataStart;
        JsonNode header;
        try {
            header = new ObjectMapper().readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SpikerlException(where + ": safetensors header is not valid JSON ("
                    + ZipArchive.oneLine(e.getOriginalMessage()) + ")", e);
        }
        if (header == null || !header.isObject()) {
            throw new SpikerlException(where + ": safetensors header is not a JSON object");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            tensors.put(e.getKey(), tensor(where, e.getKey(), e.getValue(), file, dataStart, dataSize));
        }
        if (tensors.isEmpty()) {
            throw new SpikerlException(where + ": safetensors file holds no tensors");
        }
        return tensors;
    }

    private static Tensor tensor(String where, String name, JsonNode info, byte[] file, int dataStart, long dataSize) {
        String at = where + ": tensor " + name;
        JsonNode dt = info.get("dtype");
        JsonNode shapeNode = info.get("shape");
        JsonNode off = info.get("data_offsets");
        if (dt == null || !dt.isTextual() || shapeNode == null || !shapeNode.isArray() || off == null
                || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong() || !off.get(1).canConvertToLong()) {
            throw new SpikerlException(at + ": header entry must have dtype, shape and data_offsets [begin, end]");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong()) {
                throw new SpikerlException(at + ": shape must hold integers, got " + shapeNode);
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        long numel = Tensor.numel(shape);
        if (numel < 0) {
            throw new SpikerlException(at + ": invalid or too large shape " + shapeNode);
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new SpikerlException(at + ": data_offsets [" + begin + ", " + end + "] lie outside the "
                    + dataSize + " data bytes");
        }
        TorchPickle.Dtype type = DTYPES.get(dt.asText());
        if (type == null) {
            throw new SpikerlException(at + ": unknown dtype " + dt.asText());
        }
        String dtype = type.name();
        int itemSize = type.itemSize();
        if (end - begin != numel * itemSize) {
            throw new SpikerlException(at + ": data_offsets span " + (end - begin) + " bytes, shape " + shapeNode
                    + " of " + dt.asText() + " needs " + numel * itemSize);
        }
        if (!type.floating()) {
            return new Tensor(name, dtype, Tensor.toInts(shape), null);
        }
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int base = dataStart + (int) begin;
        float[] data = new float[(int) numel];
        for (int i = 0; i < data.length; i++) {
            data[i] = switch (dtype) {
                case "float32" -> buf.getFloat(base + 4 * i);
                case "float64" -> (float) buf.getDouble(base + 8 * i);
                case "float16" -> TorchPickle.halfToFloat(buf.getShort(base + 2 * i));
                default -> Float.intBitsToFloat((buf.getShort(base + 2 * i) & 0xffff) << 16);
            };
        }
        return new Tensor(name, dtype, Tensor.toInts(shape), data);
    }
}
