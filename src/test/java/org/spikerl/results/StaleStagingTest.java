package org.spikerl.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging folders left by killed runs (faked here: the names a {@link RunDirectory} gives them,
 * with the PID of a process that has ended) are recovered with their finished work or removed
 * when they hold none, each with a note; a live run's staging and unowned folders are left alone.
 */
class StaleStagingTest {
    @TempDir
    Path dir;

    private static List<String> entries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The owner tag of a process that has ended (its PID is free, or taken by a process started later). */
    private static String deadOwner() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long start = p.toHandle().info().startInstant().map(Instant::toEpochMilli).orElse(1L);
        p.waitFor();
        p.onExit().get();
        return "p" + p.pid() + "t" + start;
    }

    private Path staging(String target, String kind, String owner) throws IOException {
        return Files.createDirectory(dir.resolve("." + target + "." + kind + "-" + owner + "-abc123"));
    }

    private static void journal(Path staging, String kind, int episodes, boolean cutLine) throws IOException {
        Files.createDirectories(staging.resolve("journal"));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < episodes; i++) {
            b.append("{\"episode\":").append(i).append("}\n");
        }
        if (cutLine) {
            b.append("{\"episode\":");
        }
        Files.writeString(staging.resolve("journal/" + kind + ".jsonl"), b);
        Files.writeString(staging.resolve("provenance.json"), "{}");
    }

    @Test
    void aKilledEvalsEpisodesMoveToTheFolderItReservedWithANote() throws Exception {
        Path stale = staging("run1", "partial", deadOwner());
        journal(stale, "ann", 3, true);
        journal(stale, "snn", 2, false);
        Files.createDirectory(dir.resolve("run1")); // the name createFresh reserved
        List<String> notes = StaleStaging.recover(dir, null);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).matches("a run killed before it finished \\(pid \\d+\\) left 5 finished episodes in the"
                + " hidden folder \\.run1\\.partial-p\\d+t\\d+-abc123; moved to " + dir.resolve("run1")
                + " \\(to finish: spikerl eval --resume " + dir.resolve("run1") + " with the same options\\)"),
                notes.get(0));
        assertEquals(List.of("run1"), entries(dir), "nothing hidden left");
        assertEquals(List.of("journal", "provenance.json"), entries(dir.resolve("run1")));
        assertEquals(List.of(), StaleStaging.recover(dir, null), "once only");
    }

    @Test
    void aKilledSweepsRowsGoToARecoveredFolderWhenTheNameIsTakenOrIsTheNewRunsOwn() throws Exception {
        Path stale = staging("sweep", "partial", deadOwner());
        Files.createDirectories(stale.resolve("cells"));
        Files.writeString(stale.resolve("cells/row-000000.json"), "{}");
        Files.writeString(stale.resolve("cells/row-000001.json"), "{}");
        Files.writeString(stale.resolve("cells/.tmp-row-000002.json"), "{");
        List<String> notes = StaleStaging.recover(dir, "sweep"); // the new run's --out is the same folder
        assertEquals(1, notes.size(), notes.toString());
        Path recovered = dir.resolve("sweep.recovered");
        assertTrue(notes.get(0).endsWith(" left 2 finished sweep rows in the hidden folder " + stale.getFileName()
                + "; moved to " + recovered + " (to finish: spikerl sweep --resume " + recovered + ")"), notes.get(0));
        assertEquals(List.of("sweep.recovered"), entries(dir));

        Path again = staging("sweep", "partial", deadOwner());
        Files.createDirectories(again.resolve("cells"));
        Files.writeString(again.resolve("cells/row-000000.json"), "{}");
        Files.createDirectory(dir.resolve("sweep"));
        Files.writeString(dir.resolve("sweep/sweep.csv"), "x\n"); // finished results under the name
        StaleStaging.recover(dir, null);
        assertEquals(List.of("sweep", "sweep.recovered", "sweep.recovered-2"), entries(dir));
        assertEquals(List.of("cells"), entries(dir.resolve("sweep.recovered-2")));
    }

    @Test
    void aFolderSetAsideByAKilledResumeIsKeptNotTakenForTheTarget() throws Exception {
        Path aside = staging("run", "replaced", deadOwner());
        Files.writeString(aside.resolve("summary.json"), "{}");
        List<String> notes = StaleStaging.recover(dir, null);
        assertEquals(1, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains(" left 1 result files in the hidden folder "), notes.get(0));
        assertEquals(List.of("run.recovered"), entries(dir));
    }

    @Test
    void aStagingWithNothingFinishedIsRemovedWithTheEmptyFolderItReserved() throws Exception {
        Path stale = staging("run2", "partial", deadOwner());
        Files.writeString(stale.resolve("provenance.json"), "{}");
        Files.createDirectories(stale.resolve("journal"));
        Files.writeString(stale.resolve("journal/ann.jsonl"), "{\"episode\":0"); // cut by the kill: no episode
        Files.createDirectory(dir.resolve("run2"));
        List<String> notes = StaleStaging.recover(dir, null);
        assertEquals(List.of("removed " + stale + ", left by a run killed before it finished (pid "
                + stale.getFileName().toString().replaceAll(".*-p(\\d+)t.*", "$1") + ") with no finished episode or row"),
                notes);
        assertEquals(List.of(), entries(dir));
    }

    @Test
    void aLiveRunsStagingAndFoldersWithoutAnOwnerAreLeftAlone() throws Exception {
        Path live = staging("run3", "partial", StaleStaging.ownerTag());
        journal(live, "ann", 2, false);
        Path old = Files.createDirectory(dir.resolve(".run4.partial-k3j2h1")); // an earlier version's name
        journal(old, "ann", 2, false);
        assertEquals(List.of(), StaleStaging.recover(dir, null));
        assertEquals(List.of(live.getFileName().toString(), ".run4.partial-k3j2h1"), entries(dir));
    }

    @Test
    void aPidTakenByAProcessStartedLaterIsNotTheOwner() {
        long self = ProcessHandle.current().pid();
        assertFalse(StaleStaging.ownerGone(self, 0), "no start time recorded: the live PID counts as the owner");
        long started = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElseThrow();
        assertFalse(StaleStaging.ownerGone(self, started));
        assertTrue(StaleStaging.ownerGone(self, started - 60_000), "the same PID, another start: gone");
    }

    @Test
    void runDirectoryNamesItsStagingForThisProcessAndRecoversTheParentBeforeStarting() throws Exception {
        Path stale = staging("old", "partial", deadOwner());
        journal(stale, "ann", 1, false);
        try (RunDirectory run = RunDirectory.create(dir.resolve("new"))) {
            assertTrue(run.staging().getFileName().toString().startsWith(".new.partial-" + StaleStaging.ownerTag()
                    + "-"), run.staging().toString());
            run.writeJson("summary.json", Map.of("a", 1));
            run.commit();
        }
        assertEquals(List.of("new", "old"), entries(dir));
    }
}
