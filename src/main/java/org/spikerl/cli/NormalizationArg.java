package org.spikerl.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --normalization}, shared by the commands that read an actor ({@code eval},
 * {@code convert}, {@code inspect}, {@code diagnose}; a sweep config's {@code normalization:}
 * field is the same setting): the file of observation statistics to use instead of the
 * one found beside the actor. Where that search looks is written here once, so the help of the
 * commands cannot drift apart.
 */
final class NormalizationArg {
    @Option(names = "--normalization", description = "Observation statistics of the actor (VecNormalize pickle, e.g."
            + " vecnormalize.pkl, or JSON); default: found beside the actor (RL Zoo ENV/vecnormalize.pkl,"
            + " <stem>.vecnormalize.json).")
    Path file;
}
