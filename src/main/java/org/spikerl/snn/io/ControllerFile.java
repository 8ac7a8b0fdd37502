package org.spikerl.snn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spikerl.ProcessOwner;
import org.spikerl.SpikerlException;
import org.spikerl.snn.SpikingActor;

/**
 * The converted-controller file: one {@link SpikingActor} (the ANN's weights and biases, the
 * neuron model, thresholds, the SNN's biases, {@code T}, {@code t0}, {@code alpha}, {@code v0},
 * observation norm, action head) plus provenance, in a versioned, self-describing, checksummed
 * file. {@code docs/controller-format.md} is the specification; in short, all integers little-endian:
 * <pre>
 *   offset 0    12 bytes   magic "SPIKERL\0CTRL"
 *   offset 12   uint32     format version (this class writes {@value #FORMAT_VERSION} and reads
 *                          {@value #OLDEST_FORMAT_VERSION} to {@value #FORMAT_VERSION})
 *   offset 16   uint32     header length H (at most {@value #MAX_HEADER_BYTES} bytes)
 *   offset 20   H bytes    JSON header, UTF-8, padded with spaces so the data starts at a multiple of 8
 *   20 + H      ...        data: float32 / float64 tensors, little-endian, at the header's offsets
 *   size - 32   32 bytes   SHA-256 of every byte before it
 * </pre>
 * The prefix (magic, version, header length) and the trailer are the same in every format
 * version, so any version's integrity can be checked before its version is judged.
 *
 * <p><b>Versions.</b> Version 2 (written) adds the neuron model ({@code network.neuron} is
 * {@link org.spikerl.snn.NeuronModel#spec()}: {@code if}, {@code mt:N}, {@code mt:N@P}, {@code signed}) and the
 * hidden layers' SNN biases (tensors {@code layer{l}.snn_bias}, which bias calibration may make
 * differ from the ANN's {@code layer{l}.bias}). Version 1 files still load: IF neurons, and the
 * SNN runs with the ANN's biases. The firing period ({@code mt:N@P}) came later within version 2:
 * it is one more value of {@code network.neuron}, which a reader from before it refuses with its
 * one-line {@code network.neuron} error rather than misreading, so the version was not raised.
 *
 * <p><b>Reading</b> refuses, with a one-line {@link SpikerlException} naming the file, anything
 * but a well-formed file, in an order that never allocates more than the file's own size (itself
 * at most {@value #MAX_FILE_BYTES} bytes): not a regular file or too large (before reading), empty,
 * wrong magic, too short, header length out of bounds, checksum mismatch, unknown version, header
 * that is not the expected JSON, dimensions out of bounds or not matching the bytes present
 * (checked in 64-bit arithmetic before any array is made), non-finite weights, invalid thresholds
 * or settings.
 *
 * <p><b>Writing</b> is atomic: a temporary file in the target's folder, forced to disk, then
 * renamed over the target, so a reader sees the old file or the new one, never half of one.
 * The bytes depend only on the network and the provenance given (no time stamps are added).
 */
public final class ControllerFile {
    /** Value of the header's {@code format} field. */
    public static final String FORMAT_NAME = "spikerl-controller";
    /** The format version written, and the newest one read. */
    public static final int FORMAT_VERSION = 2;
    /** The oldest format version read. */
    public static final int OLDEST_FORMAT_VERSION = 1;
    /** Upper bound on the JSON header length. */
    public static final int MAX_HEADER_BYTES = 1 << 20;
    /** Upper bound on a controller file's size: 16 M float32 parameters, far above any control actor. */
    public static final long MAX_FILE_BYTES = 64L << 20;

    static final byte[] MAGIC = {'S', 'P', 'I', 'K', 'E', 'R', 'L', 0, 'C', 'T', 'R', 'L'};
    static final int PREFIX_BYTES = MAGIC.length + 4 + 4;
    static final int CHECKSUM_BYTES = 32;
    /** The data section starts at a multiple of this, so float64 readers may map it directly. */
    static final int DATA_ALIGNMENT = 8;
    /** The shortest possible file: prefix, the header {@code {}}, trailer. */
    static final int MIN_FILE_BYTES = PREFIX_BYTES + 2 + CHECKSUM_BYTES;

    private ControllerFile() {
    }

    /**
     * A controller file's content.
     *
     * @param network the spiking actor, ready for {@link org.spikerl.snn.SnnController}
     * @param provenance the provenance object of the header (unmodifiable; JSON values as
     *        {@code String}, {@code Integer}/{@code Long}, {@code Double}, {@code Boolean},
     *        {@code List}, {@code Map} or {@code null})
     * @param sha256 hex SHA-256 of the whole file, to cite in results
     */
    public record Loaded(SpikingActor network, Map<String, Object> provenance, String sha256) {
    }

