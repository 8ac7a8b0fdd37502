package org.spikerl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.snn.io.ControllerFile;
import org.spikerl.tune.TuneSettings;
import org.spikerl.testing.FiveStepBackend;
import org.spikerl.testing.FiveStepEnv;
import org.spikerl.testing.TinyActor;

/** {@code convert} without Python: calibration rollouts on the five-step fake behind the backend seam. */
class ConversionFakeBackendTest {
    @TempDir
    Path dir;

    @Test
    void convertsOnTheBackendAndWritesAControllerFile() {
        Path actor = TinyActor.write(dir);
        ConversionConfig t4 = ConversionConfig.fromDescription(Map.of("timesteps", "4"));
        SnnOptions options = new SnnOptions(t4, 30, SnnOptions.DEFAULT_CALIBRATION_SEED);
        FiveStepBackend backend = new FiveStepBackend();
        Path out = dir.resolve("tiny.ctrl");
        Conversion.Result r = Conversion.run(FiveStepEnv.ID, actor, options, out, List.of("convert"), () -> backend);

        assertEquals(out, r.file());
        assertTrue(backend.closed, "the backend is closed at the end");
        // Calibration: seeds 100000.. (lengths 5 or 3) until 30 acted-on observations are known.
        List<Long> seeds = backend.opened.get(0).resetSeeds;
        assertEquals(SnnOptions.DEFAULT_CALIBRATION_SEED, seeds.stream().mapToLong(Long::longValue).min().orElseThrow());
        ControllerFile.Loaded loaded = ControllerFile.read(out);
        assertEquals(4, loaded.network().timesteps());
        assertEquals(2, loaded.network().actor().observationSize());
        Object run = loaded.provenance().get("run");
        assertTrue(String.valueOf(run).contains("fake=5"), "the backend's versions in provenance: " + run);
    }

    /** Without tuning the default slots; with it one per finalist of the first round, never fewer than the default. */
    @Test
    void aTunedConversionOpensOneSlotPerFinalist() {
        ConversionConfig t4 = ConversionConfig.fromDescription(Map.of("timesteps", "4"));
        SnnOptions plain = new SnnOptions(t4, 30, SnnOptions.DEFAULT_CALIBRATION_SEED);
        assertEquals(EvalConfig.DEFAULT_NUM_ENVS, Conversion.slots(plain));
        SnnOptions tuned = new SnnOptions(t4, 30, SnnOptions.DEFAULT_CALIBRATION_SEED, TuneSettings.DEFAULTS);
        assertEquals(12, TuneSettings.DEFAULTS.finalists());
        assertEquals(12, Conversion.slots(tuned));
        TuneSettings few = new TuneSettings(50, 1000, 0.25, TuneSettings.DEFAULTS.neurons(),
                TuneSettings.DEFAULTS.thresholds(), TuneSettings.DEFAULTS.delays(), TuneSettings.DEFAULTS.alphas(), 4,
                TuneSettings.DEFAULTS.calibrations(), TuneSettings.DEFAULTS.lastLayer());
        assertEquals(EvalConfig.DEFAULT_NUM_ENVS, Conversion.slots(new SnnOptions(t4, 30,
                SnnOptions.DEFAULT_CALIBRATION_SEED, few)));

        FiveStepBackend backend = new FiveStepBackend();
        Conversion.run(FiveStepEnv.ID, TinyActor.write(dir), tuned, dir.resolve("tuned.ctrl"), List.of("convert"),
                () -> backend);
        assertEquals(12, backend.opened.get(0).size(), "the env the conversion opened");
    }

    @Test
    void normalizationFileIsAppliedAndRecorded() throws java.io.IOException {
        Path actor = TinyActor.write(dir);
        Path norm = dir.resolve("stats.json");
        java.nio.file.Files.writeString(norm, "{\"obs_mean\": [0.5, -0.5], \"obs_var\": [4.0, 0.25],"
                + " \"epsilon\": 1e-8, \"clip_obs\": 10}");
        ConversionConfig t4 = ConversionConfig.fromDescription(Map.of("timesteps", "4"));
        SnnOptions options = new SnnOptions(t4, 30, SnnOptions.DEFAULT_CALIBRATION_SEED);
        Path out = dir.resolve("tiny-norm.ctrl");
        Conversion.run(FiveStepEnv.ID, actor, norm, options, out, List.of("convert"), FiveStepBackend::new);
        ControllerFile.Loaded loaded = ControllerFile.read(out);
        assertEquals(0.5, loaded.network().actor().norm().mean()[0]);
        assertEquals(0.25, loaded.network().actor().norm().var()[1]);
        Object run = loaded.provenance().get("run");
        assertTrue(String.valueOf(run).contains("kind=json") && String.valueOf(run).contains("found=--normalization"),
                "the statistics' origin in provenance: " + run);
    }

    /** convert writing into a folder where a killed eval left its staging recovers it first, with a note. */
    @Test
    void aKilledRunsStagingInTheOutputFolderIsRecoveredWithANote() throws Exception {
        Path actor = TinyActor.write(dir);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        gone.onExit().get();
        Path stale = java.nio.file.Files.createDirectories(dir.resolve(".old-eval.partial-p" + gone.pid() + "t1-x1")
                .resolve("journal"));
        java.nio.file.Files.writeString(stale.resolve("ann.jsonl"), "{}\n{}\n");
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            Conversion.run(FiveStepEnv.ID, actor, new SnnOptions(ConversionConfig.fromDescription(Map.of("timesteps",
                    "4")), 30, SnnOptions.DEFAULT_CALIBRATION_SEED), dir.resolve("tiny.ctrl"), List.of("convert"),
                    FiveStepBackend::new);
        } finally {
            System.setErr(err);
        }
        String note = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(note.startsWith("spikerl: note: a run killed before it finished (pid " + gone.pid() + ") left 2"
                + " finished episodes in the hidden folder .old-eval.partial-p" + gone.pid() + "t1-x1; moved to "
                + dir.resolve("old-eval")), note);
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("old-eval/journal/ann.jsonl")));
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("tiny.ctrl")));
    }
}
