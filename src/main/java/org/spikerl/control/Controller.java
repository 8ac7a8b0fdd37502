package org.spikerl.control;

import org.spikerl.energy.OpCounts;

/**
 * Something that turns an observation into an action, once per control step. The ANN and the
 * SNN controllers implement it and run through the same episode loop.
 *
 * <p>A controller has per-episode state (the SNN's residual potential) and is not thread-safe:
 * use one per thread (or per parallel episode) and make more with {@link #copy()}.
 */
public interface Controller {

    int observationSize();

    int actionSize();

    /** Call at the start of every episode. */
    void reset();

    /** Computes the action for {@code observation} into {@code actionOut}; allocates nothing. */
    void act(double[] observation, double[] actionOut);

    /** Operation counts accumulated by {@link #act} since creation or the last counts reset. */
    OpCounts counts();

    /** A fresh controller sharing the immutable parameters, with its own state and counters. */
    Controller copy();

    /** Short name for results: "ann" or "snn". */
    String kind();
}
