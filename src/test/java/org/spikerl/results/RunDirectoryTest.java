package org.spikerl.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;

/** Results appear whole at commit or not at all; existing results are never overwritten. */
class RunDirectoryTest {

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void nothingAppearsAtTheTargetBeforeCommit(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("run");
        try (RunDirectory run = RunDirectory.create(target)) {
            run.writeJson("summary.json", Map.of("mean_return", 1.5));
            run.writeText("episodes.csv", "episode,seed,return,length\n");
            assertFalse(Files.exists(target), "target must not exist before commit");
            List<String> staged = entries(tmp);
            assertEquals(1, staged.size(), staged.toString());
            assertTrue(staged.get(0).startsWith(".run.partial-"), "hidden staging folder: " + staged);

            assertEquals(target, run.commit());
        }
        assertEquals(List.of("run"), entries(tmp), "staging renamed into place, nothing else left");
        assertEquals(List.of("episodes.csv", "summary.json"), entries(target));
        assertEquals("episode,seed,return,length\n", Files.readString(target.resolve("episodes.csv")));
        assertEquals(1.5, RunDirectory.JSON.readTree(target.resolve("summary.json").toFile())
                .get("mean_return").asDouble());
    }

    @Test
    void closeWithoutCommitLeavesNothing(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("run");
        try (RunDirectory run = RunDirectory.create(target)) {
            run.writeJson("provenance.json", Map.of("seed", 0));
            Files.createDirectories(run.stagedPath("plots"));
            Files.writeString(run.stagedPath("plots").resolve("a.png"), "x");
        }
        assertEquals(List.of(), entries(tmp), "neither the target nor a staging folder");
    }

    @Test
    void refusesANonEmptyDirectory(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectory(tmp.resolve("old"));
        Files.writeString(target.resolve("summary.json"), "{}");
        SpikerlException e = assertThrows(SpikerlException.class, () -> RunDirectory.create(target));
        assertEquals("--out " + target + " exists and is not empty; choose a new directory (results are never"
                + " overwritten)", e.getMessage());
        assertEquals(List.of("old"), entries(tmp), "no staging folder made");
        assertEquals("{}", Files.readString(target.resolve("summary.json")));
    }

    @Test
    void refusesAFile(@TempDir Path tmp) throws IOException {
        Path target = Files.writeString(tmp.resolve("notes.txt"), "keep me");
        SpikerlException e = assertThrows(SpikerlException.class, () -> RunDirectory.create(target));
        assertEquals("--out " + target + " is a file; expected a directory that does not exist yet", e.getMessage());
        assertEquals(List.of("notes.txt"), entries(tmp));
    }

    @Test
    void checkTargetRefusesWhatCreateRefusesAndNothingElse(@TempDir Path tmp) throws IOException {
        Path full = Files.createDirectory(tmp.resolve("full"));
        Files.writeString(full.resolve("x"), "");
        assertThrows(SpikerlException.class, () -> RunDirectory.checkTarget(full));
        assertEquals(tmp.resolve("new").toAbsolutePath(), RunDirectory.checkTarget(tmp.resolve("new")));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertEquals(empty, RunDirectory.checkTarget(empty));
        assertEquals(List.of("empty", "full"), entries(tmp), "checking creates nothing");
    }

    @Test
    void commitsIntoAnExistingEmptyDirectory(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectory(tmp.resolve("made-by-user"));
        try (RunDirectory run = RunDirectory.create(target)) {
            run.writeText("episodes.csv", "x\n");
            run.commit();
        }
        assertEquals(List.of("made-by-user"), entries(tmp));
        assertEquals(List.of("episodes.csv"), entries(target));
    }

    @Test
    void createsMissingParents(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("results/runs/a");
        try (RunDirectory run = RunDirectory.create(target)) {
            run.writeText("f", "1");
            run.commit();
        }
        assertEquals("1", Files.readString(target.resolve("f")));
    }

