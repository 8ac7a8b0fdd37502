package org.spikerl.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.spikerl.SpikerlException;
import org.spikerl.control.Controller;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.control.EpisodeRunner.Episode;
import org.spikerl.energy.OpCounts;
import org.spikerl.env.VectorEnv;
import org.spikerl.results.OutputException;
import org.spikerl.results.ResumeCheck;
import org.spikerl.results.RunDirectory;

/**
 * The durable record of an evaluation's finished episodes: {@code journal/ann.jsonl} and
 * {@code journal/snn.jsonl} in the run folder, one JSON line per episode appended the moment it
 * finishes (index, seed, return, length, terminated, truncated, wall time, and everything its
 * controller counted: MACs, SOPs, neuron updates, timesteps, spikes per hidden layer). A stopped
 * evaluation's folder keeps it; {@code eval --resume DIR} reads it back (after
 * {@link ResumeCheck} has compared configuration, actor hash and versions), runs only the missing
 * episodes (each with its own seed {@code S + i}) and rebuilds the run's counts as the sum of its
 * episodes' counts, which is what the loop's merged counters hold (integers: exact in any order).
 * Returns are stored as JSON doubles, which read back to the same bits. A finished evaluation
 * drops the journal ({@link #discard()}): its summary and episode tables say it all.
 */
public final class EpisodeJournal {
    static final String FOLDER = "journal";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Set when an append failed; the journal is not written after that. */
    private OutputException unwritable;

    /** One finished episode and its counts. */
    record Entry(Episode episode, OpCounts counts) {
    }

    private final RunDirectory run;
    private final Map<String, TreeMap<Integer, Entry>> done = new HashMap<>();

    private EpisodeJournal(RunDirectory run) {
        this.run = run;
    }

    /** A journal for a new evaluation. */
    public static EpisodeJournal fresh(RunDirectory run) {
        return new EpisodeJournal(run);
    }

    /**
     * The journal for {@code run}: fresh when {@code previous} is null; else, after checking that
     * {@code previous} is the same evaluation as {@code provenance} describes, its finished episodes,
     * copied into {@code run}.
     */
    public static EpisodeJournal open(RunDirectory run, Path previous, Map<String, Object> provenance,
                                      EvalConfig config) {
        if (previous == null) {
            return fresh(run);
        }
        ResumeCheck.check(previous, provenance, "start a new evaluation instead");
        return resumed(run, previous, config.episodes(), config.seed());
    }

