package org.spikerl.results;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * A process killed outright leaves its staging folder; the next run into the same parent folder
 * recovers what it holds or removes it, and says so ({@link StaleStaging}).
 */
public final class RunDirectory implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** This process, in the names of its staging folders. */
    private static final String OWNER = StaleStaging.ownerTag();

    private final Path target;
    private final Path staging;
    /** The folder a resumed run replaces, or null. */
    private final Path replaces;
    private boolean committed;
    /** Whether the target is an empty directory this run reserved ({@link #createFresh}). */
    private boolean reserved;
    /** Set when commit could not place the results: the staging then holds the only copy. */
    private boolean keepStaging;

    private RunDirectory(Path target, Path staging, Path replaces) {
        this.target = target;
        this.staging = staging;
        this.replaces = replaces;
    }

    /** Starts a run folder that will appear at {@code target}; refuses a target that exists and is not empty. */
    public static RunDirectory create(Path target) {
        Path abs = checkTarget(target);
        try {
            Path parent = abs.getParent();
            Files.createDirectories(parent);
            recoverStale(parent, abs.getFileName().toString());
            return new RunDirectory(abs, createStaging(parent, "." + abs.getFileName() + ".partial-"), null);
        } catch (IOException e) {
            throw new OutputException("cannot create results directory " + target + ": " + OutputException.cause(e), e);
        }
    }

    /**
     * Starts a run folder at {@code base}, or at {@code base-2}, {@code base-3}, ... when that name
     * is taken: the name is reserved at once (an empty directory, created atomically), so two runs
     * started together never pick the same folder. For default folder names, not for {@code --out}.
     */
    public static RunDirectory createFresh(Path base) {
        Path abs = base.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.getParent());
            recoverStale(abs.getParent(), null);
            for (int n = 1; ; n++) {
                Path candidate = n == 1 ? abs : abs.resolveSibling(abs.getFileName() + "-" + n);
                try {
                    Files.createDirectory(candidate);
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                RunDirectory run = new RunDirectory(candidate, createStaging(abs.getParent(), "."
                        + candidate.getFileName() + ".partial-"), null);
                run.reserved = true;
                return run;
            }
        } catch (IOException e) {
            throw new OutputException("cannot create results directory " + base + ": " + OutputException.cause(e), e);
        }
    }

    /**
     * Starts a new version of the existing run folder {@code existing} (a resumed run): it is
     * staged next to it and swapped in by {@link #commit()}; until then {@code existing} stays as
     * it was.
     */
    public static RunDirectory replacing(Path existing) {
        Path abs = existing.toAbsolutePath().normalize();
        if (abs.getParent() != null && Files.isDirectory(abs.getParent())) {
            recoverStale(abs.getParent(), abs.getFileName().toString()); // first: its note may name the folder meant
        }
        if (!Files.isDirectory(abs)) {
            throw new SpikerlException(existing + " is not a results directory");
        }
        try {
            return new RunDirectory(abs, createStaging(abs.getParent(), "." + abs.getFileName() + ".partial-"), abs);
        } catch (IOException e) {
            throw new OutputException("cannot write next to " + existing + ": " + OutputException.cause(e), e);
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
                throw new OutputException("cannot read --out " + target + ": " + OutputException.cause(e), e);
            }
        }
        // The nearest existing folder must take new entries, or the run would fail after its work.
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && (!Files.isDirectory(existing) || !Files.isWritable(existing))) {
            throw new OutputException("cannot write results under " + existing + ": "
                    + (Files.isDirectory(existing) ? "permission denied" : "not a directory"), null);
        }
        return abs;
    }

    /**
     * Handles the staging folders that runs killed outright left in {@code parent}
     * ({@link StaleStaging}): each one found is recovered to a visible folder or removed, with one
     * note on stderr; none takes the name {@code ownTarget} of the run starting (null: none). Every
     * run folder made here does it first; writers of single result files (a controller file) call it.
     */
    public static void recoverStale(Path parent, String ownTarget) {
        for (String note : StaleStaging.recover(parent, ownTarget)) {
            System.err.println("spikerl: note: " + note);
        }
        System.err.flush();
    }

    /**
     * A fresh hidden folder in {@code parent}, named for this process ({@link StaleStaging}: its
     * PID and start time, so a later run can tell that a killed run left it). Not {@link Files#createTempDirectory}: that makes it
     * owner-only (rwx------), and the results would keep that mode after the rename; a plain
     * directory gets the usual permissions of the user's umask.
     */
    private static Path createStaging(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve(prefix + OWNER + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    /** {@code value} as the indented JSON the run files use (to print what could not be written). */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path target() {
        return target;
    }

    /** The staging folder (hidden until {@link #commit()}). */
    public Path staging() {
        return staging;
    }

    public void writeJson(String name, Object value) {
        try {
            writeBytes(name, JSON.writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + name, e);
        }
    }

    public void writeText(String name, String text) {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code name} (a path relative to the run folder; parent folders are made) through a
     * temporary file and a rename, so it is either whole or absent even within the staging.
     */
    public void writeBytes(String name, byte[] bytes) {
        writeWith(name, p -> Files.write(p, bytes));
    }

    /** A writer of one file at a path (e.g. a PNG plot); may throw {@link IOException}. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path path) throws IOException;
    }

    /** Writes {@code name} with {@code writer} into a temporary file, then renames it into place. */
    public void writeWith(String name, FileWriter writer) {
        Path file = staging.resolve(name);
        // The temporary name keeps the extension: some writers (XChart) append it when it is missing.
        Path tmp = file.resolveSibling(".tmp-" + file.getFileName());
        try {
            Files.createDirectories(file.getParent());
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already; that is the error to report
            }
            throw OutputException.writing(target.resolve(name), e);
        }
    }

    /** Where a file named {@code name} is staged (for writers that need a path, e.g. PNG plots). */
    public Path stagedPath(String name) {
        return staging.resolve(name);
    }

    /**
     * Moves the staged folder to its target in one rename. A resumed run's folder replaces the old
     * one: the old is renamed aside, the new one into place, then the old is deleted.
     */
    public Path commit() {
        if (replaces != null) {
            return commitReplacing();
        }
        try {
            try {
                // rename(2) replaces an empty directory (the reserved or empty target) atomically.
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (Files.isDirectory(target) && !isEmpty(target)) {
                    throw new DirectoryNotEmptyException(target.toString());
                }
                if (Files.isDirectory(target)) {
                    Files.delete(target); // empty (checked in create)
                }
                Files.move(staging, target);
            }
            committed = true;
            return target;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            keepStaging = true;
            throw new OutputException("results directory " + target + " appeared while the run was writing; kept "
                    + staging, e);
        } catch (IOException e) {
            keepStaging = true;
            throw new OutputException("cannot move results into " + target + ": " + OutputException.cause(e)
                    + "; kept " + staging, e);
        }
    }

    private Path commitReplacing() {
        Path aside;
        try {
            aside = createStaging(target.getParent(), "." + target.getFileName() + ".replaced-");
            Files.delete(aside);
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            keepStaging = true;
            throw new OutputException("cannot replace " + target + ": " + OutputException.cause(e) + "; the resumed "
                    + "results are in " + staging, e);
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            keepStaging = true;
            throw new OutputException("cannot move the resumed results into " + target + ": "
                    + OutputException.cause(e) + "; the new results are in " + staging + ", the old in " + aside, e);
        }
        committed = true;
        deleteTree(aside);
        return target;
    }

    @Override
    public void close() {
        if (committed || keepStaging) {
            return;
        }
        deleteTree(staging);
        if (reserved) {
            try {
                Files.delete(target); // the empty name createFresh reserved
            } catch (IOException e) {
                // not empty (someone else's) or already gone: leave it
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover hidden staging folder is harmless.
        }
    }
}
