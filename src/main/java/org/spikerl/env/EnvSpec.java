package org.spikerl.env;

/**
 * What a Gymnasium environment id offers.
 *
 * @param id environment id with version, e.g. {@code Hopper-v4}
 * @param observationSpace observation box
 * @param actionSpace action box
 * @param maxEpisodeSteps time limit (truncation), or 0 when none
 */
public record EnvSpec(String id, BoxSpace observationSpace, BoxSpace actionSpace, int maxEpisodeSteps) {
}
