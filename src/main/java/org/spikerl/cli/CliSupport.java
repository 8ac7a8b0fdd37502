package org.spikerl.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** Small helpers shared by the commands. */
final class CliSupport {
    private CliSupport() {
    }

    /** The command as typed ({@code spikerl eval --env ...}), for provenance. */
    static List<String> commandLine(CommandSpec spec) {
        List<String> words = new ArrayList<>();
        words.add(spec.root().name());
        words.addAll(spec.commandLine().getParseResult().originalArgs());
        return words;
    }
}