    /**
     * The episodes of the stopped evaluation in {@code previous}, copied into {@code run}. Refuses a
     * line that does not parse, an episode outside {@code 0..episodes-1} or with another seed than
     * {@code seed + index}, and a folder without a journal (a finished evaluation has nothing to resume).
     */
    static EpisodeJournal resumed(RunDirectory run, Path previous, int episodes, long seed) {
        Path folder = previous.resolve(FOLDER);
        if (!Files.isDirectory(folder)) {
            throw new SpikerlException(previous + " has no " + FOLDER + "/ folder: a finished evaluation, or not an"
                    + " evaluation folder this version can resume");
        }
        EpisodeJournal j = new EpisodeJournal(run);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("(ann|snn)\\.jsonl")).sorted().toList()) {
                String kind = f.getFileName().toString().replace(".jsonl", "");
                String text = Files.readString(f, StandardCharsets.UTF_8);
                // Only whole lines: a line being appended when the process died is not an episode.
                int end = text.lastIndexOf('\n') + 1;
                StringBuilder kept = new StringBuilder();
                int lineNo = 0;
                for (String line : text.substring(0, end).split("\n")) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    Entry e;
                    try {
                        e = fromJson(JSON.readTree(line));
                    } catch (IOException | RuntimeException ex) {
                        throw new SpikerlException(f + " line " + lineNo + ": not an episode this version can read ("
                                + String.valueOf(ex.getMessage()).lines().findFirst().orElse("") + ")", ex);
                    }
                    int i = e.episode().index();
                    if (i < 0 || i >= episodes || e.episode().seed() != seed + i) {
                        throw new SpikerlException(f + " line " + lineNo + ": episode " + i + " with seed "
                                + e.episode().seed() + ", expected an episode in 0.." + (episodes - 1)
                                + " with seed " + seed + " + its index");
                    }
                    j.entries(kind).put(i, e);
                    kept.append(line).append('\n');
                }
                run.writeText(FOLDER + "/" + kind + ".jsonl", kept.toString());
            }
        } catch (IOException e) {
            throw new SpikerlException("cannot read " + folder + ": " + e.getMessage(), e);
        }
        return j;
    }

    private TreeMap<Integer, Entry> entries(String kind) {
        return done.computeIfAbsent(kind, k -> new TreeMap<>());
    }

    /** How many episodes of {@code kind} ("ann" or "snn") are finished. */
    public int size(String kind) {
        return entries(kind).size();
    }

    /** How many episodes are finished, of every controller (an SNN run's ANN baseline included). */
    public int total() {
        return done.values().stream().mapToInt(Map::size).sum();
    }

    /** The finished episodes of {@code kind}, in index order. */
    public List<Episode> episodes(String kind) {
        return entries(kind).values().stream().map(Entry::episode).toList();
    }

    /**
     * Runs the episodes {@code 0..episodes-1} of {@code kind} that are not finished yet (episode i
     * reset with seed {@code seed + i}), recording each as it finishes, and returns the result of
     * all of them: every episode in index order, the counts summed over every episode; the loop's
     * timings and step count are those of the episodes run now. {@code listener} is told as usual.
     *
     * @throws EpisodeRunner.RunFailure as the loop does; {@link #episodes} then has every finished one
     */
    public EpisodeRunner.Result run(String kind, VectorEnv env, Controller prototype, int episodes, long seed,
                                    EpisodeRunner.Listener listener) {
        TreeMap<Integer, Entry> have = entries(kind);
        int[] missing = new int[episodes - have.size()];
        int n = 0;
        for (int i = 0; i < episodes && n < missing.length; i++) {
            if (!have.containsKey(i)) {
                missing[n++] = i;
            }
        }
        EpisodeRunner.Result now = null;
        if (n > 0) {
            boolean identity = n == episodes;
            now = EpisodeRunner.run(env, prototype, n, identity ? i -> i : i -> missing[i], seed,
                    new Recording(kind, listener));
        }
        OpCounts counts = prototype.counts().emptyCopy();
        List<Episode> all = new ArrayList<>(have.size());
        for (Entry e : have.values()) {
            all.add(e.episode());
            counts.add(e.counts());
        }
        return now == null ? new EpisodeRunner.Result(List.copyOf(all), counts, 0, 0, 0, 0)
                : new EpisodeRunner.Result(List.copyOf(all), counts, now.environmentSteps(), now.seconds(),
                        now.actSeconds(), now.envSeconds());
    }

    /** Removes the journal from the run folder (a finished evaluation). */
    public void discard() {
        Path folder = run.stagedPath(FOLDER);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw OutputException.writing(run.target().resolve(FOLDER), e);
        }
    }

    /**
     * Appends one finished episode to {@code journal/KIND.jsonl}. When the journal cannot be
     * written (a full disk), the evaluation goes on without it: the episode is kept in memory, and
     * the run's own result files fail in their turn with the path and the cause, which is when the
     * numbers are printed instead (a journal failure here would end the run and lose them).
     */
    void record(String kind, Episode episode, OpCounts counts) {
        entries(kind).put(episode.index(), new Entry(episode, counts));
        if (unwritable != null) {
            return;
        }
        String name = FOLDER + "/" + kind + ".jsonl";
        Path file = run.stagedPath(name);
        try {
            byte[] line = (JSON.writeValueAsString(toMap(episode, counts)) + "\n").getBytes(StandardCharsets.UTF_8);
            Files.createDirectories(file.getParent());
            Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            unwritable = OutputException.writing(run.target().resolve(name), e);
        }
    }

    /** Why the journal stopped being written, or {@code null} while it is written. */
    public OutputException unwritable() {
        return unwritable;
    }

    static Map<String, Object> toMap(Episode e, OpCounts c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("episode", e.index());
        m.put("seed", e.seed());
        m.put("return", e.ret());
        m.put("length", e.length());
        m.put("terminated", e.terminated());
        m.put("truncated", e.truncated());
        m.put("wall_s", e.seconds());
        m.put("sops", e.sops());
        m.put("spikes", e.spikes());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("control_steps", c.controlSteps());
        counts.put("macs", c.macs());
        counts.put("sops", c.sops());
        counts.put("neuron_updates", c.neuronUpdates());
        counts.put("timesteps", c.timesteps());
        int layers = c.hiddenLayers();
        int[] neurons = new int[layers];
        long[] spikes = new long[layers];
        for (int l = 0; l < layers; l++) {
            neurons[l] = c.neurons(l);
            spikes[l] = c.spikes(l);
        }
        counts.put("neurons_per_layer", neurons);
        counts.put("spikes_per_layer", spikes);
        m.put("counts", counts);
        return m;
    }

    static Entry fromJson(JsonNode m) {
        Episode e = new Episode(need(m, "episode").intValue(), need(m, "seed").longValue(),
                need(m, "return").doubleValue(), need(m, "length").intValue(), need(m, "terminated").booleanValue(),
                need(m, "truncated").booleanValue(), need(m, "wall_s").asDouble(), need(m, "sops").longValue(),
                need(m, "spikes").longValue());
        JsonNode c = need(m, "counts");
        JsonNode neurons = need(c, "neurons_per_layer");
        JsonNode spikes = need(c, "spikes_per_layer");
        int[] n = new int[neurons.size()];
        long[] s = new long[spikes.size()];
        for (int l = 0; l < n.length; l++) {
            n[l] = neurons.get(l).intValue();
        }
        for (int l = 0; l < s.length; l++) {
            s[l] = spikes.get(l).longValue();
        }
        return new Entry(e, OpCounts.of(n, need(c, "control_steps").longValue(), need(c, "macs").longValue(),
                need(c, "sops").longValue(), need(c, "neuron_updates").longValue(), need(c, "timesteps").longValue(), s));
    }

    private static JsonNode need(JsonNode m, String field) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("no field " + field);
        }
        return v;
    }

    /** Passes every event on to the caller's listener and records each finished episode. */
    private final class Recording extends EpisodeRunner.ForwardingListener {
        private final String kind;

        Recording(String kind, EpisodeRunner.Listener next) {
            super(next);
            this.kind = kind;
        }

        @Override
        public void episodeCounted(Episode episode, OpCounts counts) {
            record(kind, episode, counts);
            super.episodeCounted(episode, counts);
        }
    }
}