    @Test
    void committedFolderHasTheUsualPermissionsNotOwnerOnly(@TempDir Path tmp) throws IOException {
        // A plain directory made now gets the umask's permissions; the results folder must match it
        // (a temp-directory staging would make it rwx------).
        Path plain = Files.createDirectory(tmp.resolve("plain"));
        Path target = tmp.resolve("run");
        try (RunDirectory run = RunDirectory.create(target)) {
            run.commit();
        }
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    @Test
    void commitFailsWhenTheTargetFilledUpMeanwhileAndKeepsTheStagingItNames(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("run");
        try (RunDirectory run = RunDirectory.create(target)) {
            run.writeText("episodes.csv", "mine\n");
            Files.createDirectory(target);
            Files.writeString(target.resolve("other.txt"), "someone else's");
            SpikerlException e = assertThrows(SpikerlException.class, run::commit);
            assertTrue(e.getMessage().startsWith("results directory " + target + " appeared while the run was"
                    + " writing"), e.getMessage());
        }
        assertEquals("someone else's", Files.readString(target.resolve("other.txt")));
        assertEquals(List.of("other.txt"), entries(target));
        List<String> all = entries(tmp);
        assertEquals(2, all.size(), all.toString());
        assertTrue(all.get(0).startsWith(".run.partial-"), "the staging is kept, as the message says: " + all);
        assertEquals("mine\n", Files.readString(tmp.resolve(all.get(0)).resolve("episodes.csv")));
    }

    @Test
    void aFailedWriteIsBadOutputNamingThePathAndTheCauseAndLeavesNoPiece(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("run");
        try (RunDirectory run = RunDirectory.create(target)) {
            // A fault-injecting writer: part of the file, then the error a full disk gives.
            OutputException e = assertThrows(OutputException.class, () -> run.writeWith("plot.png", p -> {
                Files.writeString(p, "half a pic");
                throw new IOException("No space left on device");
            }));
            assertEquals("cannot write " + target.resolve("plot.png") + ": No space left on device", e.getMessage());
            assertEquals(List.of(), entries(run.staging()), "neither the file nor its temporary copy");
        }
        assertEquals(List.of(), entries(tmp));
    }

    @Test
    void anOutUnderAFileIsBadOutputBeforeTheRun(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        OutputException e = assertThrows(OutputException.class, () -> RunDirectory.checkTarget(file.resolve("run")));
        assertEquals("cannot write results under " + file + ": not a directory", e.getMessage());
    }

    @Test
    void freshFoldersGetACounterWhenTheNameIsTaken(@TempDir Path tmp) throws IOException {
        Path base = tmp.resolve("run");
        try (RunDirectory a = RunDirectory.createFresh(base); RunDirectory b = RunDirectory.createFresh(base)) {
            assertEquals(base, a.target());
            assertEquals(tmp.resolve("run-2"), b.target(), "reserved at once, so a second run started together differs");
            a.writeText("x.txt", "a");
            b.writeText("x.txt", "b");
            assertEquals(base, a.commit());
            assertEquals(tmp.resolve("run-2"), b.commit());
        }
        assertEquals("a", Files.readString(base.resolve("x.txt")));
        assertEquals("b", Files.readString(tmp.resolve("run-2/x.txt")));
        try (RunDirectory unused = RunDirectory.createFresh(base)) {
            assertEquals(tmp.resolve("run-3"), unused.target());
        }
        assertEquals(List.of("run", "run-2"), entries(tmp), "an unused reservation is given back");
    }

    @Test
    void aReplacingRunSwapsInTheNewFolderAndLeavesTheOldUntilThen(@TempDir Path tmp) throws IOException {
        Path old = Files.createDirectory(tmp.resolve("run"));
        Files.writeString(old.resolve("sweep.csv"), "old");
        try (RunDirectory run = RunDirectory.replacing(old)) {
            run.writeText("sweep.csv", "new");
            assertEquals("old", Files.readString(old.resolve("sweep.csv")));
            run.commit();
        }
        assertEquals("new", Files.readString(old.resolve("sweep.csv")));
        assertEquals(List.of("run"), entries(tmp), "the old folder is deleted, nothing hidden is left");
    }
}
