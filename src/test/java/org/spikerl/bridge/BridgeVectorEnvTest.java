package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.env.StepBatch;

class BridgeVectorEnvTest {
    // obs 300: a step reply is 300*8 + 10 = 2410 bytes a slot, so 2 slots fit in a message, 3 do not.
    private static final int OBS = 300;
    private static final int ACT = 2;

    private final FakeEnvService fake = new FakeEnvService(OBS, ACT);
    private final BridgeVectorEnv env = new BridgeVectorEnv(FakeEnvService.link(fake), "Fake-v0", 5, "{}", null);

    private static String calls(List<int[]> calls) {
        return calls.stream().map(Arrays::toString).collect(Collectors.joining(" "));
    }

    @Test
    void specComesFromTheMakeReply() {
        assertEquals("Fake-v0", env.spec().id());
        assertEquals(OBS, env.spec().observationSpace().size());
        assertEquals(Double.NEGATIVE_INFINITY, env.spec().observationSpace().low()[0]);
        assertEquals(1.0, env.spec().actionSpace().high()[ACT - 1]);
        assertEquals(5, env.spec().maxEpisodeSteps());
        assertEquals(3, env.messagesPerBatch());
    }

    @Test
    void resetSplitsIntoMessagesAndPlacesEachSlotsObservation() {
        boolean[] all = {true, true, true, true, true};
        double[] obs = new double[5 * OBS];
        env.reset(all, new long[] {10, 11, 12, 13, 14}, obs);
        assertEquals("[0, 2] [2, 2] [4, 1]", calls(fake.resetCalls));
        assertEquals(10_000.0, obs[0]);
        assertEquals(10_000.0 + 1, obs[1]);
        assertEquals(13_000.0 + 30 + 299, obs[3 * OBS + 299]);
        assertEquals(14_000.0 + 40 + 7, obs[4 * OBS + 7]);
    }

    @Test
    void unmaskedSlotsAreNotSentNorOverwritten() {
        double[] obs = new double[5 * OBS];
        Arrays.fill(obs, -1);
        env.reset(new boolean[] {false, false, false, false, true}, new long[] {0, 0, 0, 0, 2}, obs);
        assertEquals("[4, 1]", calls(fake.resetCalls));
        assertEquals(-1, obs[0]);
        assertEquals(-1, obs[4 * OBS - 1]);
        assertEquals(2_000.0 + 40, obs[4 * OBS]);

        StepBatch out = new StepBatch(5, OBS);
        Arrays.fill(out.observations, -1);
        Arrays.fill(out.rewards, -1);
        double[] actions = {0.25, 0.5, 0, 0, -0.5, 0.125, 0, 0, 1, 1};
        env.step(new boolean[] {true, false, true, false, false}, actions, out);
        assertEquals("[0, 2] [2, 2]", calls(fake.stepCalls));
        assertEquals(0.75, out.observations[0]);
        assertEquals(20 - 0.375 + 3, out.observations[2 * OBS + 3]);
        assertEquals(-1, out.observations[OBS]);
        assertEquals(-1, out.observations[4 * OBS]);
        assertArrayEquals(new double[] {0.5, -1, 2.5, -1, -1}, out.rewards);
        assertArrayEquals(new boolean[] {false, false, true, false, false}, out.terminated);
        assertArrayEquals(new boolean[] {false, false, false, false, false}, out.truncated);
    }

    @Test
    void stepCarriesEachSlotsActionAndFlags() {
        StepBatch out = new StepBatch(5, OBS);
        double[] actions = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, -0.9, 1.0};
        env.step(new boolean[] {true, true, true, true, true}, actions, out);
        assertEquals("[0, 2] [2, 2] [4, 1]", calls(fake.stepCalls));
        for (int k = 0; k < 5; k++) {
            double sum = actions[2 * k] + actions[2 * k + 1];
            assertEquals(k * 10 + sum + 5, out.observations[k * OBS + 5], 0.0, "slot " + k);
            assertEquals(k + 0.5, out.rewards[k]);
            assertEquals(k % 2 == 1, out.truncated[k], "slot " + k);
        }
        assertArrayEquals(new boolean[] {false, false, false, false, true}, out.terminated);
    }

    @Test
    void nonFiniteActionIsRefusedBeforeAnyCall() {
        double[] actions = new double[5 * ACT];
        actions[3 * ACT + 1] = Double.NaN;
        StepBatch out = new StepBatch(5, OBS);
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> env.step(new boolean[] {false, false, true, true, false}, actions, out));
        assertEquals("step of Fake-v0: action of slot 3 has NaN at index 1", e.getMessage());
    }

    @Test
    void wrongBufferSizesAreNamed() {
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> env.reset(new boolean[5], new long[5], new double[OBS]));
        assertEquals("reset of Fake-v0 (5 slots): observation buffer has length 300, expected 1500", e.getMessage());
        e = assertThrows(SpikerlException.class,
                () -> env.step(new boolean[5], new double[3], new StepBatch(5, OBS)));
        assertEquals("step of Fake-v0 (5 slots): actions has length 3, expected 10", e.getMessage());
        assertTrue(fake.resetCalls.isEmpty() && fake.stepCalls.isEmpty());
    }

    @Test
    void shortReplyIsABridgeError() {
        PyEnvService truncating = new FakeEnvService(OBS, ACT) {
            @Override
            public byte[] resetBatch(int handle, int start, int count, byte[] mask, byte[] seeds) {
                return new byte[8];
            }
        };
        BridgeVectorEnv broken = new BridgeVectorEnv(FakeEnvService.link(truncating), "Fake-v0", 1, "{}", null);
        BridgeException e = assertThrows(BridgeException.class,
                () -> broken.reset(new boolean[] {true}, new long[1], new double[OBS]));
        assertEquals("reset of Fake-v0: the Python bridge replied with 8 bytes, expected 2400", e.getMessage());
    }

    @Test
    void closeReleasesThePythonSideOnceAndRefusesLaterUse() {
        env.close();
        env.close();
        assertEquals(List.of(7), fake.closed);
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> env.reset(new boolean[5], new long[5], new double[5 * OBS]));
        assertEquals("reset of Fake-v0: the environment is closed", e.getMessage());
        assertFalse(e instanceof BridgeException);
    }

    @Test
    void sizeMustBePositive() {
        SpikerlException e = assertThrows(SpikerlException.class,
                () -> new BridgeVectorEnv(FakeEnvService.link(fake), "Fake-v0", 0, "{}", null));
        assertEquals("vector env Fake-v0: size must be >= 1, got 0", e.getMessage());
    }
}