    /**
     * Writes {@code net} and {@code provenance} to {@code out}, atomically (temporary file
     * {@code .NAME.<owner>.RANDOM.tmp} in the same folder, fsync, rename; temporary files of {@code NAME}
     * left by writes whose process is gone, e.g. killed by SIGKILL, are deleted first). Recommended
     * provenance keys are listed in
     * {@link #provenance(String, String, Map, Map)}.
     *
     * @param net the converted network
     * @param provenance any JSON-representable map (strings, numbers, booleans, lists, maps), or {@code null}
     * @param out the file to create or replace; its folder must exist
     * @throws SpikerlException naming {@code out} when the folder is missing or not writable, or a
     *         value cannot be represented
     */
    public static void write(SpikingActor net, Map<String, ?> provenance, Path out) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(out, "out");
        byte[] bytes = encode(net, provenance, out.toString());
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new SpikerlException(out + ": cannot write the controller file, folder " + dir + " does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new SpikerlException(out + ": cannot write the controller file, a folder of that name exists");
        }
        removeStaleTemps(dir, target.getFileName().toString());
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, tempPrefix(target.getFileName().toString(), ProcessOwner.tag()), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new SpikerlException(out + ": cannot write the controller file (" + oneLine(e.toString()) + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    /**
     * A write's temp file is {@code .NAME.<owner>.RANDOM.tmp} beside the target, the owner being
     * the writing process's {@link ProcessOwner#tag(long, long)}; this is the prefix up to RANDOM
     * for process {@code pid} of unknown start time.
     */
    static String tempPrefix(String name, long pid) {
        return tempPrefix(name, ProcessOwner.tag(pid, 0));
    }

    private static String tempPrefix(String name, String owner) {
        return "." + name + "." + owner + ".";
    }

    /**
     * Deletes the temp files of earlier writes of {@code name} in {@code dir} whose process is gone
     * ({@link ProcessOwner#gone}): a write killed by SIGKILL between creating its temp file and
     * renaming it has no chance to delete it. Temp files of a live process (another write in
     * progress) are left, and so is anything else; a file that cannot be listed or deleted is left
     * too (the write itself then still reports its own errors).
     */
    static void removeStaleTemps(Path dir, String name) {
        Pattern temp = Pattern.compile("\\." + Pattern.quote(name) + "\\.p(\\d+)t(\\d+)\\.\\d*\\.tmp");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = temp.matcher(p.getFileName().toString());
                if (m.matches() && ProcessOwner.gone(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))
                        && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException ignored) {
                        // Left for a later write; not this write's error.
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // An unlistable folder: the write below reports what is wrong with it.
        }
    }

    /**
     * Reads and checks a controller file; see the class comment for what is refused.
     *
     * @param file the controller file
     * @return the network, the provenance and the file's SHA-256
     * @throws SpikerlException one line naming {@code file} and what was expected
     */
    public static Loaded read(Path file) {
        Objects.requireNonNull(file, "file");
        return decode(file.toString(), readBounded(file));
    }

