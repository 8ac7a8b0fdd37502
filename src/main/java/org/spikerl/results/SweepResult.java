package org.spikerl.results;

import java.util.List;

/**
 * A sweep's results: what was run (for titles and headers) and its cells, the ANN first.
 *
 * @param env Gymnasium environment id
 * @param policy the actor file as given
 * @param policyName the actor's name for titles ({@link PolicyName})
 * @param description the sweep config's description
 * @param episodes episodes per cell
 * @param seed first episode seed (episode i: seed + i)
 * @param calibrationSteps ANN control steps recorded for calibration
 * @param calibrationSeed first calibration episode seed
 * @param tuned the axes the tuner chose (lower case; empty when not tuned)
 * @param tuneBudget the tuner's episode budget per row (0 when not tuned)
 * @param tuningSeed first tuning episode seed
 * @param bootstrap how the intervals were computed
 * @param cells the ANN, then the grid in order
 */
public record SweepResult(String env, String policy, String policyName, String description, int episodes, long seed,
                          int calibrationSteps, long calibrationSeed, List<String> tuned, int tuneBudget,
                          long tuningSeed, Bootstrap bootstrap, List<SweepCell> cells) {

    public SweepCell ann() {
        return cells.get(0);
    }

    public List<SweepCell> snnCells() {
        return cells.subList(1, cells.size());
    }

    public boolean isTuned() {
        return !tuned.isEmpty();
    }
}
