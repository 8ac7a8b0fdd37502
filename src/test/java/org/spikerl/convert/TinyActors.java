package org.spikerl.convert;

import java.util.List;
import org.spikerl.SyntheticActors;
import org.spikerl.actor.Actor;

/** Hand-sized actors for conversion tests. */
final class TinyActors {
    private TinyActors() {
    }

    /**
     * 2-2-1-1: layer 1 is the identity (so {@code z_1 = o}), layer 2 is {@code z_2 = h_0 + h_1 - 1},
     * the output copies {@code h_2}; identity head.
     */
    static Actor identityFirst() {
        return new Actor(List.of(
                SyntheticActors.layer(new float[][] {{1f, 0f}, {0f, 1f}}, new float[] {0f, 0f}),
                SyntheticActors.layer(new float[][] {{1f, 1f}}, new float[] {-1f}),
                SyntheticActors.layer(new float[][] {{1f}}, new float[] {0f})),
                null, SyntheticActors.wideClip(1), "tiny identity-first");
    }

    /**
     * Five observations. z_1 per neuron: n0 = [1, 2, 3, 4, -1], n1 = [.5, 0, -2, 8, 2];
     * h_1 = [1,.5] [2,0] [3,0] [4,8] [0,2]  ->  z_2 = [.5, 1, 2, 11, 1].
     */
    static final double[][] FIVE = {{1, 0.5}, {2, 0}, {3, -2}, {4, 8}, {-1, 2}};
}
