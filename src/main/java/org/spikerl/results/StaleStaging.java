package org.spikerl.results;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.spikerl.ProcessOwner;

/**
 * The hidden folders a killed run leaves behind. A {@link RunDirectory} stages its files in
 * {@code .NAME.partial-p<pid>t<start>-<random>} next to its target {@code NAME} (and a resumed
 * run sets the folder it replaces aside as {@code .NAME.replaced-...}); the name records the
 * owning process: its PID and its start time (epoch milliseconds, as {@link ProcessHandle} gives
 * it; 0 when unknown). When a run ends, even by an error or a signal, its folder is committed or
 * removed; only a process killed outright (SIGKILL, out of memory, power loss) leaves one.
 *
 * <p>The next run writing into the same folder finds them ({@link #recover}): a staging folder
 * whose owner is gone (no process with that PID, or one started at another time) is stale. What
 * happens to it is chosen so that no finished work is ever deleted without a word:
 * <ul>
 *   <li>it holds finished work (episodes in {@code journal/}, sweep rows in {@code cells/}, or
 *       result files a failed commit kept): it is renamed to a visible folder, {@code NAME} when
 *       that name is free (or an empty folder the killed run reserved), else {@code NAME.recovered},
 *       {@code NAME.recovered-2}, ...; a note says how much was kept, where, and how to finish it
 *       ({@code eval --resume} or {@code sweep --resume}, which accept the folder as it is);</li>
 *   <li>it holds nothing finished (at most the run's {@code provenance.json}): it is removed,
 *       with the empty folder its run reserved, and a note says so.</li>
 * </ul>
 * Folders in the naming of earlier versions carry no owner and are left alone, as is any folder
 * whose owner still runs. Two runs recovering the same folder at once are harmless: one rename
 * wins, the other finds the folder gone.
 */
public final class StaleStaging {
    /** {@code .NAME.partial-p<pid>t<start>-<random>} or {@code .NAME.replaced-...}. */
    private static final Pattern NAME = Pattern.compile("\\.(.+)\\.(partial|replaced)-p(\\d+)t(\\d+)-[0-9a-z]+");

    private StaleStaging() {
    }

    /** The owner part of this process's staging names: {@code p<pid>t<start>} ({@link ProcessOwner#tag()}). */
    static String ownerTag() {
        return ProcessOwner.tag();
    }

    /** {@link ProcessOwner#gone}: whether the process that made a folder with this PID and start time is gone. */
    static boolean ownerGone(long pid, long startMillis) {
        return ProcessOwner.gone(pid, startMillis);
    }

    /**
     * Recovers or removes every stale staging folder in {@code parent} as described above and
     * returns one note per folder handled (none when there was nothing stale). {@code ownTarget}
     * is the name the run about to start will take (null: none yet): a recovered folder never
     * takes it. Never fails: a folder that cannot be handled is named in its note and left as it is.
     */
    public static List<String> recover(Path parent, String ownTarget) {
        List<String> notes = new ArrayList<>();
        List<Path> hidden;
        try (Stream<Path> s = Files.list(parent)) {
            hidden = s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            return notes; // a missing or unreadable folder has nothing to recover; the run's own write reports it
        }
        for (Path folder : hidden) {
            Matcher m = NAME.matcher(folder.getFileName().toString());
            if (!m.matches() || !Files.isDirectory(folder)
                    || !ownerGone(Long.parseLong(m.group(3)), Long.parseLong(m.group(4)))) {
                continue;
            }
            String target = m.group(1);
            String killed = "a run killed before it finished (pid " + m.group(3) + ")";
            try {
                Work work = Work.of(folder);
                if (work.isEmpty()) {
                    deleteTree(folder);
                    removeIfEmptyAndUnclaimed(parent, target);
                    notes.add("removed " + folder + ", left by " + killed + " with no finished episode or row");
                    continue;
                }
                Path dest = move(folder, parent, target, m.group(2).equals("partial") && !target.equals(ownTarget));
                notes.add(killed + " left " + work.describe() + " in the hidden folder " + folder.getFileName()
                        + "; moved to " + dest + work.howToFinish(dest));
            } catch (NoSuchFileException e) {
                // another run recovered it first
            } catch (IOException e) {
                notes.add(killed + " left " + folder + "; it could not be recovered (" + OutputException.cause(e)
                        + "): nothing was removed, look into it or delete it yourself");
            }
        }
        return notes;
    }

    /** What a stale folder holds. */
    private record Work(int episodes, int rows, int results) {
        static Work of(Path folder) throws IOException {
            int episodes = 0;
            int rows = 0;
            int results = 0;
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    String rel = folder.relativize(p).toString().replace('\\', '/');
                    String file = p.getFileName().toString();
                    if (file.startsWith(".tmp-") || rel.equals("provenance.json")) {
                        continue; // a write cut short; the run's description: not work
                    }
                    if (rel.matches("journal/(ann|snn)\\.jsonl")) {
                        // Whole lines only: a line cut by the kill is not an episode.
                        episodes += (int) Files.readString(p, StandardCharsets.UTF_8).chars().filter(c -> c == '\n')
                                .count();
                    } else if (rel.matches("cells/row-\\d+\\.json")) {
                        rows++;
                    } else {
                        results++;
                    }
                }
            }
            return new Work(episodes, rows, results);
        }

        boolean isEmpty() {
            return episodes == 0 && rows == 0 && results == 0;
        }

        String describe() {
            if (rows > 0) {
                return rows + " finished sweep rows";
            }
            if (episodes > 0) {
                return episodes + " finished episodes";
            }
            return results + " result files";
        }

        String howToFinish(Path dest) {
            if (rows > 0) {
                return " (to finish: spikerl sweep --resume " + dest + ")";
            }
            if (episodes > 0) {
                return " (to finish: spikerl eval --resume " + dest + " with the same options)";
            }
            return "";
        }
    }

    /**
     * Renames {@code folder} to {@code parent/target} when {@code mayTakeTarget} and that name is
     * free or an empty folder (rename(2) replaces an empty directory), else to the first free
     * {@code target.recovered[-n]}.
     */
    private static Path move(Path folder, Path parent, String target, boolean mayTakeTarget) throws IOException {
        if (mayTakeTarget) {
            Path t = parent.resolve(target);
            if (!Files.exists(t) || (Files.isDirectory(t) && isEmpty(t))) {
                try {
                    return Files.move(folder, t, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException e) {
                    throw e;
                } catch (IOException e) {
                    // taken meanwhile: a .recovered name below
                }
            }
        }
        for (int n = 1; ; n++) {
            Path t = parent.resolve(target + ".recovered" + (n == 1 ? "" : "-" + n));
            if (Files.exists(t)) {
                continue;
            }
            try {
                Files.createDirectory(t); // reserved atomically, then replaced by the rename
                return Files.move(folder, t, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken between the check and the reservation: the next name
            }
        }
    }

    /** Removes the empty folder {@code parent/target} unless a live run's staging still aims at it. */
    private static void removeIfEmptyAndUnclaimed(Path parent, String target) throws IOException {
        Path t = parent.resolve(target);
        if (!Files.isDirectory(t) || !isEmpty(t)) {
            return;
        }
        try (Stream<Path> s = Files.list(parent)) {
            boolean claimed = s.map(p -> NAME.matcher(p.getFileName().toString())).anyMatch(m -> m.matches()
                    && m.group(1).equals(target) && !ownerGone(Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
            if (!claimed) {
                Files.deleteIfExists(t);
            }
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // filled meanwhile: not ours to remove
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
