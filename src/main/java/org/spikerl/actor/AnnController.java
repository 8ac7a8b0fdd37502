package org.spikerl.actor;

import org.spikerl.control.Controller;
import org.spikerl.energy.OpCounts;

/**
 * The ANN actor as a {@link Controller}: one {@link Forward} pass and the action head per control
 * step. Stateless across steps, so {@link #reset()} does nothing. Counts
 * {@code MACs = sum over layers of in_l * out_l} per control step (SPEC section 7), with no SOPs,
 * neuron updates or timesteps.
 */
public final class AnnController implements Controller {
    private final Forward forward;
    private final long macsPerStep;
    private final OpCounts counts = new OpCounts(new int[0]);

    public AnnController(Actor actor) {
        this(new Forward(actor));
    }

    private AnnController(Forward forward) {
        this.forward = forward;
        this.macsPerStep = forward.actor().macs();
    }

    @Override
    public int observationSize() {
        return forward.actor().observationSize();
    }

    @Override
    public int actionSize() {
        return forward.actor().actionSize();
    }

    @Override
    public void reset() {
        // No state carries over between control steps of an ANN.
    }

    /** {@code action = head(y)} of SPEC section 2; adds {@link Actor#macs()} to the counts. Allocates nothing. */
    @Override
    public void act(double[] observation, double[] actionOut) {
        forward.act(observation, actionOut);
        counts.addControlStep(macsPerStep, 0, 0, 0);
    }

    @Override
    public OpCounts counts() {
        return counts;
    }

    /** Shares the packed weights; own buffers and counters. */
    @Override
    public AnnController copy() {
        return new AnnController(forward.copy());
    }

    @Override
    public String kind() {
        return "ann";
    }

    /** The forward pass, for callers that need pre-activations (calibration). */
    public Forward forward() {
        return forward;
    }
}
