package org.spikerl.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SpikerlException;
import org.spikerl.actor.Actor;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.control.StopRequest;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.energy.OpCounts;
import org.spikerl.results.RunDirectory;
import org.spikerl.snn.SnnController;
import org.spikerl.testing.FiveStepBackend;
import org.spikerl.testing.FiveStepEnv;
import org.spikerl.testing.TinyActor;

/**
 * {@code eval --resume} without Python: an SNN evaluation (with its ANN on the same seeds) stopped
 * part-way and resumed ends with the files of an uninterrupted one; the counts rebuilt from the
 * episodes' journal are the loop's merged counters.
 */
class EvalResumeFakeBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Measured, so different between any two runs. */
    private static final List<String> MEASURED = List.of("steps_per_s", "episode_wall_s");

    @TempDir
    Path dir;

    private SnnOptions snn() {
        return new SnnOptions(ConversionConfig.fromDescription(Map.of("timesteps", "4")), 30,
                SnnOptions.DEFAULT_CALIBRATION_SEED);
    }

    /**
     * The fake's observation is {@code [seed, step]}: thresholds calibrated on seeds 100000.. make
     * the tiny actor spike at seeds about half as large (at seeds 0.. it would never fire).
     */
    private static final long SEED = 50_000;

    private EvalConfig config(Path actor, int episodes, Path out) {
        return new EvalConfig(FiveStepEnv.ID, actor, episodes, SEED, 3, out);
    }

    private Path eval(EvalConfig config, EpisodeRunner.Listener listener, Path resume) {
        return Evaluation.run(config, List.of("eval"), new PrintWriter(new StringWriter()), false, snn().factory(),
                FiveStepBackend::new, listener, true, null, resume);
    }

    /** Fails the run when the {@code n}-th episode of the listened-to loop finishes. */
    private static EpisodeRunner.Listener failAfter(int n) {
        return new EpisodeRunner.Listener() {
            private int done;

            @Override
            public void episodeDone(Episode episode) {
                if (++done == n) {
                    throw new IllegalStateException("injected stop after " + n + " episodes");
                }
            }
        };
    }

    private static JsonNode withoutMeasured(Path file) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        strip(n);
        return n;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(MEASURED);
            o.forEach(EvalResumeFakeBackendTest::strip);
        }
    }

    /** The CSV without its wall_s column. */
    private static List<String> csvWithoutWall(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int wall = List.of(lines.get(0).split(",")).indexOf("wall_s");
        return lines.stream().map(l -> {
            String[] c = l.split(",");
            c[wall] = "";
            return String.join(",", c);
        }).toList();
    }

    private static List<String> entries(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void stoppedThenResumedEqualsUninterrupted() throws IOException {
        Path actor = TinyActor.write(dir);
        Path reference = eval(config(actor, 11, dir.resolve("reference")), EpisodeRunner.Listener.NONE, null);

        Path stopped = dir.resolve("stopped");
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> eval(config(actor, 11, stopped), failAfter(11 + 4), null));
        assertTrue(e.getMessage().contains("(4 finished episodes kept in " + stopped.toAbsolutePath() + ", and the 11 of"
                + " the ANN baseline; to finish: spikerl eval --resume " + stopped.toAbsolutePath()), e.getMessage());
        JsonNode partial = JSON.readTree(stopped.resolve("summary.json").toFile());
        assertEquals("incomplete", partial.get("status").asText());
        assertEquals(4, partial.get("episodes").asInt());
        assertEquals("snn", partial.get("stopped_during").asText());
        assertEquals(11, partial.get("ann").get("episodes").asInt());
        assertEquals(12, Files.readAllLines(stopped.resolve("ann_episodes.csv")).size(), "header and the whole baseline");
        assertEquals(11, Files.readAllLines(stopped.resolve("journal/ann.jsonl")).size(), "the whole ANN baseline");
        assertEquals(4, Files.readAllLines(stopped.resolve("journal/snn.jsonl")).size());

        Path resumed = eval(config(actor, 11, null), EpisodeRunner.Listener.NONE, stopped);
        assertEquals(stopped.toAbsolutePath(), resumed);
        assertEquals(entries(reference), entries(resumed), "the same files, no journal left");
        JsonNode summary = withoutMeasured(resumed.resolve("summary.json"));
        assertEquals("complete", summary.get("status").asText());
        assertTrue(summary.get("sops_per_step").asDouble() > 0, "the SNN counted operations: " + summary);
        assertEquals(withoutMeasured(reference.resolve("summary.json")), summary);
        assertEquals(csvWithoutWall(reference.resolve("episodes.csv")), csvWithoutWall(resumed.resolve("episodes.csv")));
        assertEquals(csvWithoutWall(reference.resolve("ann_episodes.csv")),
                csvWithoutWall(resumed.resolve("ann_episodes.csv")));
        assertEquals(15, JSON.readTree(resumed.resolve("provenance.json").toFile()).get("resumed_episodes").asInt());
        assertEquals(List.of("reference", "stopped", "tiny.actor.json", "tiny.safetensors"), entries(dir),
                "no hidden folders left");
    }

    /** Asks the run to stop, as SIGTERM does, when the {@code n}-th episode of the loops finishes. */
    private static EpisodeRunner.Listener stopAfter(int n) {
        return new EpisodeRunner.Listener() {
            private int done;

            @Override
            public void episodeDone(Episode episode) {
                if (++done == n) {
                    StopRequest.request("SIGTERM");
                }
            }
        };
    }

    @AfterEach
    void forgetStops() {
        StopRequest.clear();
    }

    @Test
    void stoppedDuringTheAnnBaselineKeepsItsEpisodesAndResumesToTheUninterruptedRun() throws IOException {
        Path actor = TinyActor.write(dir);
        Path reference = eval(config(actor, 11, dir.resolve("reference")), EpisodeRunner.Listener.NONE, null);

        Path stopped = dir.resolve("stopped");
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> eval(config(actor, 11, stopped), stopAfter(4), null));
        StopRequest.clear();
        String m = e.getMessage();
        assertTrue(m.startsWith("ANN baseline (skip it with --no-ann): fake-v0 episode"), m);
        assertTrue(m.contains("interrupted by SIGTERM"), m);
        // Three slots: the stop comes at the next batch step, so episodes running then may finish too.
        JsonNode partial = JSON.readTree(stopped.resolve("summary.json").toFile());
        int kept = partial.get("ann").get("episodes").asInt();
        assertTrue(kept >= 4 && kept < 11, partial.toString());
        assertTrue(m.endsWith("(" + kept + " finished episodes of the ANN baseline kept in " + stopped.toAbsolutePath()
                + "; to finish: spikerl eval --resume " + stopped.toAbsolutePath() + " with the same options)"), m);
        assertEquals("incomplete", partial.get("status").asText());
        assertEquals("SIGTERM", partial.get("stopped_by").asText());
        assertEquals("ann", partial.get("stopped_during").asText());
        assertEquals("snn", partial.get("controller").asText());
        assertEquals(0, partial.get("episodes").asInt(), "no SNN episode ran");
        assertEquals(kept, partial.get("ann").get("returns").size());
        assertEquals(List.of("ann_episodes.csv", "journal", "provenance.json", "summary.json"), entries(stopped));
        assertEquals(kept + 1, Files.readAllLines(stopped.resolve("ann_episodes.csv")).size());
        assertEquals(kept, Files.readAllLines(stopped.resolve("journal/ann.jsonl")).size());
        List<String> whole = csvWithoutWall(reference.resolve("ann_episodes.csv"));
        for (String line : csvWithoutWall(stopped.resolve("ann_episodes.csv"))) {
            assertTrue(whole.contains(line), "an episode of the uninterrupted baseline: " + line);
        }

        StringWriter printed = new StringWriter();
        Path resumed = Evaluation.run(config(actor, 11, null), List.of("eval"), new PrintWriter(printed), false,
                snn().factory(), FiveStepBackend::new, EpisodeRunner.Listener.NONE, true, null, stopped);
        assertTrue(printed.toString().contains("resuming " + stopped + ": " + kept + " finished episodes kept"),
                printed.toString());
        assertEquals(entries(reference), entries(resumed), "the same files, no journal left");
        assertEquals(withoutMeasured(reference.resolve("summary.json")), withoutMeasured(resumed.resolve("summary.json")));
        for (String csv : List.of("episodes.csv", "ann_episodes.csv")) {
            assertEquals(csvWithoutWall(reference.resolve(csv)), csvWithoutWall(resumed.resolve(csv)), csv);
        }
        assertEquals(kept, JSON.readTree(resumed.resolve("provenance.json").toFile()).get("resumed_episodes").asInt());
        assertEquals(List.of("reference", "stopped", "tiny.actor.json", "tiny.safetensors"), entries(dir),
                "no hidden folders left");
    }

    @Test
    void anSnnRunStoppedBeforeItsFirstEpisodeKeepsTheWholeAnnBaseline() throws IOException {
        Path actor = TinyActor.write(dir);
        Path stopped = dir.resolve("stopped");
        // Fails at the first step of the SNN loop: the second batch step told after the 11 ANN episodes
        // finished (the first is the ANN loop's last).
        EpisodeRunner.Listener failFirstSnnStep = new EpisodeRunner.Listener() {
            private int done;
            private int stepsAfter;

            @Override
            public void episodeDone(Episode episode) {
                done++;
            }

            @Override
            public void stepped(int environmentSteps) {
                if (done == 11 && ++stepsAfter == 2) {
                    throw new IllegalStateException("injected failure at the first SNN step");
                }
            }
        };
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> eval(config(actor, 11, stopped), failFirstSnnStep, null));
        JsonNode partial = JSON.readTree(stopped.resolve("summary.json").toFile());
        assertEquals("error", partial.get("stopped_by").asText());
        assertEquals("snn", partial.get("stopped_during").asText());
        assertEquals(0, partial.get("episodes").asInt());
        assertEquals(11, partial.get("ann").get("episodes").asInt());
        assertTrue(e.getMessage().contains("(0 finished episodes kept in " + stopped.toAbsolutePath()
                + ", and the 11 of the ANN baseline; to finish: "), e.getMessage());
        assertEquals(12, Files.readAllLines(stopped.resolve("ann_episodes.csv")).size());
        assertEquals(List.of("ann_episodes.csv", "journal", "provenance.json", "summary.json"), entries(stopped));
    }

    @Test
    void anAnnEvaluationResumedCountsItsEpisodesOnce() throws IOException {
        Path actor = TinyActor.write(dir);
        Path reference = Evaluation.run(config(actor, 8, dir.resolve("reference")), List.of("eval"),
                new PrintWriter(new StringWriter()), false, Evaluation.ControllerFactory.ANN, FiveStepBackend::new,
                EpisodeRunner.Listener.NONE, true, null, null);
        Path stopped = dir.resolve("stopped");
        assertThrows(SpikerlException.class, () -> Evaluation.run(config(actor, 8, stopped), List.of("eval"),
                new PrintWriter(new StringWriter()), false, Evaluation.ControllerFactory.ANN, FiveStepBackend::new,
                failAfter(3), true, null, null));
        StringWriter printed = new StringWriter();
        Evaluation.run(config(actor, 8, null), List.of("eval"), new PrintWriter(printed), false,
                Evaluation.ControllerFactory.ANN, FiveStepBackend::new, EpisodeRunner.Listener.NONE, true, null, stopped);
        assertTrue(printed.toString().contains("resuming " + stopped + ": 3 finished episodes kept"), printed.toString());
        assertEquals(withoutMeasured(reference.resolve("summary.json")), withoutMeasured(stopped.resolve("summary.json")));
        assertEquals(csvWithoutWall(reference.resolve("episodes.csv")), csvWithoutWall(stopped.resolve("episodes.csv")));
    }

    @Test
    void resumeRefusesAnotherConfiguration() {
        Path actor = TinyActor.write(dir);
        Path stopped = dir.resolve("stopped");
        assertThrows(SpikerlException.class, () -> eval(config(actor, 9, stopped), failAfter(2), null));
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> eval(config(actor, 10, null), EpisodeRunner.Listener.NONE, stopped));
        assertTrue(e.getMessage().startsWith("cannot resume " + stopped + ": its config differs from this run's"
                + " (episodes: 9 then, 10 now"), e.getMessage());
    }

    @Test
    void countsRebuiltFromTheEpisodesAreTheLoopsCounters() {
        Path actor = TinyActor.write(dir);
        FiveStepEnv env = new FiveStepEnv(3);
        Actor a = ActorLoader.load(actor, ActorLoader.Options.forEnv(env.spec()));
        SnnController snn = new SnnController(snn().convert(a, env).network());
        EpisodeRunner.Result direct = EpisodeRunner.run(env, snn, 13, SEED, EpisodeRunner.Listener.NONE);
        try (RunDirectory run = RunDirectory.create(dir.resolve("journalled"))) {
            EpisodeRunner.Result journalled = EpisodeJournal.fresh(run).run("snn", env, snn, 13, SEED,
                    EpisodeRunner.Listener.NONE);
            assertEquals(direct.episodes().stream().map(Episode::untimed).collect(Collectors.toList()),
                    journalled.episodes().stream().map(Episode::untimed).collect(Collectors.toList()));
            OpCounts d = direct.counts();
            OpCounts j = journalled.counts();
            assertTrue(d.sops() > 0 && d.spikes() > 0, "something was counted: sops " + d.sops() + ", spikes "
                    + d.spikes() + ", macs " + d.macs() + ", steps " + d.controlSteps());
            assertEquals(List.of(d.controlSteps(), d.macs(), d.sops(), d.neuronUpdates(), d.timesteps()),
                    List.of(j.controlSteps(), j.macs(), j.sops(), j.neuronUpdates(), j.timesteps()));
            assertArrayEquals(d.spikeRates(), j.spikeRates());
            assertEquals(direct.environmentSteps(), journalled.environmentSteps());
        }
    }
}
