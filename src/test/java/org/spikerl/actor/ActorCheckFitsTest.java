package org.spikerl.actor;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.env.BoxSpace;
import org.spikerl.env.EnvSpec;

class ActorCheckFitsTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Actor actor(ActionHead head) {
        return new Actor(List.of(new DenseLayer(3, 2, new float[6], new float[2])), null, head, "a.pt");
    }

    private static EnvSpec env(int obs, double[] low, double[] high) {
        double[] ol = new double[obs];
        double[] oh = new double[obs];
        java.util.Arrays.fill(ol, -INF);
        java.util.Arrays.fill(oh, INF);
        return new EnvSpec("Toy-v0", new BoxSpace(ol, oh, new int[] {obs}),
                new BoxSpace(low, high, new int[] {low.length}), 1000);
    }

    @Test
    void matchingSizesAndBoundsFit() {
        Actor a = actor(ActionHead.Tanh.fromBounds(new double[] {-1, -0.5}, new double[] {1, 2}));
        assertDoesNotThrow(() -> a.checkFits(env(3, new double[] {-1, -0.5}, new double[] {1, 2})));
        Actor clip = actor(new ActionHead.Clip(new double[] {-1, -1}, new double[] {1, 1}));
        assertDoesNotThrow(() -> clip.checkFits(env(3, new double[] {-INF, -INF}, new double[] {INF, INF})));
    }

    @Test
    void sizeMismatchNamesBothSizes() {
        Actor a = actor(ActionHead.Tanh.fromBounds(new double[] {-1, -1}, new double[] {1, 1}));
        SpikerlException obs = assertThrows(SpikerlException.class,
                () -> a.checkFits(env(11, new double[] {-1, -1}, new double[] {1, 1})));
        assertEquals("a.pt: the actor takes 3 observations and outputs 2 actions but Toy-v0 gives 11 observations and"
                + " takes 2 actions; is it an actor for another environment?", obs.getMessage());
        SpikerlException act = assertThrows(SpikerlException.class,
                () -> a.checkFits(env(3, new double[] {-1, -1, -1}, new double[] {1, 1, 1})));
        assertEquals("a.pt: the actor takes 3 observations and outputs 2 actions but Toy-v0 gives 3 observations and"
                + " takes 3 actions; is it an actor for another environment?", act.getMessage());
    }

    @Test
    void boundsMismatchIsReported() {
        Actor a = actor(ActionHead.Tanh.fromBounds(new double[] {-1, -1}, new double[] {1, 1}));
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> a.checkFits(env(3, new double[] {-0.4, -1}, new double[] {0.4, 1})));
        assertEquals("a.pt: the actor maps to actions in low [-1.0, -1.0] high [1.0, 1.0] but Toy-v0 has low"
                + " [-0.4, -1.0] high [0.4, 1.0]", e.getMessage());
    }
}
