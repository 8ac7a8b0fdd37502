package org.spikerl.actor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikerl.actor.io.ActorLoader;
import org.spikerl.actor.io.Fixtures;

class AnnControllerTest {

    /** 2-3-1 network with hand-picked weights; y = 1*relu(x0+x1) + 2*relu(x0-x1) - relu(-x0) + 0.5. */
    private static Actor tiny() {
        DenseLayer l1 = new DenseLayer(2, 3, new float[] {1, 1, 1, -1, -1, 0}, new float[] {0, 0, 0});
        DenseLayer l2 = new DenseLayer(3, 1, new float[] {1, 2, -1}, new float[] {0.5f});
        return new Actor(List.of(l1, l2), null, new ActionHead.Clip(new double[] {-10}, new double[] {10}), "test");
    }

    @Test
    void actsAndCountsMacsPerControlStep() {
        AnnController c = new AnnController(tiny());
        double[] a = new double[1];
        c.act(new double[] {2, 1}, a);
        // relu(3)=3, relu(1)=1, relu(-2)=0: y = 3 + 2 - 0 + 0.5
        assertEquals(5.5, a[0], 1e-6);
        c.act(new double[] {-1, 0}, a);
        // relu(-1)=0, relu(-1)=0, relu(1)=1: y = -1 + 0.5
        assertEquals(-0.5, a[0], 1e-6);
        assertEquals(2, c.counts().controlSteps());
        assertEquals(2 * (2 * 3 + 3 * 1), c.counts().macs());
        assertEquals(9.0, c.counts().macsPerStep());
        assertEquals(0, c.counts().sops());
        assertEquals("ann", c.kind());
        assertEquals(2, c.observationSize());
        assertEquals(1, c.actionSize());
    }

    @Test
    void crpiActorCountsItsMacs() {
        Actor hopper = ActorLoader.load(Fixtures.crpiActor("TD3_Hopper-v4_actor"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1, -1}, new double[] {1, 1, 1}));
        AnnController c = new AnnController(hopper);
        c.act(new double[11], new double[3]);
        assertEquals(11 * 256 + 256 * 256 + 256 * 3, c.counts().macs());
    }

    @Test
    void copySharesWeightsButNotBuffersOrCounts() {
        AnnController a = new AnnController(tiny());
        AnnController b = a.copy();
        assertNotSame(a.forward(), b.forward());
        double[] outA = new double[1];
        double[] outB = new double[1];
        a.act(new double[] {2, 1}, outA);
        b.act(new double[] {-1, 0}, outB);
        assertEquals(5.5, outA[0], 1e-6, "b's call must not disturb a's result");
        assertEquals(-0.5, outB[0], 1e-6);
        a.act(new double[] {-1, 0}, outA);
        assertArrayEquals(outB, outA);
        assertEquals(2, a.counts().controlSteps());
        assertEquals(1, b.counts().controlSteps());
        assertSame(a.forward().actor(), b.forward().actor());
    }

    @Test
    void actAllocatesNothing() {
        Actor hopper = ActorLoader.load(Fixtures.crpiActor("TD3_Hopper-v4_actor"), ActorLoader.Options.defaults()
                .withActionBounds(new double[] {-1, -1, -1}, new double[] {1, 1, 1}));
        AnnController c = new AnnController(hopper);
        double[] obs = new double[11];
        double[] action = new double[3];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < obs.length; i++) {
            obs[i] = rnd.nextGaussian();
        }
        int[] k = {0};
        org.spikerl.testing.Allocation.assertNoAllocationPerCall(() -> {
            obs[k[0]++ % obs.length] += 1e-3;
            c.act(obs, action);
        }, "AnnController.act");
    }
}
