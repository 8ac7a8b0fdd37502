package org.spikerl.results;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import org.spikerl.SpikerlException;

/**
 * Results could not be written ("bad output"): the message names the path and the cause as the
 * operating system gave it (no space left on device, permission denied, read-only file system).
 * The CLI exits with its own status for it, distinct from bad input and internal errors.
 */
public class OutputException extends SpikerlException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "cannot write PATH: CAUSE". */
    public static OutputException writing(Path path, Throwable e) {
        return new OutputException("cannot write " + path + ": " + cause(e), e);
    }

    /**
     * The operating system's reason for a failed file operation, without the path Java puts in
     * front of it: "No space left on device", "permission denied", "no such directory".
     */
    public static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (t instanceof NoSuchFileException) {
                return "no such file or directory";
            }
            if (t instanceof ReadOnlyFileSystemException) {
                return "read-only file system";
            }
            if (t instanceof FileSystemException f && f.getReason() != null) {
                return f.getReason();
            }
            if (t instanceof IOException && t.getMessage() != null && t.getCause() == null) {
                return t.getMessage();
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Whether {@code e} or one of its causes is an output failure. */
    public static OutputException find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutputException o) {
                return o;
            }
        }
        return null;
    }
}
