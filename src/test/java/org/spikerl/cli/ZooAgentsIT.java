package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.spikerl.actor.io.Fixtures;

/**
 * The three RL Zoo agents in {@code ../shared/policies/zoo}, evaluated exactly as downloaded
 * ({@code spikerl eval --env ENV --policy ALGO/ENV_1/ENV.zip}, no other option: the PPO agent's
 * VecNormalize statistics are found and read beside the zip), against real MuJoCo, seeds 0..9,
 * reproduce the SB3 returns that zoo's README gives: the mean within 1% on HalfCheetah and Hopper.
 * On Walker2d, as that README explains, float32 rounding between two correct implementations
 * turns episodes into falls and moves returns by a few percent, so it is compared per episode with
 * SB3's own per-episode returns on the same seeds ({@code envs/make_fixtures.py}), by reward per
 * step, within {@link #WALKER_RATE_TOLERANCE}.
 */
class ZooAgentsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHARED = Path.of(System.getProperty("spikerl.home", ".")).resolve("../shared").normalize();
    /**
     * Walker2d's closed loop amplifies float32 rounding: SB3 against itself (README, measured with
     * several torch threads: 4005.8; make_fixtures.py with one thread: 4256.1) moves the mean by 6%,
     * and two correct implementations part within a few hundred steps. Measured on 2026-12-01
     * between spikerl and SB3 (one thread), seeds 0..9: reward per step within 8.0% on every
     * episode, 4 of 10 episodes with a fall in one of the two runs. An actor read wrong (head,
     * bounds, normalisation) is off by far more: the PPO Hopper agent without its statistics scores
     * 64 instead of 2438.6.
     */
    private static final double WALKER_RATE_TOLERANCE = 0.10;

    /** The README's "SB3 predict, seeds 0..9" mean for the row of {@code relative}. */
    private static double readmeMean(String relative) throws IOException {
        String readme = Files.readString(SHARED.resolve("policies/zoo/README.md"));
        Matcher m = Pattern.compile("\\| `" + Pattern.quote(relative) + "`[^\\n]*?\\| (\\d+\\.\\d) \\+- (\\d+\\.\\d) \\|")
                .matcher(readme);
        assertTrue(m.find(), "zoo README has a row for " + relative);
        return Double.parseDouble(m.group(1));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"sac/HalfCheetah-v3_1/HalfCheetah-v3.zip, HalfCheetah-v4, zoo_sac_HalfCheetah-v3, false",
            "ppo/Hopper-v3_1/Hopper-v3.zip, Hopper-v4, zoo_ppo_Hopper-v3, false",
            "tqc/Walker2d-v3_1/Walker2d-v3.zip, Walker2d-v4, zoo_tqc_Walker2d-v3, true"})
    void evalMatchesSb3(String relative, String env, String reference, boolean perEpisode, @TempDir Path tmp)
            throws IOException {
        Path out = tmp.resolve("eval");
        CliCapture.Run run = CliCapture.cli("eval", "--env", env, "--policy",
                SHARED.resolve("policies/zoo").resolve(relative).toString(), "--out", out.toString());
        assertEquals(0, run.status(), run.err());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        double readme = readmeMean(relative);
        double mean = summary.get("mean_return").asDouble();
        if (relative.startsWith("ppo/")) {
            JsonNode norm = JSON.readTree(out.resolve("provenance.json").toFile()).get("normalization");
            assertEquals("vecnormalize-pickle", norm.get("kind").asText());
            assertTrue(norm.get("file").asText().endsWith("Hopper-v3/vecnormalize.pkl"), norm.toString());
            assertEquals(64, norm.get("sha256").asText().length());
        }
        if (!perEpisode) {
            assertTrue(Math.abs(mean - readme) <= 0.01 * Math.abs(readme),
                    relative + ": spikerl mean " + mean + " vs SB3 " + readme);
            return;
        }
        // Walker2d: per episode, the reward per control step (a fall shortens an episode but leaves the gait
        // before it), against SB3's own per-episode returns on the same seeds.
        JsonNode sb3 = Fixtures.reference(reference).get("sb3_episodes");
        JsonNode returns = summary.get("returns");
        JsonNode lengths = summary.get("lengths");
        assertEquals(sb3.size(), returns.size());
        List<String> report = new ArrayList<>();
        double worst = 0;
        for (int i = 0; i < returns.size(); i++) {
            double want = sb3.get(i).get("return").asDouble() / sb3.get(i).get("length").asInt();
            double got = returns.get(i).asDouble() / lengths.get(i).asInt();
            worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
            report.add(String.format(java.util.Locale.ROOT, "%d: %.1f/%d vs SB3 %.1f/%d", i, returns.get(i).asDouble(),
                    lengths.get(i).asInt(), sb3.get(i).get("return").asDouble(), sb3.get(i).get("length").asInt()));
        }
        assertTrue(worst <= WALKER_RATE_TOLERANCE, relative + ": reward per step differs from SB3's by "
                + worst + " on some episode: " + report);
    }
}
