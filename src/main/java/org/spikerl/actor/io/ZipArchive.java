package org.spikerl.actor.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.spikerl.SpikerlException;

/**
 * The entries of a zip archive, read fully into memory (actor files are small). Torch and SB3
 * archives store their entries uncompressed; both stored and deflated entries are accepted.
 */
final class ZipArchive {
    /** Refuses archives whose entries add up to more than this; real actors are a few MB. */
    private static final long MAX_TOTAL_BYTES = 1L << 30;

    private final String where;
    private final Map<String, byte[]> entries;

    private ZipArchive(String where, Map<String, byte[]> entries) {
        this.where = where;
        this.entries = entries;
    }

    /** Opens a zip file; a truncated or corrupt archive is a one-line {@link SpikerlException}. */
    static ZipArchive open(Path file) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long total = 0;
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] b = in.readAllBytes();
                    total += b.length;
                    if (total > MAX_TOTAL_BYTES) {
                        throw new SpikerlException(file + ": zip archive holds more than 1 GiB; not an actor file");
                    }
                    map.put(e.getName(), b);
                }
            }
        } catch (ZipException e) {
            throw new SpikerlException(file + ": truncated or corrupt zip archive (" + oneLine(e.getMessage()) + ")", e);
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read zip archive (" + oneLine(e.getMessage()) + ")", e);
        }
        return new ZipArchive(file.toString(), map);
    }

    /**
     * Reads a zip archive nested in another one (SB3's {@code policy.pth}) from its central
     * directory. {@link java.util.zip.ZipInputStream} cannot be used: PyTorch writes stored
     * entries with data descriptors, which it refuses. Zip64 records are followed; every offset
     * and length is bounds-checked and every entry's CRC-32 verified.
     */
    static ZipArchive fromBytes(String where, byte[] bytes) {
        try {
            return new ZipArchive(where, centralDirectory(bytes));
        } catch (ZipException | IndexOutOfBoundsException e) {
            throw new SpikerlException(where + ": truncated or corrupt zip archive (" + oneLine(e.getMessage()) + ")", e);
        }
    }

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    private static Map<String, byte[]> centralDirectory(byte[] b) throws ZipException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int eocd = -1;
        for (int i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
            if (buf.getInt(i) == EOCD) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new ZipException("zip END header not found");
        }
        long count = buf.getShort(eocd + 10) & 0xffff;
        long cdOffset = buf.getInt(eocd + 16) & 0xffffffffL;
        if ((count == 0xffff || cdOffset == 0xffffffffL) && eocd >= 20 && buf.getInt(eocd - 20) == ZIP64_LOCATOR) {
            long z = buf.getLong(eocd - 12);
            if (z < 0 || z > b.length - 56 || buf.getInt((int) z) != ZIP64_EOCD) {
                throw new ZipException("zip64 END header not found");
            }
            count = buf.getLong((int) z + 32);
            cdOffset = buf.getLong((int) z + 48);
        }
        if (count < 0 || count > b.length / 46 || cdOffset < 0 || cdOffset > b.length) {
            throw new ZipException("central directory lies outside the archive");
        }
        Map<String, byte[]> map = new LinkedHashMap<>();
        int p = (int) cdOffset;
        for (long n = 0; n < count; n++) {
            if (buf.getInt(p) != CENTRAL) {
                throw new ZipException("bad central directory entry at offset " + p);
            }
            int method = buf.getShort(p + 10) & 0xffff;
            int crc = buf.getInt(p + 16);
            long csize = buf.getInt(p + 20) & 0xffffffffL;
            long usize = buf.getInt(p + 24) & 0xffffffffL;
            int nameLen = buf.getShort(p + 28) & 0xffff;
            int extraLen = buf.getShort(p + 30) & 0xffff;
            int commentLen = buf.getShort(p + 32) & 0xffff;
            long local = buf.getInt(p + 42) & 0xffffffffL;
            String name = new String(b, p + 46, nameLen, StandardCharsets.UTF_8);
            // Zip64 extra field: the 64-bit values of the fields saturated above, in this order.
            int x = p + 46 + nameLen;
            int xEnd = x + extraLen;
            while (x + 4 <= xEnd) {
                int id = buf.getShort(x) & 0xffff;
                int len = buf.getShort(x + 2) & 0xffff;
                if (id == 1) {
                    int q = x + 4;
                    if (usize == 0xffffffffL) { usize = buf.getLong(q); q += 8; }
                    if (csize == 0xffffffffL) { csize = buf.getLong(q); q += 8; }
                    if (local == 0xffffffffL) { local = buf.getLong(q); }
                }
                x += 4 + len;
            }
            p = xEnd + commentLen;
            if (name.endsWith("/")) {
                continue;
            }
            if (local < 0 || local > b.length - 30 || buf.getInt((int) local) != LOCAL) {
                throw new ZipException("bad local header of " + name);
            }
            long data = local + 30 + (buf.getShort((int) local + 26) & 0xffff) + (buf.getShort((int) local + 28) & 0xffff);
            if (csize < 0 || usize < 0 || usize > Integer.MAX_VALUE || data + csize > b.length) {
                throw new ZipException("entry " + name + " extends past the end of the archive");
            }
            byte[] content;
            if (method == 0) {
                if (csize != usize) {
                    throw new ZipException("stored entry " + name + " has different sizes");
                }
                content = java.util.Arrays.copyOfRange(b, (int) data, (int) (data + csize));
            } else if (method == 8) {
                content = new byte[(int) usize];
                Inflater inf = new Inflater(true);
                try {
                    inf.setInput(b, (int) data, (int) csize);
                    int got = 0;
                    while (got < content.length && !inf.finished()) {
                        int k = inf.inflate(content, got, content.length - got);
                        if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                            break;
                        }
                        got += k;
                    }
                    if (got != content.length) {
                        throw new ZipException("entry " + name + " inflates to " + got + " bytes, expected " + usize);
                    }
                } catch (DataFormatException e) {
                    throw new ZipException("entry " + name + ": " + e.getMessage());
                } finally {
                    inf.end();
                }
            } else {
                throw new ZipException("entry " + name + " uses compression method " + method);
            }
            CRC32 c = new CRC32();
            c.update(content);
            if ((int) c.getValue() != crc) {
                throw new ZipException("CRC mismatch in entry " + name);
            }
            map.put(name, content);
        }
        if (map.isEmpty()) {
            throw new ZipException("no entries");
        }
        return map;
    }

    String where() {
        return where;
    }

    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The bytes of an entry, or {@code null} when absent. */
    byte[] get(String name) {
        return entries.get(name);
    }

    static String oneLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
