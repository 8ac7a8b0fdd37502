package org.spikerl.results.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.results.Bootstrap;
import org.spikerl.results.Comparison;
import org.spikerl.results.RunDirectory;
import org.spikerl.results.RunSummary;

/** Every text output of the results model against its golden file (src/test/resources/golden). */
class FormatsGoldenTest {
    @TempDir
    Path tmp;

    /** JSON exactly as a run folder gets it: through RunDirectory's writer. */
    private String json(String name, Object value) throws IOException {
        Path dir = tmp.resolve(name + "-run");
        try (RunDirectory run = RunDirectory.create(dir)) {
            run.writeJson(name, value);
            run.commit();
        }
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private static Map<String, Object> head(String controller) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("env", "Hopper-v4");
        h.put("policy", "policies/hopper-v4-td3/model.zip");
        h.put("policy_sha256", "0".repeat(64));
        h.put("controller", controller);
        return h;
    }

    private static Map<String, Object> stopped(String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "incomplete");
        m.put("stopped_by", "bridge");
        m.put("error", error);
        return m;
    }

    @Test
    void annSummaryJson() throws IOException {
        RunSummary ann = Fixtures.ann();
        Golden.assertMatches("summary_ann.json",
                json("summary.json", SummaryJson.of(head("ann"), ann, null, 0, 4, Bootstrap.DEFAULTS, null)));
    }

    @Test
    void snnSummaryJsonWithTheAnnComparison() throws IOException {
        Comparison c = Fixtures.comparison();
        Golden.assertMatches("summary_snn.json",
                json("summary.json", SummaryJson.of(head("snn"), c.snn(), c, 0, 4, Bootstrap.DEFAULTS, null)));
    }

    @Test
    void incompleteSummaryJson() throws IOException {
        RunSummary partial = RunSummary.incomplete("snn", Fixtures.episodes(1, 0, 0).subList(0, 2), Bootstrap.DEFAULTS);
        Golden.assertMatches("summary_incomplete.json", json("summary.json", SummaryJson.of(head("snn"), partial,
                null, 0, 4, Bootstrap.DEFAULTS, stopped("Hopper-v4 episode 2 step 17: bridge exited"))));
    }

    /** Users' scripts read summary.json by these names (format version 1): they stay. */
    @Test
    void summaryJsonKeepsTheVersionOneKeys() throws IOException {
        Comparison c = Fixtures.comparison();
        JsonNode s = new ObjectMapper().readTree(
                json("summary.json", SummaryJson.of(head("snn"), c.snn(), c, 0, 4, Bootstrap.DEFAULTS, null)));
        for (String key : List.of("env", "policy", "policy_sha256", "controller", "status", "seed", "episodes",
                "returns", "lengths", "mean_return", "std_return", "steps_per_s", "num_envs", "macs_per_step",
                "sops_per_step", "neuron_updates_per_step", "energy_pj_per_step", "ann_energy_pj_per_step",
                "energy_ratio", "energy_pj_per_episode", "spike_rate_per_layer")) {
            assertTrue(s.has(key), key);
        }
        assertEquals(Formats.VERSION, s.get("format_version").asInt());
        for (EnergyPreset p : EnergyPreset.ALL) {
            assertTrue(s.get("energy_ratio").has(p.name()), p.name());
        }
    }

    @Test
    void episodesCsv() throws IOException {
        String csv = EpisodesCsv.of(Fixtures.comparison().snn());
        Golden.assertMatches("episodes.csv", csv);
        assertTrue(csv.startsWith("episode,seed,return,length,"), "version-1 columns first");
    }

    @Test
    void evalTables() throws IOException {
        StringWriter w = new StringWriter();
        EvalReport.print(new PrintWriter(w), "hopper-v4-td3 on Hopper-v4", Fixtures.ann(), null);
        Golden.assertMatches("eval_ann.txt", w.toString());
        w = new StringWriter();
        Comparison c = Fixtures.comparison();
        EvalReport.print(new PrintWriter(w), "hopper-v4-td3 on Hopper-v4", c.snn(), c);
        Golden.assertMatches("eval_snn.txt", w.toString());
    }

    @Test
    void sweepCsv() throws IOException {
        String csv = SweepCsv.of(Fixtures.sweep());
        Golden.assertMatches("sweep.csv", csv);
        List<String> header = List.of(csv.substring(0, csv.indexOf('\n')).split(","));
        List<String> v1 = List.of("controller", "threshold", "timesteps", "delay_setting", "delay_t0", "alpha",
                "v0_fraction", "delay_reduction", "mean_return", "std_return", "apr", "macs_per_step", "sops_per_step",
                "energy_pj_per_step_horowitz45", "energy_pj_per_step_bu2025", "energy_ratio_horowitz45",
                "energy_ratio_bu2025", "spike_rate_per_layer", "neuron", "calibration", "act_us_per_step");
        assertEquals(v1, header.subList(0, v1.size()), "version-1 columns keep their names and order");
    }

    /** The energy columns are the preset list's, so a third preset gets its columns without touching the writer. */
    @Test
    void sweepCsvEnergyColumnsComeFromThePresetList() {
        List<String> columns = SweepCsv.columns();
        assertEquals(2 * EnergyPreset.ALL.size(),
                columns.stream().filter(c -> c.startsWith("energy_pj_per_step_") || c.startsWith("energy_ratio_"))
                        .count());
    }

    @Test
    void sweepEpisodesCsv() throws IOException {
        Golden.assertMatches("sweep_episodes.csv", SweepEpisodesCsv.of(Fixtures.sweep()));
    }

    @Test
    void sweepJson() throws IOException {
        String s = json("sweep.json", SweepJson.of(Fixtures.sweep()));
        Golden.assertMatches("sweep.json", s);
        JsonNode row = new ObjectMapper().readTree(s).get("rows").get(1);
        assertTrue(row.get("timesteps").isInt(), "typed grid values: " + row.get("timesteps"));
        assertTrue(row.get("alpha").isDouble(), "typed grid values: " + row.get("alpha"));
    }

    @Test
    void sweepMarkdown() throws IOException {
        Golden.assertMatches("sweep.md", SweepMarkdown.of(Fixtures.sweep()));
    }
}
