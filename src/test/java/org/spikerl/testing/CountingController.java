package org.spikerl.testing;

import java.util.ArrayList;
import java.util.List;
import org.spikerl.control.Controller;
import org.spikerl.energy.OpCounts;

/**
 * A controller for {@link FiveStepEnv}: {@code action = 0.5 * step + 0.01 * seed} from the
 * observation. It counts its own steps since {@link #reset()} and fails when that disagrees with
 * the env's step, so a missing reset at an episode start shows up as a failure. Copies share the
 * list of all copies, and each copy records the observations it acted on.
 */
public class CountingController implements Controller {
    public static final double MACS_PER_ACT = 7;

    public final List<CountingController> copies;
    public final int obsSize;
    public final OpCounts counts = new OpCounts(new int[0]);
    /** Every observation given to {@link #act}, copied, in call order. */
    public final List<double[]> seen = new ArrayList<>();
    public int resets;
    public int stepsSinceReset = -1;
    /** Throws from act at this step of the episode with this seed; -1 for never. */
    public long failSeed = -1;
    public int failStep = -1;

    public CountingController(List<CountingController> copies, int obsSize) {
        this.copies = copies;
        this.obsSize = obsSize;
    }

    @Override
    public int observationSize() {
        return obsSize;
    }

    @Override
    public int actionSize() {
        return 1;
    }

    @Override
    public void reset() {
        resets++;
        stepsSinceReset = 0;
    }

    @Override
    public void act(double[] observation, double[] actionOut) {
        if (observation[1] != stepsSinceReset) {
            throw new IllegalStateException("env at step " + observation[1] + " but " + stepsSinceReset
                    + " steps since reset");
        }
        if (observation[0] == failSeed && stepsSinceReset + 1 == failStep) {
            throw new IllegalStateException("controller exploded");
        }
        seen.add(observation.clone());
        stepsSinceReset++;
        actionOut[0] = 0.5 * observation[1] + 0.01 * observation[0];
        counts.addControlStep((long) MACS_PER_ACT, 0, 0, 0);
    }

    @Override
    public OpCounts counts() {
        return counts;
    }

    @Override
    public Controller copy() {
        CountingController c = new CountingController(copies, obsSize);
        c.failSeed = failSeed;
        c.failStep = failStep;
        copies.add(c);
        return c;
    }

    @Override
    public String kind() {
        return "ann";
    }
}
