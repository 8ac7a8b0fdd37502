package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.testing.Timings;

/**
 * Chaos tests: the real CLI in a child JVM against real Gymnasium/MuJoCo, stopped the ways a
 * user's run gets stopped: SIGINT / SIGTERM to the JVM, SIGKILL to the Python bridge, a disk
 * that fills up. Each checks that every finished episode or sweep row is on disk as an
 * incomplete result, the message names what was running, the exit status says what happened,
 * no process is left, and a stopped sweep resumed ends with the tables of an uninterrupted one.
 * Prints one {@code chaos:} line per test with the numbers (kept work, time to stop).
 */
class ChaosIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOME = Path.of(System.getProperty("spikerl.home", ".")).toAbsolutePath();
    private static final Duration LIMIT = Duration.ofMinutes(4);
    @TempDir
    static Path shared;
    private static Path reference;

    @TempDir
    Path tmp;

    /** A started child JVM running {@code spikerl args...}, its output going to files. */
    private record Child(Process process, Path outFile, Path errFile) {
        String out() throws IOException {
            return Files.readString(outFile, StandardCharsets.UTF_8);
        }

        String err() throws IOException {
            return Files.readString(errFile, StandardCharsets.UTF_8);
        }

        /** The Python bridge under this JVM, once it is there. */
        long bridgePid() throws InterruptedException {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                var bridge = process.toHandle().descendants()
                        .filter(h -> h.info().commandLine().orElse("").contains("spikerl_bridge")).findFirst();
                if (bridge.isPresent()) {
                    return bridge.get().pid();
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
            throw new AssertionError("no bridge process appeared");
        }

        int await() throws InterruptedException {
            assertTrue(process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS), "the CLI ended");
            return process.exitValue();
        }

        /** Stdout and stderr, for failure messages. */
        String printed() throws IOException {
            return "stdout: " + out() + "\nstderr: " + err();
        }
    }

    private static Child start(Path dir, List<String> prefix, String... args) throws IOException {
        // SIGINT back to its default for the child: a build started as a background job (CI scripts,
        // nohup) ignores SIGINT, every child inherits that, and the JVM then installs no handler.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
        cmd.addAll(prefix);
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Dspikerl.home=" + HOME);
        cmd.add("-Dspikerl.python=" + System.getProperty("spikerl.python"));
        cmd.add("-Djava.awt.headless=true");
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Child(p, out, err);
    }

    private static Child start(Path dir, String... args) throws IOException {
        return start(dir, List.of(), args);
    }

    private static void signal(long pid, String name) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor());
    }

    /** How a child ended after a signal: exit status, seconds from the signal to the end, stderr. */
    private record Stopped(int status, double seconds, String err) {
    }

    /** Sends {@code signal} to {@code pid} (the child or its bridge) and waits for the child to end. */
    private static Stopped stop(Child child, long pid, String signal) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        signal(pid, signal);
        int status = child.await();
        return new Stopped(status, (System.nanoTime() - t0) / 1e9, child.err());
    }

    /** Waits until {@code child} has printed {@code n} lines matching {@code marker}. */
    private static void awaitLines(Child child, String marker, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (child.out().lines().filter(l -> l.contains(marker)).count() < n) {
            assertTrue(child.process().isAlive(), "still running: " + child.err());
            assertTrue(System.nanoTime() < deadline, "no progress: " + child.out());
            Thread.sleep(100);
        }
    }

    /**
     * Waits until the bridge has used 3 s of CPU (about 1.5 s of it start-up, then some 0.4 s per
     * Hopper episode on two slots): finished episodes whatever the machine's load, where a fixed
     * sleep would see none on a busy machine.
     */
    private static void awaitBridgeWork(long bridge) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (ProcessHandle.of(bridge).flatMap(h -> h.info().totalCpuDuration()).orElse(Duration.ZERO)
                .compareTo(Duration.ofSeconds(3)) < 0) {
            assertTrue(System.nanoTime() < deadline, "the bridge did work");
            Thread.sleep(100);
        }
    }

    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.nanoTime() < deadline, "process " + pid + " is gone");
            Thread.sleep(50);
        }
    }

    /** Nothing hidden (staging) is left next to the results. */
    private static void assertNoHiddenFolders(Path parent) throws IOException {
        List<String> hidden = CliCapture.entries(parent).stream().filter(n -> n.startsWith(".")).toList();
        assertEquals(List.of(), hidden, "hidden leftovers in " + parent);
    }

    /**
     * Five rows (the ANN and 2 T x 2 alpha), six episodes each: long enough to stop in the middle. With
     * two episodes (the T = 2 rows' SNN episodes fall after about 335 steps) a row took well under
     * 0.1 s on a fast VM (2026-12-04), and the last rows, on the other cell runner, ended before the
     * signal of a test that had seen two rows arrived in 1 of 13 runs.
     */
    private static Path sweepConfig(Path dir) throws IOException {
        return CliCapture.hopperSweep(dir, "chaos.yaml", "chaos sweep", 2, 4, 6);
    }

    /**
     * The uninterrupted sweep, run once, when the first test that compares a resumed sweep with it
     * asks (the eval tests do not wait for it).
     */
    private static synchronized Path reference() throws IOException, InterruptedException {
        if (reference == null) {
            Path dir = shared.resolve("reference");
            Child c = start(shared, "sweep", "--config", sweepConfig(shared).toString(), "--out", dir.toString());
            int status = c.await();
            assertEquals(0, status, c.printed());
            reference = dir;
        }
        return reference;
    }

    private static void assertSameAsUninterrupted(Path resumed) throws IOException, InterruptedException {
        Path reference = reference();
        for (String f : List.of("sweep.csv", "sweep_episodes.csv", "sweep.json", "sweep.md")) {
            assertEquals(Timings.strip(reference.resolve(f), "act_us_per_step", "seconds"),
                    Timings.strip(resumed.resolve(f), "act_us_per_step", "seconds"), f);
        }
        assertEquals(CliCapture.entries(reference), CliCapture.entries(resumed));
        assertEquals(CliCapture.entries(reference.resolve("cells")), CliCapture.entries(resumed.resolve("cells")));
    }

    private static int keptEpisodes(String err) {
        Matcher m = Pattern.compile("\\((\\d+) finished episodes kept in ").matcher(err);
        assertTrue(m.find(), err);
        return Integer.parseInt(m.group(1));
    }

    private static void assertKeptEpisodes(Path run, int kept, String stoppedBy) throws IOException {
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("incomplete", summary.get("status").asText());
        assertEquals(stoppedBy, summary.get("stopped_by").asText());
        assertEquals(kept, summary.get("episodes").asInt());
        List<String> csv = Files.readAllLines(run.resolve("episodes.csv"));
        assertEquals(kept + 1, csv.size(), "header and one line per kept episode");
        JsonNode seeds = JSON.readTree(run.resolve("provenance.json").toFile()).get("episode_seeds");
        assertEquals(0, seeds.get("first").asLong());
    }

    /** {@code spikerl eval} of the Hopper actor over 400 episodes on two slots: long enough to stop in the middle. */
    private Child startLongEval(Path run) throws IOException {
        return start(tmp, "eval", "--env", "Hopper-v4", "--policy", CliCapture.crpi("TD3_Hopper-v4_actor").toString(),
                "--episodes", "400", "--num-envs", "2", "--out", run.toString());
    }

    @Test
    void sigintDuringEvalKeepsTheFinishedEpisodes() throws Exception {
        Path run = tmp.resolve("eval");
        Child c = startLongEval(run);
        long bridge = c.bridgePid();
        awaitBridgeWork(bridge); // a few episodes (1000 steps each) finish
        Stopped stopped = stop(c, c.process().pid(), "INT");
        String err = stopped.err();
        assertEquals(Main.EXIT_INTERRUPTED, stopped.status(), err);
        assertTrue(err.contains("spikerl: interrupted: Hopper-v4 episode"), err);
        assertTrue(err.contains("interrupted by SIGINT"), err);
        int kept = keptEpisodes(err);
        assertTrue(kept >= 1, err);
        assertKeptEpisodes(run, kept, "SIGINT");
        assertGone(bridge);
        assertNoHiddenFolders(tmp);
        System.out.printf(Locale.ROOT, "chaos: eval SIGINT: %d episodes kept, exit %d, stopped in %.2f s, bridge gone%n",
                kept, stopped.status(), stopped.seconds());
    }

    @Test
    void aKilledBridgeDuringEvalKeepsTheFinishedEpisodesAndSaysSignal9() throws Exception {
        Path run = tmp.resolve("eval");
        Child c = startLongEval(run);
        long bridge = c.bridgePid();
        awaitBridgeWork(bridge);
        Stopped stopped = stop(c, bridge, "KILL");
        String err = stopped.err();
        assertEquals(Main.EXIT_USAGE, stopped.status(), err);
        assertTrue(err.contains("was killed by signal 9 (SIGKILL; perhaps out of memory"), err);
        assertFalse(err.contains("Warning:"), "no Python warning quoted as the bridge's output: " + err);
        int kept = keptEpisodes(err);
        assertKeptEpisodes(run, kept, "bridge");
        assertNoHiddenFolders(tmp);
        System.out.printf(Locale.ROOT, "chaos: eval bridge SIGKILL: %d episodes kept, exit %d, stopped in %.2f s%n",
                kept, stopped.status(), stopped.seconds());
    }

    /** An SNN eval of the Hopper actor: its ANN baseline of 12 episodes first, long enough to stop in it. */
    private static final String[] SNN_EVAL = {"eval", "--env", "Hopper-v4", "--policy",
        CliCapture.crpi("TD3_Hopper-v4_actor").toString(), "--episodes", "12", "--num-envs", "2", "--snn", "--no-tune",
        "--timesteps", "8", "--calibration-steps", "1000"};

    /**
     * Waits until the run staged for {@code parent/name} has journalled {@code n} finished episodes
     * of {@code kind}: a stop then comes in the middle of that loop whatever the machine's load.
     */
    private static void awaitJournal(Child child, Path parent, String name, String kind, int n) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (true) {
            long lines = 0;
            try (var staged = Files.list(parent)) {
                for (Path p : staged.filter(d -> d.getFileName().toString().startsWith("." + name + ".partial-")).toList()) {
                    Path journal = p.resolve("journal").resolve(kind + ".jsonl");
                    if (Files.exists(journal)) {
                        lines = Math.max(lines, Files.readAllLines(journal).size());
                    }
                }
            }
            if (lines >= n) {
                return;
            }
            assertTrue(child.process().isAlive(), "still running: " + child.err());
            assertTrue(System.nanoTime() < deadline, "no " + n + " " + kind + " episodes journalled");
            Thread.sleep(20);
        }
    }

    private Child startSnnEval(String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of(SNN_EVAL));
        args.addAll(List.of(more));
        return start(tmp, args.toArray(String[]::new));
    }

    /** What a stop in the ANN baseline kept: the baseline's finished episodes, no SNN episode. */
    private static int keptBaseline(Path run, String stoppedBy, String err) throws IOException {
        Matcher m = Pattern.compile("\\((\\d+) finished episodes of the ANN baseline kept in "
                + Pattern.quote(run.toAbsolutePath().toString()) + "; to finish: spikerl eval --resume ").matcher(err);
        assertTrue(m.find(), err);
        int kept = Integer.parseInt(m.group(1));
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("incomplete", summary.get("status").asText());
        assertEquals(stoppedBy, summary.get("stopped_by").asText());
        assertEquals("ann", summary.get("stopped_during").asText());
        assertEquals(0, summary.get("episodes").asInt());
        assertEquals(kept, summary.get("ann").get("episodes").asInt());
        assertEquals(kept + 1, Files.readAllLines(run.resolve("ann_episodes.csv")).size(), "header and the kept ones");
        assertEquals(kept, Files.readAllLines(run.resolve("journal/ann.jsonl")).size());
        assertFalse(Files.exists(run.resolve("episodes.csv")), "no SNN episode ran");
        return kept;
    }

    @Test
    void sigintDuringTheAnnBaselineOfAnSnnEvalKeepsItsEpisodesAndResumeEndsAsAnUninterruptedRun() throws Exception {
        Path uninterrupted = tmp.resolve("uninterrupted");
        Child ref = startSnnEval("--out", uninterrupted.toString());
        assertEquals(0, ref.await(), ref.printed());

        Path run = tmp.resolve("eval");
        Child c = startSnnEval("--out", run.toString());
        long bridge = c.bridgePid();
        awaitJournal(c, tmp, "eval", "ann", 3); // 3 of the 12 ANN episodes finished
        Stopped stopped = stop(c, c.process().pid(), "INT");
        String err = stopped.err();
        assertEquals(Main.EXIT_INTERRUPTED, stopped.status(), err);
        assertTrue(err.contains("spikerl: interrupted: ANN baseline (skip it with --no-ann): Hopper-v4 episode"), err);
        assertTrue(err.contains("interrupted by SIGINT"), err);
        int kept = keptBaseline(run, "SIGINT", err);
        assertTrue(kept >= 3 && kept < 12, err);
        assertGone(bridge);
        assertNoHiddenFolders(tmp);

        List<String> resume = new ArrayList<>(List.of(SNN_EVAL));
        resume.addAll(List.of("--resume", run.toString()));
        Child r = start(tmp, resume.toArray(String[]::new));
        long resumedBridge = r.bridgePid();
        assertEquals(0, r.await(), r.printed());
        assertGone(resumedBridge);
        assertTrue(r.out().contains("resuming " + run + ": " + kept + " finished episodes kept"), r.out());
        assertEquals(CliCapture.entries(uninterrupted), CliCapture.entries(run), "the files of an uninterrupted run");
        assertEquals(Timings.strip(uninterrupted.resolve("summary.json"), "steps_per_s", "episode_wall_s"),
                Timings.strip(run.resolve("summary.json"), "steps_per_s", "episode_wall_s"));
        for (String csv : List.of("episodes.csv", "ann_episodes.csv")) {
            assertEquals(Timings.strip(uninterrupted.resolve(csv)), Timings.strip(run.resolve(csv)), csv);
        }
        assertEquals(kept, JSON.readTree(run.resolve("provenance.json").toFile()).get("resumed_episodes").asInt());
        assertNoHiddenFolders(tmp);
        System.out.printf(Locale.ROOT, "chaos: eval --snn SIGINT in the ANN baseline: %d of 12 ANN episodes kept, exit"
                + " %d, stopped in %.2f s, bridge gone; resumed: summary and episode tables equal to the uninterrupted"
                + " run (wall times aside)%n", kept, stopped.status(), stopped.seconds());
    }

    @Test
    void aKilledBridgeDuringTheAnnBaselineOfAnSnnEvalKeepsItsEpisodes() throws Exception {
        Path run = tmp.resolve("eval");
        Child c = startSnnEval("--out", run.toString());
        long bridge = c.bridgePid();
        awaitJournal(c, tmp, "eval", "ann", 3);
        Stopped stopped = stop(c, bridge, "KILL");
        String err = stopped.err();
        assertEquals(Main.EXIT_USAGE, stopped.status(), err);
        assertTrue(err.contains("spikerl: error: ANN baseline (skip it with --no-ann): Hopper-v4 episode"), err);
        assertTrue(err.contains("was killed by signal 9 (SIGKILL; perhaps out of memory"), err);
        int kept = keptBaseline(run, "bridge", err);
        assertTrue(kept >= 3 && kept < 12, err);
        assertGone(bridge);
        assertNoHiddenFolders(tmp);
        System.out.printf(Locale.ROOT, "chaos: eval --snn bridge SIGKILL in the ANN baseline: %d of 12 ANN episodes"
                + " kept, exit %d, stopped in %.2f s%n", kept, stopped.status(), stopped.seconds());
    }

    /**
     * SIGKILL of the JVM itself: nothing of the CLI runs, so the staging folder stays behind with
     * the journal. The bridge must still go (it ends when its parent does), and the next run into
     * the same folder moves the killed run's episodes to a visible folder and says so, which
     * {@code eval --resume} then completes.
     */
    @Test
    void aKilledJvmLeavesItsEpisodesForTheNextRunToRecoverAndResumeCompletes() throws Exception {
        String[] eval = {"eval", "--env", "Hopper-v4", "--policy", CliCapture.crpi("TD3_Hopper-v4_actor").toString(),
            "--episodes", "6", "--num-envs", "2"};
        Path run = tmp.resolve("eval");
        List<String> first = new ArrayList<>(List.of(eval));
        first.addAll(List.of("--out", run.toString()));
        Child c = start(tmp, first.toArray(String[]::new));
        long bridge = c.bridgePid();
        awaitJournal(c, tmp, "eval", "ann", 2);
        Stopped killed = stop(c, c.process().pid(), "KILL");
        assertEquals(128 + 9, killed.status());
        assertGone(bridge);
        List<String> hidden = CliCapture.entries(tmp).stream().filter(n -> n.startsWith(".eval.partial-")).toList();
        assertEquals(1, hidden.size(), "the killed run's staging: " + CliCapture.entries(tmp));
        int journalled = Files.readAllLines(tmp.resolve(hidden.get(0)).resolve("journal/ann.jsonl")).size();

        Child next = start(tmp, "eval", "--env", "Hopper-v4", "--policy",
                CliCapture.crpi("TD3_Hopper-v4_actor").toString(), "--episodes", "1", "--out",
                tmp.resolve("next").toString());
        assertEquals(0, next.await(), next.printed());
        String note = "spikerl: note: a run killed before it finished (pid " + c.process().pid() + ") left " + journalled
                + " finished episodes in the hidden folder " + hidden.get(0) + "; moved to " + run
                + " (to finish: spikerl eval --resume " + run + " with the same options)";
        assertTrue(next.err().contains(note), next.printed());
        assertEquals(1, next.err().lines().filter(l -> l.startsWith("spikerl: note: ")).count(), next.err());
        assertNoHiddenFolders(tmp);

        List<String> again = new ArrayList<>(List.of(eval));
        again.addAll(List.of("--resume", run.toString()));
        Child r = start(tmp, again.toArray(String[]::new));
        assertEquals(0, r.await(), r.printed());
        assertTrue(r.out().contains("resuming " + run + ": " + journalled + " finished episodes kept"), r.out());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("complete", summary.get("status").asText());
        assertEquals(6, summary.get("episodes").asInt());
        assertNoHiddenFolders(tmp);
        System.out.printf(Locale.ROOT, "chaos: eval JVM SIGKILL: %d of 6 episodes journalled, bridge gone; the next run"
                + " moved them to %s with one note; resumed to 6 episodes, complete%n", journalled, run.getFileName());
    }

    private static int keptRows(Path run, String stoppedBy) throws IOException {
        JsonNode sweep = JSON.readTree(run.resolve("sweep.json").toFile());
        assertEquals("incomplete", sweep.get("status").asText());
        assertEquals(stoppedBy, sweep.get("stopped_by").asText());
        int rows = sweep.get("rows").size();
        assertEquals(rows + 1, Files.readAllLines(run.resolve("sweep.csv")).size());
        assertEquals(rows, CliCapture.entries(run.resolve("cells")).size());
        return rows;
    }

    private static void resumeAndCompare(Path dir, Path run, int kept) throws Exception {
        Child r = start(dir, "sweep", "--resume", run.toString());
        int status = r.await();
        assertEquals(0, status, r.printed());
        assertTrue(r.out().contains("resuming " + run.toAbsolutePath() + ": " + kept + " of 5 rows done"), r.out());
        assertSameAsUninterrupted(run);
        assertEquals(kept, JSON.readTree(run.resolve("provenance.json").toFile()).get("resumed_rows").asInt());
    }

    @Test
    void sigtermDuringSweepKeepsTheFinishedRowsAndResumeEndsAsAnUninterruptedSweep() throws Exception {
        Path run = tmp.resolve("sweep");
        Child c = start(tmp, "sweep", "--config", sweepConfig(tmp).toString(), "--out", run.toString());
        long bridge = c.bridgePid();
        awaitLines(c, "T=", 1); // the ANN and one conversion finished
        Stopped stopped = stop(c, c.process().pid(), "TERM");
        String err = stopped.err();
        assertEquals(143, stopped.status(), err);
        assertTrue(err.contains("spikerl: interrupted: sweep row "), err);
        assertTrue(err.contains("interrupted by SIGTERM"), err);
        assertTrue(err.contains("to finish: spikerl sweep --resume " + run.toAbsolutePath()), err);
        int kept = keptRows(run, "SIGTERM");
        assertTrue(kept >= 2 && kept < 5, err);
        assertGone(bridge);
        assertNoHiddenFolders(tmp);
        resumeAndCompare(tmp, run, kept);
        assertNoHiddenFolders(tmp);
        System.out.printf(Locale.ROOT, "chaos: sweep SIGTERM: %d of 5 rows kept, exit %d, stopped in %.2f s, bridge"
                + " gone; resumed: tables equal to the uninterrupted sweep (act() times aside)%n", kept,
                stopped.status(), stopped.seconds());
    }

    @Test
    void aKilledBridgeDuringSweepKeepsTheRowsNamesTheRowAndResumes() throws Exception {
        Path run = tmp.resolve("sweep");
        Child c = start(tmp, "sweep", "--config", sweepConfig(tmp).toString(), "--out", run.toString());
        long bridge = c.bridgePid();
        awaitLines(c, "T=", 2);
        Stopped stopped = stop(c, bridge, "KILL");
        String err = stopped.err();
        assertEquals(Main.EXIT_USAGE, stopped.status(), err);
        assertTrue(err.matches("(?s).*sweep row \\d of 4 \\(if max:neuron T=\\d .*was killed by signal 9.*"), err);
        int kept = keptRows(run, "bridge");
        assertTrue(kept >= 3 && kept < 5, err);
        assertNoHiddenFolders(tmp);
        resumeAndCompare(tmp, run, kept);
        System.out.printf(Locale.ROOT, "chaos: sweep bridge SIGKILL: %d of 5 rows kept, exit %d, stopped in %.2f s;"
                + " resumed: tables equal to the uninterrupted sweep (act() times aside)%n", kept,
                stopped.status(), stopped.seconds());
    }

    /**
     * A tiny tmpfs, mounted in a user namespace (no privileges needed where the kernel allows
     * them; skipped where not), with room for provenance.json only: the evaluation's numbers
     * cannot be written, so they are printed, and the error names the file and the cause.
     */
    @Test
    void aFullDiskIsBadOutputNamingThePathAndTheNumbersArePrinted() throws Exception {
        Process probe = new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "true")
                .redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "unprivileged user namespaces are not available here");
        Path mount = Files.createDirectory(tmp.resolve("tiny"));
        Path run = mount.resolve("run");
        String fill = "mount -t tmpfs -o size=8k tmpfs " + mount + " && head -c 4096 /dev/zero > " + mount
                + "/fill && exec \"$0\" \"$@\"";
        Child c = start(tmp, List.of("unshare", "--user", "--map-root-user", "--mount", "sh", "-c", fill), "eval",
                "--env", "Hopper-v4", "--policy", CliCapture.crpi("TD3_Hopper-v4_actor").toString(), "--episodes", "2",
                "--out", run.toString());
        int status = c.await();
        String err = c.err();
        assertEquals(Main.EXIT_OUTPUT, status, err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("spikerl: error: cannot write " + run + "/"), err);
        assertTrue(err.contains(": No space left on device"), err);
        String out = c.out();
        assertTrue(out.contains("mean return") && out.contains("\"mean_return\" : "), "the numbers reach the user: " + out);
        assertTrue(out.contains("results: not written"), out);
        System.out.printf(Locale.ROOT, "chaos: eval on a full disk: exit %d, %s; summary printed%n", status,
                err.strip());
    }
}
