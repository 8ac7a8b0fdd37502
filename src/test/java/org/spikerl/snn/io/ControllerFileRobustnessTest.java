package org.spikerl.snn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.actor.io.Fixtures;

/**
 * Damaged, foreign and hostile controller files: every one must end in a one-line
 * {@link SpikerlException} that names the file, without a hang (a 10 s guard per case, far above
 * the milliseconds a read takes), an {@link OutOfMemoryError} or another exception. Files with a
 * crafted header get a recomputed, valid checksum, so the checks behind the checksum run.
 */
class ControllerFileRobustnessTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static ExecutorService GUARD = newGuard();

    @TempDir
    static Path dir;
    /** 5-16-16-2 with tanh head: small enough to cut and flip at every byte. */
    static byte[] small;
    /** 4-12-10-8-3 with observation norm and clip head. */
    static byte[] normClip;
    /** The CRPI Hopper actor, converted: a realistic size (about 290 KB). */
    static byte[] hopper;

    @BeforeAll
    static void writeValidFiles() throws IOException {
        small = written("small.ctrl", "small", 0);
        normClip = written("normclip.ctrl", "normclip", 1);
        hopper = written("hopper.ctrl", "hopper", 2);
    }

    private static byte[] written(String name, String note, int which) throws IOException {
        Path f = dir.resolve(name);
        ControllerFile.write(switch (which) {
            case 0 -> ControllerNets.small();
            case 1 -> ControllerNets.normClip();
            default -> ControllerNets.hopper();
        }, java.util.Map.of("note", note), f);
        byte[] b = Files.readAllBytes(f);
        ControllerFile.read(f); // valid to begin with
        return b;
    }

    @Test
    void everyTruncationOfASmallFileIsRefused() {
        for (int len = 0; len < small.length; len++) {
            refusedSaying("small cut to " + len + " bytes", Arrays.copyOf(small, len), "truncated", "empty file");
        }
    }

    @Test
    void truncationsOfTheHopperFileAreRefused() {
        int dataStart = 20 + le(hopper).getInt(16);
        TreeSet<Integer> cuts = new TreeSet<>(Arrays.asList(0, 1, 11, 12, 19, 20, 21, dataStart - 1, dataStart,
                dataStart + 1, hopper.length - 33, hopper.length - 32, hopper.length - 31, hopper.length - 1));
        for (int k = 1; k < 64; k++) {
            cuts.add((int) ((long) hopper.length * k / 64));
        }
        for (int len : cuts) {
            refusedSaying("hopper cut to " + len + " bytes", Arrays.copyOf(hopper, len), "truncated", "empty file");
        }
    }

    @Test
    void everySingleFlippedByteOfASmallFileIsRefused() {
        for (int pos = 0; pos < small.length; pos++) {
            for (int mask : new int[] {0x01, 0x80, 0xFF}) {
                byte[] b = small.clone();
                b[pos] ^= (byte) mask;
                refusedSaying("small, byte " + pos + " ^ " + mask, b,
                        "not a spikerl controller file", "checksum mismatch", "damaged");
            }
        }
    }

    @Test
    void flippedBytesAcrossTheHopperFileAreRefused() {
        Random rng = new Random(5);
        for (int k = 0; k < 300; k++) {
            int pos = k < 40 ? k : rng.nextInt(hopper.length);
            byte[] b = hopper.clone();
            b[pos] ^= (byte) (1 << rng.nextInt(8));
            refusedSaying("hopper, byte " + pos, b, "not a spikerl controller file", "checksum mismatch", "damaged");
        }
    }

    @Test
    void emptyForeignAndRandomFilesAreRefused() throws IOException {
        refusedSaying("empty", new byte[0], "empty file");
        refusedSaying("an actor file (torch zip)", Files.readAllBytes(Fixtures.crpiActor("TD3_Hopper-v4_actor")),
                "not a spikerl controller file");
        byte[] noise = new byte[4096];
        new Random(9).nextBytes(noise);
        refusedSaying("random bytes", noise, "not a spikerl controller file");
        refusedSaying("magic only", Arrays.copyOf(small, 12), "truncated");
        byte[] zeros = Arrays.copyOf(small, 200_000);
        Arrays.fill(zeros, 12, zeros.length, (byte) 0);
        refusedSaying("magic then zeros", zeros, "checksum mismatch");
        refusedSaying("small with 1 MiB appended", Arrays.copyOf(small, small.length + (1 << 20)), "checksum mismatch");
    }

    /** A file over the size limit is refused from its size alone: a sparse file, so the test writes almost nothing. */
    @Test
    void aFileOverTheSizeLimitIsRefusedUnread() throws IOException {
        Path big = dir.resolve("big.ctrl");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.write(small, 0, 20);
            f.setLength(ControllerFile.MAX_FILE_BYTES + 1);
        }
        Outcome o = outcome(big);
        assertOneLine("64 MiB + 1", big, o.thrown(), (ControllerFile.MAX_FILE_BYTES + 1)
                + " bytes, more than a controller file may have");
        assertTrue(o.allocatedBytes() < (1 << 20), "allocated " + o.allocatedBytes() + " bytes");
        Files.delete(big);
    }

    @Test
    void aDirectoryAndAMissingFileAreRefused() {
        assertOneLine("a folder", dir, outcome(dir).thrown(), "not a regular file");
        Path missing = dir.resolve("missing.ctrl");
        assertOneLine("missing", missing, outcome(missing).thrown(), "no such file");
    }

    /** Versions other than 1 and 2, with a valid checksum: a newer one is named as such. */
    @Test
    void otherFormatVersionsAreRefused() {
        Parts p = Parts.of(small);
        assertEquals(2, p.version(), "the writer writes version 2");
        refusedSaying("version 3", ControllerFile.frame(3, p.headerBytes(), p.data()),
                "written by a newer spikerl, format version 3, this spikerl reads up to 2");
        refusedSaying("version 2^32-1", ControllerFile.frame(-1, p.headerBytes(), p.data()),
                "format version 4294967295");
        refusedSaying("version 0", ControllerFile.frame(0, p.headerBytes(), p.data()),
                "format version 0 is not valid, expected 1 to 2");
        byte[] flipped = small.clone();
        flipped[12] = 3;
        refusedSaying("version 3 without a matching checksum", flipped, "checksum mismatch");
    }

    /**
     * The prefix's version decides how the header is read: a version-2 header in a version-1 frame
     * and the reverse are refused, as is anything of version 2 in a version-1 file.
     */
    @Test
    void prefixAndHeaderVersionsMustAgree() {
        Parts p = Parts.of(small);
        refusedSaying("version-2 header, version-1 prefix", ControllerFile.frame(1, p.headerBytes(), p.data()),
                "header field format_version is 2, expected 1 (the format version in the file's prefix)");
        byte[] v1 = ControllerV1Files.fromVersion2(small);
        Parts q = Parts.of(v1);
        refusedSaying("version-1 header, version-2 prefix", ControllerFile.frame(2, q.headerBytes(), q.data()),
                "header field format_version is 1, expected 2 (the format version in the file's prefix)");
        refusedSaying("version 1 with neuron mt:3", withHeader(v1, h -> network(h).put("neuron", "mt:3")),
                "header field network.neuron is \"mt:3\", expected \"if\" (the only neuron of format version 1)");
        refusedSaying("version 1 with the snn_bias tensors", ControllerFile.frame(1,
                withHeaderJson(p, h -> h.put("format_version", 1)), p.data()), "header field tensors");
        refusedSaying("version 1 with 4 bytes too many", ControllerFile.frame(1, q.headerBytes(),
                Arrays.copyOf(q.data(), q.data().length + 4)), "bytes the header does not describe");
    }

    /** {@code network.neuron} of a version-2 file: a NeuronModel spec exactly as written, nothing else. */
    @Test
    void badNeuronModelsAreRefused() {
        String expected = "expected \"if\", \"signed\", \"mt:N\" or \"mt:N@P\" with N in 2..8 and P in 1..16";
        for (String bad : new String[] {"lif", "mt:1", "mt:9", "mt:", "mt:03", "MT:3", "IF", " if", "signed:2", "",
                "mt:3@1", "mt:3@0", "mt:3@17", "mt:3@02", "if@2"}) {
            refusedSaying("neuron \"" + bad + "\"", withHeader(small, h -> network(h).put("neuron", bad)),
                    "header field network.neuron is \"" + bad + "\", " + expected);
        }
        refusedSaying("neuron 3", withHeader(small, h -> network(h).put("neuron", 3)),
                "header field network.neuron is 3, " + expected);
        refusedSaying("neuron null", withHeader(small, h -> network(h).putNull("neuron")),
                "header field network.neuron is null, " + expected);
        refusedSaying("neuron missing", withHeader(small, h -> network(h).remove("neuron")),
                "header field network.neuron is missing");
    }

    /** A firing period that does not divide {@code network.timesteps}, or a delay that is not whole periods. */
    @Test
    void firingPeriodMustDivideTimestepsAndDelay() {
        refusedSaying("mt:3@2 at T = 7", withHeader(small, h -> {
            network(h).put("neuron", "mt:3@2");
            network(h).put("timesteps", 7);
        }), "header field network.timesteps is 7, expected a multiple of 2 (the firing period of neuron mt:3@2)");
        refusedSaying("mt:3@2 with t0 = 1", withHeader(small, h -> {
            network(h).put("neuron", "mt:3@2");
            network(h).put("timesteps", 8);
            network(h).put("delay", 1);
        }), "header field network.delay is 1, expected a multiple of 2 (the firing period of neuron mt:3@2)");
    }

    /** A version-2 header whose tensor list lacks the snn_bias tensors is refused, with or without their bytes. */
    @Test
    void aVersionTwoHeaderWithoutSnnBiasTensorsIsRefused() {
        Parts v1 = Parts.of(ControllerV1Files.fromVersion2(small));
        Parts v2 = Parts.of(small);
        refusedSaying("v2 header with the v1 tensor list and data", ControllerFile.frame(2,
                withHeaderJson(v1, h -> h.put("format_version", 2)), v1.data()), "header field tensors");
        refusedSaying("v2 header with the v1 tensor list, v2 data", ControllerFile.frame(2,
                withHeaderJson(v2, h -> h.set("tensors", v1.header().get("tensors"))), v2.data()),
                "header field tensors");
        refusedSaying("v2 header without layer2.snn_bias", withHeader(small, h -> {
            ArrayNode ts = (ArrayNode) h.get("tensors");
            for (int i = 0; i < ts.size(); i++) {
                if (ts.get(i).get("name").asText().equals("layer2.snn_bias")) {
                    ts.remove(i);
                }
            }
        }), "header field tensors");
        refusedSaying("snn_bias renamed", withHeader(small, h -> tensor(h, 3).put("name", "layer1.calibrated_bias")),
                "header field tensors[3]");
        refusedSaying("snn_bias as F64", withHeader(small, h -> tensor(h, 3).put("dtype", "F64")),
                "header field tensors[3]");
    }

    @Test
    void absurdHeaderLengthFieldsAreRefused() {
        for (long value : new long[] {0xFFFFFFFFL, ControllerFile.MAX_HEADER_BYTES + 1L, small.length, small.length - 52}) {
            byte[] b = small.clone();
            le(b).putInt(16, (int) value);
            refusedSaying("header length " + value, b, "header length field", "checksum mismatch");
            rechecksum(b);
            refusedSaying("header length " + value + ", valid checksum", b, "header length field", "not valid JSON",
                    "checksum mismatch", "header field", "tensors take");
        }
        byte[] noHeader = new byte[20 + 8 + 32];
        System.arraycopy(small, 0, noHeader, 0, 16); // magic and version 1; header length 0
        rechecksum(noHeader);
        refusedSaying("header length 0, valid checksum", noHeader, "header length 0 bytes");
    }

    /**
     * Dimensions from absurd to merely too large for the bytes present, each in an otherwise
     * consistent header with a valid checksum. None may allocate more than a small multiple of
     * the file's size (the check runs before any array is made).
     */
    @Test
    void absurdDimensionsAreRefusedBeforeAllocating() {
        long two31 = 1L << 31;
        Object[][] widths = {
                {two31, "network.layers[0].out"}, {two31 - 1, "network.layers[0].out"},
                {ControllerCodec.MAX_WIDTH + 1, "network.layers[0].out"},
                {ControllerCodec.MAX_WIDTH, "tensors take"}, {1_000_000L, "tensors take"}, {17L, "tensors take"},
                {0L, "network.layers[0].out"}, {-1L, "network.layers[0].out"}, {-two31, "network.layers[0].out"}};
        for (Object[] w : widths) {
            long width = (Long) w[0];
            byte[] b = withHeader(small, h -> {
                layer(h, 0).put("out", width);
                layer(h, 1).put("in", width);
                retensor(h, width);
            });
            Outcome o = refusedSaying("hidden width " + width, b, (String) w[1]);
            assertTrue(o.allocatedBytes() < 8L * b.length + (4 << 20), "hidden width " + width + ": allocated "
                    + o.allocatedBytes() + " bytes reading a " + b.length + "-byte file");
        }
        refusedSaying("observation size 2^31", withHeader(small, h -> network(h).put("observation_size", two31)),
                "network.observation_size");
        refusedSaying("first layer in 2^31-1", withHeader(small, h -> layer(h, 0).put("in", two31 - 1)),
                "network.layers[0].in");
        refusedSaying("width 10^30", withHeader(small, h -> layer(h, 0).put("out", BigInteger.TEN.pow(30))),
                "network.layers[0].out");
        refusedSaying("width 1.5", withHeader(small, h -> layer(h, 0).put("out", 1.5)), "network.layers[0].out");
        refusedSaying("width 1e300", withHeader(small, h -> layer(h, 0).put("out", 1e300)), "network.layers[0].out");
        refusedSaying("width as a string", withHeader(small, h -> layer(h, 0).put("out", "16")), "network.layers[0].out");
        refusedSaying("chain broken", withHeader(small, h -> layer(h, 1).put("in", 15)), "network.layers[1].in is 15");
        refusedSaying("action size differs", withHeader(small, h -> network(h).put("action_size", 3)),
                "expected 3 (the action size)");
        refusedSaying("100 layers", withHeader(small, h -> {
            ArrayNode ls = (ArrayNode) network(h).get("layers");
            for (int i = 0; i < 97; i++) {
                ls.insertObject(1).put("in", 16).put("out", 16);
            }
        }), "network.layers");
        refusedSaying("one layer", withHeader(small, h -> {
            ((ArrayNode) network(h).get("layers")).remove(2);
            ((ArrayNode) network(h).get("layers")).remove(1);
        }),
                "network.layers");
    }

    @Test
    void garbageHeadersWithValidChecksumsAreRefused() {
        byte[] data = Parts.of(small).data();
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        String[][] headers = {
                {"{not json", "not valid JSON"}, {"{\"format\": \"spikerl-controller\"", "not valid JSON"},
                {"[]", "a JSON array, expected a JSON object"}, {"null", "expected a JSON object"},
                {"42", "expected a JSON object"}, {"  ", "expected a JSON object"}, {deep, "not valid JSON"},
                {"{\"format\": \"" + "x".repeat(900_000) + "\"}", "header field format"},
                {"{}", "header field format is missing"},
                {"{\"format\": \"spikerl-controller\"} {\"more\": 1}", "not valid JSON"},
                {"{\"format\": \"spikerl-controller\", \"format\": \"x\"}", "not valid JSON"}};
        for (String[] h : headers) {
            refusedSaying("header " + h[0].substring(0, Math.min(20, h[0].length())),
                    ControllerFile.frame(1, h[0].getBytes(StandardCharsets.UTF_8), data), h[1]);
        }
        refusedSaying("header of invalid UTF-8", ControllerFile.frame(1, new byte[] {'{', '"', (byte) 0xC3, 0x28, '"'}, data),
                "not valid JSON");
    }

    /** Well-formed JSON with wrong values, each behind a valid checksum. */
    @Test
    void wrongHeaderValuesAreRefused() {
        refusedSaying("format", withHeader(small, h -> h.put("format", "safetensors")), "header field format");
        refusedSaying("format_version 1 in a version-2 header", withHeader(small, h -> h.put("format_version", 1)),
                "header field format_version");
        refusedSaying("format_version 3 in a version-2 header", withHeader(small, h -> h.put("format_version", 3)),
                "header field format_version");
        refusedSaying("format_version \"2\"", withHeader(small, h -> h.put("format_version", "2")),
                "header field format_version");
        refusedSaying("format_version 2.0", withHeader(small, h -> h.put("format_version", 2.0)),
                "header field format_version");
        refusedSaying("no network", withHeader(small, h -> h.remove("network")), "header field network is missing");
        refusedSaying("T = 0", withHeader(small, h -> network(h).put("timesteps", 0)), "network.timesteps");
        refusedSaying("T = 2^17", withHeader(small, h -> network(h).put("timesteps", 1 << 17)), "network.timesteps");
        refusedSaying("t0 = T", withHeader(small, h -> network(h).put("delay", 8)), "network.delay");
        refusedSaying("t0 < 0", withHeader(small, h -> network(h).put("delay", -1)), "network.delay");
        refusedSaying("alpha 1.5", withHeader(small, h -> network(h).put("alpha", 1.5)), "network.alpha");
        refusedSaying("alpha text", withHeader(small, h -> network(h).put("alpha", "0.5")), "network.alpha");
        refusedSaying("v0 fraction -0.1", withHeader(small, h -> network(h).put("v0_fraction", -0.1)),
                "network.v0_fraction");
        refusedSaying("reset zero", withHeader(small, h -> network(h).put("reset", "zero")), "network.reset");
        refusedSaying("neuron lif", withHeader(small, h -> network(h).put("neuron", "lif")), "network.neuron");
        refusedSaying("head relu", withHeader(small, h -> network(h).put("head", "relu")), "network.head");
        refusedSaying("head clip, tensors of tanh", withHeader(small, h -> network(h).put("head", "clip")),
                "header field tensors[");
        refusedSaying("norm where none is stored", withHeader(small,
                h -> network(h).putObject("observation_norm").put("eps", 1e-8).put("clip", 10)), "header field tensors");
        refusedSaying("norm eps 0", withHeader(normClip, h -> ((ObjectNode) network(h).get("observation_norm"))
                .put("eps", 0.0)), "network.observation_norm.eps");
        refusedSaying("tensor renamed", withHeader(small, h -> tensor(h, 0).put("name", "w1")), "tensors[0]");
        refusedSaying("tensor F16", withHeader(small, h -> tensor(h, 1).put("dtype", "F16")), "tensors[1]");
        refusedSaying("tensor offsets shifted", withHeader(small, h -> ((ArrayNode) tensor(h, 2).get("data_offsets"))
                .set(1, MAPPER.getNodeFactory().numberNode(1 << 30))), "tensors[2]");
        refusedSaying("tensor extra field", withHeader(small, h -> tensor(h, 2).put("extra", 1)), "tensors[2]");
        refusedSaying("tensor missing", withHeader(small, h -> ((ArrayNode) h.get("tensors")).remove(3)),
                "header field tensors");
        refusedSaying("provenance an array", withHeader(small, h -> h.putArray("provenance")), "header field provenance");
        Parts p = Parts.of(small);
        refusedSaying("data with 4 bytes too many", ControllerFile.frame(p.version(), p.headerBytes(),
                Arrays.copyOf(p.data(), p.data().length + 4)), "bytes the header does not describe");
        refusedSaying("data 4 bytes short", ControllerFile.frame(p.version(), p.headerBytes(),
                Arrays.copyOf(p.data(), p.data().length - 4)), "the file is truncated or the header damaged");
    }

    /** Tensor values that no conversion writes, each behind a valid checksum. */
    @Test
    void wrongTensorValuesAreRefused() {
        refusedSaying("NaN weight", withData(small, "layer2.weight", 5, b -> b.putFloat(Float.NaN)),
                "tensor layer2.weight[5] is NaN");
        refusedSaying("infinite bias", withData(small, "layer3.bias", 1, b -> b.putFloat(Float.NEGATIVE_INFINITY)),
                "tensor layer3.bias[1] is -Infinity");
        refusedSaying("threshold 0", withData(small, "layer1.threshold", 3, b -> b.putFloat(0f)),
                "threshold of layer 1 neuron 3 must be finite and > 0");
        refusedSaying("threshold < 0", withData(small, "layer2.threshold", 0, b -> b.putFloat(-1f)),
                "threshold of layer 2 neuron 0");
        refusedSaying("threshold NaN", withData(small, "layer2.threshold", 0, b -> b.putFloat(Float.NaN)),
                "tensor layer2.threshold[0] is NaN");
        refusedSaying("snn_bias NaN", withData(small, "layer1.snn_bias", 3, b -> b.putFloat(Float.NaN)),
                "tensor layer1.snn_bias[3] is NaN, expected a finite number");
        refusedSaying("snn_bias infinite", withData(small, "layer2.snn_bias", 15,
                b -> b.putFloat(Float.POSITIVE_INFINITY)), "tensor layer2.snn_bias[15] is Infinity, expected a finite number");
        refusedSaying("snn_bias -infinite, three spiking layers", withData(normClip, "layer3.snn_bias", 0,
                b -> b.putFloat(Float.NEGATIVE_INFINITY)), "tensor layer3.snn_bias[0] is -Infinity");
        refusedSaying("infinite tanh scale", withData(small, "head.scale", 0, b -> b.putDouble(Double.POSITIVE_INFINITY)),
                "tensor head.scale[0] is Infinity");
        refusedSaying("negative variance", withData(normClip, "norm.var", 2, b -> b.putDouble(-1)),
                "tensor norm.var[2] is -1.0");
        refusedSaying("clip low above high", withData(normClip, "head.low", 1, b -> b.putDouble(5)),
                "head.low[1] = 5.0 and head.high[1] = 2.0");
    }

    // --- helpers ---------------------------------------------------------------------------

    record Outcome(Throwable thrown, long allocatedBytes) {
    }

    /**
     * Reads {@code file} on the guard thread (what assertTimeoutPreemptively does, without a new
     * thread per case: there are thousands of cases) and reports what was thrown and allocated.
     */
    private static Outcome outcome(Path file) {
        Future<Outcome> f = GUARD.submit(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            Throwable thrown = null;
            try {
                ControllerFile.read(file);
            } catch (Throwable t) {
                thrown = t;
            }
            return new Outcome(thrown, mx.getCurrentThreadAllocatedBytes() - before);
        });
        try {
            return f.get(HANG_GUARD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            GUARD = newGuard(); // the old thread may be stuck for good
            return fail(file + ": no answer within " + HANG_GUARD);
        } catch (InterruptedException | ExecutionException e) {
            return fail(file + ": the read did not complete: " + e, e);
        }
    }

    private static ExecutorService newGuard() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "controller-file-read");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopGuard() {
        GUARD.shutdownNow();
    }

    /** Writes {@code bytes}, reads them back, and checks the refusal names the file and says one of {@code anyOf}. */
    private static Outcome refusedSaying(String name, byte[] bytes, String... anyOf) {
        Path file = dir.resolve("case.ctrl");
        try {
            // A fresh file each time: truncating and rewriting one makes ext4 flush it to disk.
            Files.deleteIfExists(file);
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Outcome o = outcome(file);
        assertOneLine(name, file, o.thrown(), anyOf);
        return o;
    }

    private static void assertOneLine(String name, Path file, Throwable thrown, String... anyOf) {
        if (thrown == null) {
            fail(name + ": the file was accepted");
        }
        if (!(thrown instanceof SpikerlException)) {
            fail(name + ": expected a SpikerlException, got " + thrown, thrown);
        }
        String m = thrown.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), name + ": message is not one line: " + m);
        assertTrue(m.startsWith(file + ": "), name + ": message does not start with the file name: " + m);
        assertTrue(m.length() < 600, name + ": message is " + m.length() + " characters long");
        assertTrue(Arrays.stream(anyOf).anyMatch(m::contains), name + ": message says none of "
                + Arrays.toString(anyOf) + ": " + m);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void rechecksum(byte[] b) {
        System.arraycopy(ControllerFile.sha256(b, 0, b.length - 32), 0, b, b.length - 32, 32);
    }

    /** A valid file split into version, parsed header and data section. */
    record Parts(int version, ObjectNode header, byte[] data) {
        static Parts of(byte[] file) {
            int h = le(file).getInt(16);
            try {
                ObjectNode header = (ObjectNode) MAPPER.readTree(new String(file, 20, h, StandardCharsets.UTF_8));
                return new Parts(le(file).getInt(12), header, Arrays.copyOfRange(file, 20 + h, file.length - 32));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] headerBytes() {
            try {
                return MAPPER.writeValueAsBytes(header);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code file} with its header edited, reframed with a valid checksum. */
    private static byte[] withHeader(byte[] file, Consumer<ObjectNode> edit) {
        Parts p = Parts.of(file);
        edit.accept(p.header());
        return ControllerFile.frame(p.version(), p.headerBytes(), p.data());
    }

    /** The header of {@code p}, edited on a copy, as bytes (for framing with another version or data). */
    private static byte[] withHeaderJson(Parts p, Consumer<ObjectNode> edit) {
        Parts copy = new Parts(p.version(), p.header().deepCopy(), p.data());
        edit.accept(copy.header());
        return copy.headerBytes();
    }

    /** {@code file} with element {@code index} of tensor {@code name} overwritten, reframed with a valid checksum. */
    private static byte[] withData(byte[] file, String name, int index, Consumer<ByteBuffer> write) {
        Parts p = Parts.of(file);
        for (JsonNode t : p.header().get("tensors")) {
            if (t.get("name").asText().equals(name)) {
                int width = t.get("dtype").asText().equals("F32") ? 4 : 8;
                ByteBuffer b = le(p.data());
                b.position((int) t.get("data_offsets").get(0).asLong() + index * width);
                write.accept(b);
                return ControllerFile.frame(p.version(), p.headerBytes(), p.data());
            }
        }
        throw new IllegalArgumentException("no tensor " + name);
    }

    private static ObjectNode network(ObjectNode h) {
        return (ObjectNode) h.get("network");
    }

    private static ObjectNode layer(ObjectNode h, int l) {
        return (ObjectNode) network(h).get("layers").get(l);
    }

    private static ObjectNode tensor(ObjectNode h, int i) {
        return (ObjectNode) h.get("tensors").get(i);
    }

    /** Rewrites the tensor list for the small network's shape with hidden layer 1 of {@code width} neurons. */
    private static void retensor(ObjectNode h, long width) {
        if (width < 1) {
            return;
        }
        assertEquals(3, network(h).get("layers").size());
        h.set("tensors", ControllerCodec.tensorsJson(ControllerFile.FORMAT_VERSION,
                new long[][] {{5, width}, {width, 16}, {16, 2}}, false, true));
    }
}
