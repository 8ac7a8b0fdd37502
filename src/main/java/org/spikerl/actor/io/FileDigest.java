package org.spikerl.actor.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.spikerl.SpikerlException;

/** SHA-256 of the files an actor is read from, for provenance and {@code spikerl inspect}. */
public final class FileDigest {
    private FileDigest() {
    }

    /** Lower-case hex SHA-256 of {@code file}'s bytes. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
