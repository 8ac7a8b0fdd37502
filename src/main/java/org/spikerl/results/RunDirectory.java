package org.spikerl.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.stream.Stream;
import org.spikerl.SpikerlException;

/**
 * A results folder written atomically: files go into a hidden staging folder next to the
 * target, which is renamed into place by {@link #commit()}. A crash before that leaves no
 * half-written results under the target name; {@link #close()} without commit removes the staging.
 */
public final class RunDirectory implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path staging;
    private boolean committed;
    /** Set when commit could not place the results: the staging then holds the only copy. */
    private boolean keepStaging;

    private RunDirectory(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /** Starts a run folder that will appear at {@code target}; refuses a target that exists and is not empty. */
    public static RunDirectory create(Path target) {
        Path abs = checkTarget(target);
        try {
            Path parent = abs.getParent();
            Files.createDirectories(parent);
            return new RunDirectory(abs, createStaging(parent, "." + abs.getFileName() + ".partial-"));
        } catch (IOException e) {
            throw new SpikerlException("cannot create results directory " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a {@code target} that {@link #create} would refuse (anything but a missing path or an
     * empty directory), so a run can fail before its expensive part; returns the absolute target.
     */
    public static Path checkTarget(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new SpikerlException("--out " + target + " is a file; expected a directory that does not exist yet");
        }
        if (Files.isDirectory(abs)) {
            try (Stream<Path> s = Files.list(abs)) {
                if (s.findAny().isPresent()) {
                    throw new SpikerlException("--out " + target
                            + " exists and is not empty; choose a new directory (results are never overwritten)");
                }
            } catch (IOException e) {
                throw new SpikerlException("cannot read --out " + target + ": " + e.getMessage(), e);
            }
        }
        return abs;
    }

    /**
     * A fresh hidden folder in {@code parent}. Not {@link Files#createTempDirectory}: that makes it
     * owner-only (rwx------), and the results would keep that mode after the rename; a plain
     * directory gets the usual permissions of the user's umask.
     */
    private static Path createStaging(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    public Path target() {
        return target;
    }

    public void writeJson(String name, Object value) {
        try {
            JSON.writeValue(staging.resolve(name).toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + name, e);
        }
    }

    public void writeText(String name, String text) {
        try {
            Files.writeString(staging.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + name, e);
        }
    }

    /** Where a file named {@code name} is staged (for writers that need a path, e.g. PNG plots). */
    public Path stagedPath(String name) {
        return staging.resolve(name);
    }

    /** Moves the staged folder to its target in one rename. */
    public Path commit() {
        try {
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty (checked in create); a rename cannot replace a directory
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
            committed = true;
            return target;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            keepStaging = true;
            throw new SpikerlException("results directory " + target + " appeared while the run was writing; kept "
                    + staging, e);
        } catch (IOException e) {
            throw new SpikerlException("cannot move results into " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (committed || keepStaging) {
            return;
        }
        try (Stream<Path> walk = Files.walk(staging)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover hidden staging folder is harmless.
        }
    }
}
