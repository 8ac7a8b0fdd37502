package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.bridge.BridgeOptions;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.control.EpisodeRunner.Episode;
import picocli.CommandLine;

/**
 * {@code spikerl eval} end to end, in process through {@link Main}, against the real bridge and
 * Gymnasium: the files a run writes, SPEC section 9's reference returns, and every kind of bad
 * input giving exit status 2, one line on stderr and no results folder.
 */
class EvalCommandIT {
    private static CliCapture.Run cli(String... args) {
        return CliCapture.cli(args);
    }

    private static CliCapture.Run cli(CommandLine.IFactory factory, String... args) {
        return CliCapture.cli(factory, args);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CRPI = Path.of(System.getProperty("spikerl.home", "."))
            .resolve("../shared/policies/crpi").normalize();
    private static final Path HOPPER = CRPI.resolve("TD3_Hopper-v4_actor");
    private static final Path WALKER = CRPI.resolve("TD3_Walker2d-v4_actor");
    /** From ../shared/policies/crpi/README.md. */
    private static final String HOPPER_SHA256 = "4438fca33255815e26092f8e29731e93010906b753c7dc4fd9e57e487d93a3fc";

    /** Makes {@code eval} commands that start the bridge from {@code bridge} and tell {@code listener}. */
    private static CommandLine.IFactory hooks(Supplier<BridgeOptions> bridge, EpisodeRunner.Listener listener) {
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K made = CommandLine.defaultFactory().create(cls);
                if (made instanceof EvalCommand eval) {
                    eval.bridgeOptions = bridge;
                    eval.listener = listener;
                }
                return made;
            }
        };
    }

    private static CommandLine.IFactory testHooks(EpisodeRunner.Listener listener) {
        return hooks(() -> BridgeOptions.defaults().withTestHooks(true), listener);
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }

    private static int[] ints(JsonNode array) {
        int[] d = new int[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asInt();
        }
        return d;
    }

    private static double mean(double[] xs) {
        return Arrays.stream(xs).sum() / xs.length;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static Path fixture(String name) {
        try {
            return Path.of(EvalCommandIT.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of episodes.csv after the header, checked against the header. */
    private static List<String[]> csvRows(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        assertEquals("episode,seed,return,length,terminated,truncated,wall_s,sops,spikes", lines.get(0));
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(","));
        }
        return rows;
    }

    /** The CSV agrees with summary.json row by row (returns in full precision). */
    private static void assertCsvMatchesSummary(Path dir, JsonNode summary, long seed) throws IOException {
        List<String[]> rows = csvRows(dir.resolve("episodes.csv"));
        double[] returns = doubles(summary.get("returns"));
        int[] lengths = ints(summary.get("lengths"));
        assertEquals(returns.length, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            assertEquals(i, Integer.parseInt(row[0]));
            assertEquals(seed + i, Long.parseLong(row[1]));
            assertEquals(returns[i], Double.parseDouble(row[2]), 0.0, "row " + i);
            assertEquals(lengths[i], Integer.parseInt(row[3]), "row " + i);
            assertEquals(summary.get("terminated").get(i).asBoolean(), Boolean.parseBoolean(row[4]), "row " + i);
            assertEquals(summary.get("truncated").get(i).asBoolean(), Boolean.parseBoolean(row[5]), "row " + i);
            // An episode ends by one of the two (Gymnasium may set both).
            assertTrue(Boolean.parseBoolean(row[4]) || Boolean.parseBoolean(row[5]), "row " + i);
            assertTrue(Double.parseDouble(row[6]) > 0, "wall time of row " + i);
        }
    }

    // ---- (a) end to end ----

    @Test
    void hopperEndToEndWritesConsistentResults(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("run");
        CliCapture.Run r = cli("eval", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--episodes", "2", "--out",
                out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("results: " + out.toAbsolutePath()), r.out());
        assertEquals(List.of("episodes.csv", "provenance.json", "summary.json"), entries(out));
        assertEquals(List.of("run"), entries(tmp), "no staging folder left");

        JsonNode s = json(out.resolve("summary.json"));
        for (String key : List.of("env", "policy", "policy_sha256", "controller", "episodes", "seed", "returns",
                "lengths", "mean_return", "std_return", "steps_per_s")) {
            assertTrue(s.has(key), "summary.json lacks " + key + ": " + s);
        }
        assertEquals("Hopper-v4", s.get("env").asText());
        assertEquals(HOPPER.toString(), s.get("policy").asText());
        assertEquals("ann", s.get("controller").asText());
        assertEquals("complete", s.get("status").asText());
        assertEquals(2, s.get("episodes").asInt());
        assertEquals(0, s.get("seed").asLong());
        double[] returns = doubles(s.get("returns"));
        int[] lengths = ints(s.get("lengths"));
        assertEquals(2, returns.length);
        assertEquals(2, lengths.length);
        for (int len : lengths) {
            assertTrue(len >= 1 && len <= 1000, "length " + len);
        }
        assertEquals(mean(returns), s.get("mean_return").asDouble(), 1e-9);
        double m = mean(returns);
        double popStd = Math.sqrt(Arrays.stream(returns).map(x -> (x - m) * (x - m)).sum() / returns.length);
        assertEquals(popStd, s.get("std_return").asDouble(), 1e-9);
        assertTrue(s.get("steps_per_s").asDouble() > 0);
        assertEquals(sha256(HOPPER), s.get("policy_sha256").asText());
        assertEquals(HOPPER_SHA256, s.get("policy_sha256").asText());
        assertCsvMatchesSummary(out, s, 0);
        for (int i = 0; i < lengths.length; i++) {
            assertEquals(lengths[i] == 1000, s.get("truncated").get(i).asBoolean(), "Hopper's time limit is 1000");
        }

        JsonNode p = json(out.resolve("provenance.json"));
        JsonNode config = p.get("config");
        assertEquals("Hopper-v4", config.get("env").asText());
        assertEquals(2, config.get("episodes").asInt());
        assertEquals(0, config.get("seed").asLong());
        assertEquals("{\"first\":0,\"last\":1,\"count\":2}", p.get("episode_seeds").toString(), "seeds as a range");
        assertEquals(HOPPER_SHA256, p.get("policy_sha256").asText());
        assertTrue(p.has("git_commit"), p.toString());
        assertTrue(p.get("git_commit").isNull() || p.get("git_commit").asText().matches("[0-9a-f]{40}"),
                p.get("git_commit").toString());
        JsonNode v = p.get("versions");
        assertEquals(System.getProperty("java.version"), v.get("java").asText());
        assertTrue(v.get("python").asText().matches("3\\.\\d+\\.\\d+"), v.toString());
        assertEquals("1.3.0", v.get("gymnasium").asText());
        assertEquals("3.14.0", v.get("mujoco").asText());
        assertEquals(List.of("spikerl", "eval", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--episodes",
                "2", "--out", out.toString()), JSON.convertValue(p.get("command"), List.class));
    }

    // ---- (b) slots do not change results ----

    @Test
    void oneOrThreeEnvironmentsPerCallGiveTheSameReturns(@TempDir Path tmp) throws IOException {
        double[][] returns = new double[2][];
        int[][] lengths = new int[2][];
        String[] numEnvs = {"1", "3"};
        for (int i = 0; i < 2; i++) {
            Path out = tmp.resolve("k" + numEnvs[i]);
            CliCapture.Run r = cli("eval", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--episodes", "3", "--seed",
                    "5", "--num-envs", numEnvs[i], "--out", out.toString());
            assertEquals(0, r.status(), r.err());
            JsonNode s = json(out.resolve("summary.json"));
            assertEquals(Integer.parseInt(numEnvs[i]), s.get("num_envs").asInt());
            returns[i] = doubles(s.get("returns"));
            lengths[i] = ints(s.get("lengths"));
        }
        assertEquals(3, returns[0].length);
        assertArrayEquals(returns[0], returns[1], 0.0, "bit-identical returns");
        assertArrayEquals(lengths[0], lengths[1]);
        assertFalse(returns[0][0] == returns[0][1] && returns[0][1] == returns[0][2],
                "control: different seeds give different returns");
    }

    // ---- (c) SPEC section 9 ----

    private static void assertReferenceMean(Path tmp, Path actor, String env, double reference) throws IOException {
        Path out = tmp.resolve("ref");
        CliCapture.Run r = cli("eval", "--env", env, "--policy", actor.toString(), "--episodes", "10", "--seed", "0", "--out",
                out.toString());
        assertEquals(0, r.status(), r.err());
        JsonNode s = json(out.resolve("summary.json"));
        double mean = s.get("mean_return").asDouble();
        assertEquals(10, s.get("returns").size());
        assertEquals(reference, mean, 0.01 * reference, env + " mean return over seeds 0..9");
    }

    @Test
    void hopperMeanReturnMatchesSpecSection9(@TempDir Path tmp) throws IOException {
        assertReferenceMean(tmp, HOPPER, "Hopper-v4", 3600.0);
    }

    @Test
    void walkerMeanReturnMatchesSpecSection9(@TempDir Path tmp) throws IOException {
        assertReferenceMean(tmp, WALKER, "Walker2d-v4", 4586.9);
    }

    // ---- (d) bad input ----

    /**
     * Runs {@code eval} with {@code --out <tmp>/run} and asserts a clean refusal: status 2, one line
     * on stderr starting with "spikerl: error:" and holding each fragment, no stack trace, and
     * nothing new in {@code tmp} (no results, no hidden staging folder).
     */
    private static String refused(Path tmp, CommandLine.IFactory factory, String[] args, String... fragments)
            throws IOException {
        List<String> before = entries(tmp);
        List<String> all = new ArrayList<>(List.of("eval"));
        all.addAll(List.of(args));
        if (!all.contains("--out")) {
            all.addAll(List.of("--out", tmp.resolve("run").toString()));
        }
        CliCapture.Run r = cli(factory, all.toArray(String[]::new));
        assertEquals(Main.EXIT_USAGE, r.status(), r.err());
        assertEquals(1, r.errLines().size(), "exactly one line on stderr: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("spikerl: error: "), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), "'" + f + "' missing from: " + line);
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
        assertEquals("", r.out());
        assertEquals(before, entries(tmp), "nothing left behind");
        return line;
    }

    private static String refused(Path tmp, String[] args, String... fragments) throws IOException {
        return refused(tmp, CommandLine.defaultFactory(), args, fragments);
    }

    private static String[] args(String... a) {
        return a;
    }

    @Test
    void unknownEnvSuggestsTheCloseId(@TempDir Path tmp) throws IOException {
        refused(tmp, args("--env", "Hoper-v4", "--policy", HOPPER.toString()), "unknown environment id 'Hoper-v4'",
                "Hopper-v4");
    }

    @Test
    void actorForAnotherEnvNamesBothSizes(@TempDir Path tmp) throws IOException {
        refused(tmp, args("--env", "Walker2d-v4", "--policy", HOPPER.toString()), HOPPER.toString(),
                "takes 11 observations and outputs 3 actions", "Walker2d-v4 gives 17 observations and takes 6 actions");
    }

    @Test
    void missingPolicyFile(@TempDir Path tmp, @TempDir Path elsewhere) throws IOException {
        Path missing = elsewhere.resolve("nope.pt");
        refused(tmp, args("--env", "Hopper-v4", "--policy", missing.toString()), missing + ": no such file");
    }

    @Test
    void randomBytesAreNotAnActor(@TempDir Path tmp, @TempDir Path elsewhere) throws IOException {
        byte[] b = new byte[4096];
        new Random(11).nextBytes(b);
        Path f = Files.write(elsewhere.resolve("random.pt"), b);
        refused(tmp, args("--env", "Hopper-v4", "--policy", f.toString()), f.toString(), "not an actor file");
    }

    @Test
    void truncatedActorZip(@TempDir Path tmp, @TempDir Path elsewhere) throws IOException {
        byte[] whole = Files.readAllBytes(HOPPER);
        Path f = Files.write(elsewhere.resolve("half.pt"), Arrays.copyOf(whole, whole.length / 2));
        refused(tmp, args("--env", "Hopper-v4", "--policy", f.toString()), f.toString(),
                "truncated or corrupt zip archive");
    }

    @Test
    void nanInWeightsNamesTheTensor(@TempDir Path tmp) throws IOException {
        Path f = fixture("statedict_nan.pt");
        refused(tmp, args("--env", "Hopper-v4", "--policy", f.toString()), f.toString(),
                "tensor l2.weight holds NaN at [3][4]");
    }

    @Test
    void invalidOptionValues(@TempDir Path tmp) throws IOException {
        String p = HOPPER.toString();
        refused(tmp, args("--env", "Hopper-v4", "--policy", p, "--episodes", "0"), "--episodes must be >= 1, got 0");
        refused(tmp, args("--env", "Hopper-v4", "--policy", p, "--episodes", "abc"), "--episodes", "'abc'",
                "spikerl eval --help");
        refused(tmp, args("--env", "Hopper-v4", "--policy", p, "--seed", "-1"), "--seed must be >= 0, got -1");
        refused(tmp, args("--env", "Hopper-v4", "--policy", p, "--num-envs", "0"), "--num-envs must be in 1..256");
        refused(tmp, args("--env", "Hopper-v4"), "Missing required option", "--policy");
        refused(tmp, args("--env", "Hopper-v4", "--policy", p, "--bogus"), "Unknown option", "--bogus");
    }

    @Test
    void existingNonEmptyOutIsNeverOverwritten(@TempDir Path tmp) throws IOException {
        Path old = Files.createDirectory(tmp.resolve("old"));
        Files.writeString(old.resolve("summary.json"), "{\"mine\": true}");
        refused(tmp, args("--env", "Hopper-v4", "--policy", HOPPER.toString(), "--out", old.toString()),
                "--out " + old, "exists and is not empty");
        assertEquals(List.of("summary.json"), entries(old));
        assertEquals("{\"mine\": true}", Files.readString(old.resolve("summary.json")));

        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        refused(tmp, args("--env", "Hopper-v4", "--policy", HOPPER.toString(), "--out", file.toString()),
                "--out " + file, "is a file");
    }

    @Test
    void missingPythonSaysHowToFixIt(@TempDir Path tmp) throws IOException {
        String old = System.getProperty("spikerl.python");
        System.setProperty("spikerl.python", "/nonexistent/python");
        try {
            refused(tmp, args("--env", "Hopper-v4", "--policy", HOPPER.toString()), "/nonexistent/python",
                    "bash envs/bootstrap.sh");
        } finally {
            if (old != null) {
                System.setProperty("spikerl.python", old);
            } else {
                System.clearProperty("spikerl.python");
            }
        }
    }

    @Test
    void outIsCheckedBeforeTheBridgeStarts(@TempDir Path tmp) throws IOException {
        // With no Python at all, the --out error still comes first: nothing was started for it.
        Path old = Files.createDirectory(tmp.resolve("old"));
        Files.writeString(old.resolve("x"), "");
        String python = System.getProperty("spikerl.python");
        System.setProperty("spikerl.python", "/nonexistent/python");
        try {
            refused(tmp, args("--env", "Hopper-v4", "--policy", HOPPER.toString(), "--out", old.toString()),
                    "--out " + old, "exists and is not empty");
        } finally {
            if (python != null) {
                System.setProperty("spikerl.python", python);
            } else {
                System.clearProperty("spikerl.python");
            }
        }
    }

    @Test
    void debugAddsTheStackTrace(@TempDir Path tmp) throws IOException {
        CliCapture.Run r = cli("eval", "--debug", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--episodes", "0",
                "--out", tmp.resolve("run").toString());
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("\tat org.spikerl.run.EvalConfig"), r.err());
        List<String> lines = r.errLines();
        assertEquals("spikerl: error: --episodes must be >= 1, got 0", lines.get(lines.size() - 1));
    }

    // ---- failures part-way: through the real bridge ----

    /** The bridge's Python process among this JVM's children (at most one bridge runs at a time here). */
    private static List<ProcessHandle> bridgeProcesses() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().map(c -> c.contains("spikerl_bridge.py")).orElse(false))
                .toList();
    }

    @Test
    void bridgeKilledMidRunKeepsTheFinishedEpisodes(@TempDir Path tmp) throws Exception {
        // One slot: kill Python after episode 0 and 5 steps of episode 1; step 6 of episode 1 then fails.
        EpisodeRunner.Listener killer = new EpisodeRunner.Listener() {
            private int finished;
            private int stepsAfter;

            @Override
            public void episodeDone(Episode episode) {
                finished++;
            }

            @Override
            public void stepped(int environmentSteps) {
                if (finished == 1 && ++stepsAfter == 6) {
                    List<ProcessHandle> bridges = bridgeProcesses();
                    assertEquals(1, bridges.size(), "one bridge process: " + bridges);
                    ProcessHandle p = bridges.get(0);
                    p.destroyForcibly();
                    try {
                        p.onExit().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        fail("the bridge process did not exit: " + e);
                    }
                }
            }
        };
        Path out = tmp.resolve("run");
        CliCapture.Run r = cli(hooks(BridgeOptions::defaults, killer), "eval", "--env", "Hopper-v4", "--policy",
                HOPPER.toString(), "--episodes", "3", "--num-envs", "1", "--out", out.toString());
        assertEquals(Main.EXIT_USAGE, r.status(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("spikerl: error: Hopper-v4 episode 1 (step 6): "), line);
        assertTrue(line.contains("was killed by signal 9 (SIGKILL"), line);
        assertTrue(line.endsWith("(1 finished episodes kept in " + out.toAbsolutePath() + "; to finish: spikerl eval"
                + " --resume " + out.toAbsolutePath() + " with the same options)"), line);
        assertFalse(r.err().contains("\tat "), r.err());

        assertEquals(List.of("run"), entries(tmp), "results kept, no staging folder");
        assertEquals(List.of("episodes.csv", "journal", "provenance.json", "summary.json"), entries(out));
        JsonNode s = json(out.resolve("summary.json"));
        assertEquals("incomplete", s.get("status").asText());
        assertTrue(s.get("error").asText().startsWith("Hopper-v4 episode 1 (step 6): "), s.toString());
        assertEquals(1, s.get("episodes").asInt());
        assertEquals("bridge", s.get("stopped_by").asText());
        assertEquals(1, s.get("returns").size());
        assertEquals(s.get("returns").get(0).asDouble(), s.get("mean_return").asDouble(), 0.0);
        assertCsvMatchesSummary(out, s, 0);
        assertTrue(bridgeProcesses().isEmpty(), "no Python process left");
    }

    /** {@code summary.json} without the fields that are measured (different in any two runs). */
    private static JsonNode withoutMeasured(Path file) throws IOException {
        JsonNode n = json(file);
        List<JsonNode> todo = new ArrayList<>(List.of(n));
        while (!todo.isEmpty()) {
            if (todo.remove(todo.size() - 1) instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.remove(List.of("steps_per_s", "episode_wall_s"));
                o.forEach(todo::add);
            }
        }
        return n;
    }

    /** An episodes CSV with its measured wall_s column blanked. */
    private static List<String> withoutWall(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int wall = Arrays.asList(lines.get(0).split(",")).indexOf("wall_s");
        return lines.stream().map(l -> {
            String[] c = l.split(",");
            c[wall] = "";
            return String.join(",", c);
        }).toList();
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void stoppedSnnEvalResumedEqualsTheUninterruptedOne(@TempDir Path tmp) throws Exception {
        String[] eval = {"eval", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--episodes", "5", "--num-envs",
            "2", "--snn", "--no-tune", "--timesteps", "8", "--calibration-steps", "1000"};
        Path reference = tmp.resolve("reference");
        CliCapture.Run ref = cli(with(eval, "--out", reference.toString()));
        assertEquals(0, ref.status(), ref.err());

        // Stopped when the second SNN episode finishes (after the 5 of the whole ANN baseline).
        EpisodeRunner.Listener stopper = new EpisodeRunner.Listener() {
            private int done;

            @Override
            public void episodeDone(Episode episode) {
                if (++done == 5 + 2) {
                    throw new IllegalStateException("injected stop after 2 SNN episodes");
                }
            }
        };
        Path stopped = tmp.resolve("stopped");
        CliCapture.Run s = cli(hooks(BridgeOptions::defaults, stopper), with(eval, "--out", stopped.toString()));
        assertEquals(Main.EXIT_USAGE, s.status(), s.err());
        assertTrue(s.err().contains("(2 finished episodes kept in " + stopped.toAbsolutePath() + ", and the 5 of the"
                + " ANN baseline; to finish: spikerl eval --resume "), s.err());
        assertEquals(List.of("ann_episodes.csv", "episodes.csv", "journal", "provenance.json", "summary.json"),
                entries(stopped));
        assertEquals(List.of("ann.jsonl", "snn.jsonl"), entries(stopped.resolve("journal")));

        CliCapture.Run r = cli(with(eval, "--resume", stopped.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("resuming " + stopped + ": 7 finished episodes kept"), r.out());
        assertEquals(entries(reference), entries(stopped), "the files of an uninterrupted run, no journal left");
        JsonNode resumed = withoutMeasured(stopped.resolve("summary.json"));
        assertTrue(resumed.get("sops_per_step").asDouble() > 0, resumed.toString());
        assertEquals(withoutMeasured(reference.resolve("summary.json")), resumed);
        for (String csv : List.of("episodes.csv", "ann_episodes.csv")) {
            assertEquals(withoutWall(reference.resolve(csv)), withoutWall(stopped.resolve(csv)), csv);
        }
        assertEquals(7, json(stopped.resolve("provenance.json")).get("resumed_episodes").asInt());
        assertEquals(List.of("reference", "stopped"), entries(tmp), "no hidden folders left");
        assertTrue(bridgeProcesses().isEmpty(), "no Python process left");

        // A finished run has nothing to resume; another episode count is another evaluation.
        CliCapture.Run again = cli(with(eval, "--resume", stopped.toString()));
        assertEquals(Main.EXIT_USAGE, again.status(), again.err());
        assertTrue(again.err().contains("has no journal/ folder: a finished evaluation"), again.err());
    }

    /**
     * A 2-4-1 ReLU actor as safetensors with its sidecar (tanh head, the env's bounds), for the
     * bridge's 2-observation, 1-action test environments.
     */
    private static Path tinyActor(Path dir) throws IOException {
        String header = "{\"l1.weight\":{\"dtype\":\"F32\",\"shape\":[4,2],\"data_offsets\":[0,32]},"
                + "\"l1.bias\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[32,48]},"
                + "\"l2.weight\":{\"dtype\":\"F32\",\"shape\":[1,4],\"data_offsets\":[48,64]},"
                + "\"l2.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[64,68]}}";
        StringBuilder padded = new StringBuilder(header);
        while (padded.length() % 8 != 0) {
            padded.append(' ');
        }
        byte[] h = padded.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 68).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        float[] values = {0.5f, -0.25f, 0.1f, 0.2f, -0.3f, 0.4f, 0.05f, 0.6f, // l1.weight
            0.1f, 0f, -0.1f, 0.2f,                                             // l1.bias
            0.3f, -0.2f, 0.5f, 0.1f,                                           // l2.weight
            0.05f};                                                            // l2.bias
        for (float v : values) {
            b.putFloat(v);
        }
        Path actor = Files.write(dir.resolve("tiny.safetensors"), b.array());
        Files.writeString(dir.resolve("tiny.actor.json"),
                "{\"spikerl_actor\": 1, \"layers\": [\"l1\", \"l2\"], \"head\": {\"type\": \"tanh\"}}");
        return actor;
    }

    @Test
    void nanObservationFromTheBridgeKeepsTheFinishedEpisodes(@TempDir Path tmp, @TempDir Path actors)
            throws IOException {
        // LateNanObservation-v0: seeds 0 and 1 run 10 steps at reward 1; seed 2 turns NaN at step 3.
        Path out = tmp.resolve("run");
        CliCapture.Run r = cli(testHooks(EpisodeRunner.Listener.NONE), "eval", "--env", "spikerl-test/LateNanObservation-v0",
                "--policy", tinyActor(actors).toString(), "--episodes", "4", "--num-envs", "1", "--out",
                out.toString());
        assertEquals(Main.EXIT_USAGE, r.status(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("spikerl: error: spikerl-test/LateNanObservation-v0 episode 2 (step 3): "), line);
        assertTrue(line.contains("(episode seed 2) step 3: observation has NaN or Inf at indices [0, 1]"), line);
        assertTrue(line.endsWith("(2 finished episodes kept in " + out.toAbsolutePath() + "; to finish: spikerl eval"
                + " --resume " + out.toAbsolutePath() + " with the same options)"), line);

        assertEquals(List.of("run"), entries(tmp));
        JsonNode s = json(out.resolve("summary.json"));
        assertEquals("incomplete", s.get("status").asText());
        assertArrayEquals(new double[] {10, 10}, doubles(s.get("returns")), 0.0);
        assertArrayEquals(new int[] {10, 10}, ints(s.get("lengths")));
        assertCsvMatchesSummary(out, s, 0);
        assertNotNull(s.get("error"));
    }

    @Test
    void nanObservationBeforeAnyEpisodeFinishedLeavesNoResults(@TempDir Path tmp, @TempDir Path actors)
            throws IOException {
        String line = refused(tmp, testHooks(EpisodeRunner.Listener.NONE), args("--env",
                "spikerl-test/NanObservation-v0", "--policy", tinyActor(actors).toString(), "--episodes", "2",
                "--num-envs", "2"), "spikerl-test/NanObservation-v0 episodes 0 (step 3), 1 (step 3)",
                "observation has NaN or Inf", "no episode finished; no results written");
        assertFalse(line.contains("kept in"), line);
    }
}