    /**
     * Whether {@code file} starts with the controller magic bytes (nothing else is checked; a
     * missing or unreadable file is not one). Lets a command taking "a policy" tell a converted
     * controller from an actor file.
     *
     * @param file any path
     * @return true if it is a readable regular file that starts with {@code SPIKERL\0CTRL}
     */
    public static boolean isControllerFile(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(MAGIC.length);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until the magic is complete or the file ends
            }
            return !buf.hasRemaining() && Arrays.equals(buf.array(), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The provenance map this project writes: where the actor came from and how it was converted.
     *
     * @param actorFile the actor file converted (as given)
     * @param actorSha256 its hex SHA-256
     * @param conversion the conversion settings, e.g. {@code ConversionConfig.describe()}
     * @param calibration how the calibration set was made (env id, steps, seed, ...), or {@code null}
     * @return a mutable map with keys {@code actor_file}, {@code actor_sha256}, {@code conversion},
     *         {@code calibration}, to extend as needed
     */
    public static Map<String, Object> provenance(String actorFile, String actorSha256, Map<String, ?> conversion,
                                                 Map<String, ?> calibration) {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("actor_file", actorFile);
        p.put("actor_sha256", actorSha256);
        p.put("conversion", conversion);
        p.put("calibration", calibration);
        return p;
    }

    /** The whole file for {@code net}: prefix, header, data, checksum. */
    static byte[] encode(SpikingActor net, Map<String, ?> provenance, String where) {
        ControllerCodec.Encoded e = ControllerCodec.encode(net, provenance, where);
        return frame(FORMAT_VERSION, e.header(), e.data());
    }

    /**
     * Prefix + header (padded with spaces to {@link #DATA_ALIGNMENT}) + data + SHA-256 trailer.
     * Package-private so tests can frame crafted headers with a valid checksum.
     */
    static byte[] frame(int version, byte[] header, byte[] data) {
        int padded = header.length;
        while ((PREFIX_BYTES + padded) % DATA_ALIGNMENT != 0) {
            padded++;
        }
        int size = PREFIX_BYTES + padded + data.length + CHECKSUM_BYTES;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(version).putInt(padded).put(header);
        for (int i = header.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        b.put(data);
        b.put(sha256(b.array(), 0, size - CHECKSUM_BYTES));
        return b.array();
    }

    /** Reads the whole file after checking it is a regular file of bounded size; one allocation of its size. */
    private static byte[] readBounded(Path file) {
        try {
            if (!Files.exists(file)) {
                throw new SpikerlException(file + ": no such file, expected a spikerl controller file");
            }
            if (!Files.isRegularFile(file)) {
                throw new SpikerlException(file + ": not a regular file, expected a spikerl controller file");
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > MAX_FILE_BYTES) {
                    throw new SpikerlException(file + ": " + size + " bytes, more than a controller file may have ("
                            + MAX_FILE_BYTES + ")");
                }
                byte[] bytes = new byte[(int) size];
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining() && ch.read(buf) >= 0) {
                    // read until full or end of file
                }
                if (buf.hasRemaining()) {
                    throw new SpikerlException(file + ": the file shrank while being read (" + buf.position()
                            + " of " + size + " bytes); read it again once it is written");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new SpikerlException(file + ": no such file, expected a spikerl controller file");
        } catch (AccessDeniedException e) {
            throw new SpikerlException(file + ": permission denied");
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read (" + oneLine(e.toString()) + ")", e);
        }
    }

    /** Checks framing and checksum, then hands the header and data to {@link ControllerCodec}. */
    static Loaded decode(String where, byte[] bytes) {
        int size = bytes.length;
        if (size == 0) {
            throw new SpikerlException(where + ": empty file, expected a spikerl controller file");
        }
        int magicSeen = Math.min(size, MAGIC.length);
        if (!Arrays.equals(bytes, 0, magicSeen, MAGIC, 0, magicSeen)) {
            throw new SpikerlException(where + ": not a spikerl controller file (it does not start with the magic "
                    + "bytes \"SPIKERL\\0CTRL\")");
        }
        if (size < MIN_FILE_BYTES) {
            throw new SpikerlException(where + ": truncated, " + size + " bytes, a controller file has at least "
                    + MIN_FILE_BYTES);
        }
        ByteBuffer prefix = ByteBuffer.wrap(bytes, 0, PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long version = Integer.toUnsignedLong(prefix.getInt(MAGIC.length));
        long headerLength = Integer.toUnsignedLong(prefix.getInt(MAGIC.length + 4));
        if (headerLength > MAX_HEADER_BYTES) {
            throw new SpikerlException(where + ": damaged, the header length field says " + headerLength
                    + " bytes, expected at most " + MAX_HEADER_BYTES);
        }
        long dataStart = PREFIX_BYTES + headerLength;
        if (dataStart + CHECKSUM_BYTES > size) {
            throw new SpikerlException(where + ": truncated or damaged, the header length field says the header ends "
                    + "at byte " + dataStart + " but the file has " + size + " bytes (including a "
                    + CHECKSUM_BYTES + "-byte checksum)");
        }
        byte[] actual = sha256(bytes, 0, size - CHECKSUM_BYTES);
        if (!MessageDigest.isEqual(actual, Arrays.copyOfRange(bytes, size - CHECKSUM_BYTES, size))) {
            throw new SpikerlException(where + ": checksum mismatch, the SHA-256 of bytes [0, " + (size - CHECKSUM_BYTES)
                    + ") is " + HexFormat.of().formatHex(actual) + ", not the trailer's "
                    + HexFormat.of().formatHex(bytes, size - CHECKSUM_BYTES, size)
                    + "; the file is damaged or truncated");
        }
        if (version > FORMAT_VERSION) {
            throw new SpikerlException(where + ": written by a newer spikerl, format version " + version
                    + ", this spikerl reads up to " + FORMAT_VERSION);
        }
        if (version < OLDEST_FORMAT_VERSION) {
            throw new SpikerlException(where + ": format version " + version + " is not valid, expected "
                    + OLDEST_FORMAT_VERSION + " to " + FORMAT_VERSION);
        }
        if (headerLength < 2) {
            throw new SpikerlException(where + ": header length " + headerLength + " bytes, expected a JSON object");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, size - CHECKSUM_BYTES - (int) dataStart)
                .slice().order(ByteOrder.LITTLE_ENDIAN);
        ControllerCodec.Decoded d = ControllerCodec.decode(where, (int) version, bytes, PREFIX_BYTES, (int) headerLength,
                data);
        return new Loaded(d.network(), d.provenance(), HexFormat.of().formatHex(sha256(bytes, 0, size)));
    }

    static byte[] sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, offset, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
