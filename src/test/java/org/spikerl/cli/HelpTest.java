package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.spikerl.convert.ConversionConfig;
import org.spikerl.convert.DelayReduction;
import org.spikerl.run.SnnOptions;
import org.spikerl.tune.TuneSettings;

/** Help texts say the real defaults and allowed values, and nothing a command does not do. */
class HelpTest {

    /** stdout of one run, which must exit 0; help lines are joined so wrapped sentences read whole. */
    private static synchronized String out(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.execute(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8).replaceAll("\\s*\\R\\s+", " ");
    }

    @Test
    void evalHelpShowsTheDefaultsWhereTheyAreDefined() {
        String help = out("eval", "--help");
        ConversionConfig d = ConversionConfig.DEFAULTS;
        assertTrue(help.contains("(SPEC 6; default: " + d.alpha() + ";"), help);
        assertTrue(help.contains("(default: " + d.delay().spec() + "; the tuner tries"), help);
        assertTrue(help.contains("(default: " + d.method().spec() + "; the tuner tries"), help);
        assertTrue(help.contains("(default: " + d.timesteps() + ")"), help);
        assertTrue(help.contains("(default: " + SnnOptions.DEFAULTS.calibrationSteps() + ")"), help);
        assertTrue(help.contains("(default: " + TuneSettings.DEFAULTS.budgetEpisodes() + ")"), help);
        for (DelayReduction r : DelayReduction.values()) {
            assertTrue(help.contains(r.cliName()), "allowed value " + r.cliName() + ": " + help);
        }
        assertFalse(help.contains("${"), "every placeholder resolved: " + help);
        assertTrue(help.contains("--no-ann"), help);
    }

    @Test
    void everyCommandThatReadsAnActorOffersTheSameNormalizationOption() {
        String eval = out("eval", "--help");
        int at = eval.indexOf("Observation statistics of the actor");
        assertTrue(at > 0, eval);
        // Up to where the columns of one command's help may wrap differently from another's.
        String description = eval.substring(at, eval.indexOf("found beside the actor", at));
        for (String command : new String[] {"convert", "inspect", "diagnose"}) {
            String help = out(command, "--help");
            assertTrue(help.contains("--normalization=<file>") && help.contains(description),
                    command + " --help has --normalization: " + help);
        }
    }

    @Test
    void convertHelpSaysNothingAboutEvaluating() {
        String help = out("convert", "--help");
        assertFalse(help.contains("--snn"), help);
        assertFalse(help.contains("evaluate that"), help);
    }

    @Test
    void benchLoopOffersNoControllerFiles() {
        String help = out("bench", "loop", "--help");
        assertFalse(help.contains("controller"), help);
    }

    @Test
    void versionNamesTheGitCommit() {
        String v = out("-V").trim();
        assertTrue(v.matches("spikerl \\S+ \\(git [0-9a-f]{40}(, uncommitted changes)?\\)"), v);
    }
}
