package org.spikerl.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code git_dirty}: false for a clean checkout (untracked files such as results do not count). */
class ProvenanceTest {
    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 7];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir.toString();
        cmd[3] = "-c";
        cmd[4] = "user.name=t";
        cmd[5] = "-c";
        cmd[6] = "user.email=t@t";
        System.arraycopy(args, 0, cmd, 7, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "git works here");
    }

    @Test
    void aCleanTreeIsNotDirtyAndAChangedTrackedFileIs(@TempDir Path dir) throws Exception {
        Path actor = Files.writeString(dir.resolve("actor.pt"), "weights");
        git(dir, "init", "-q");
        git(dir, "add", "actor.pt");
        git(dir, "commit", "-q", "-m", "one");
        Files.createDirectories(dir.resolve("results/runs/x"));
        Files.writeString(dir.resolve("results/runs/x/summary.json"), "{}"); // untracked: not dirty
        Map<String, Object> p = Provenance.of(List.of("spikerl"), Map.of(), actor, Map.of(), dir);
        assertEquals(false, p.get("git_dirty"));
        assertEquals(40, p.get("git_commit").toString().length());
        Files.writeString(actor, "changed");
        assertEquals(true, Provenance.of(List.of("spikerl"), Map.of(), actor, Map.of(), dir).get("git_dirty"));
    }
}
