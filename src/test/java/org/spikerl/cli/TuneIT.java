package org.spikerl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.spikerl.cli.CliCapture.cli;
import static org.spikerl.cli.CliCapture.crpi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.convert.Delay;
import org.spikerl.snn.SpikingActor;
import org.spikerl.snn.io.ControllerFile;

/**
 * {@code spikerl convert --tune} through the real bridge on the CRPI Hopper-v4 actor with a small
 * budget: the controller file's provenance holds the tuner's search, its choice is the file's network,
 * its cost is within the budget and it ran on the tuning seeds.
 */
class TuneIT {
    private static final Path HOPPER = crpi("TD3_Hopper-v4_actor");

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void tunedControllerFileRecordsItsSearchAndChoice(@TempDir Path tmp) {
        Path file = tmp.resolve("tuned.ctrl");
        CliCapture.Run r = cli("convert", "--env", "Hopper-v4", "--policy", HOPPER.toString(), "--out", file.toString(),
                "--tune", "--tune-budget", "12", "--timesteps", "4", "--calibration-steps", "2000");
        assertEquals(0, r.status(), r.err());
        List<String> err = r.errLines();
        assertFalse(err.isEmpty(), "the tuner reports progress");
        assertTrue(err.stream().allMatch(l -> l.startsWith("tune: ")), r.err());
        assertTrue(err.get(err.size() - 1).startsWith("tune: chose "), r.err());
        assertTrue(err.stream().anyMatch(l -> l.startsWith("tune: round 1/")), "the budget reaches the closed loop: " + r.err());

        ControllerFile.Loaded loaded = ControllerFile.read(file);
        SpikingActor net = loaded.network();
        Map<String, Object> p = loaded.provenance();
        Map<?, ?> tuning = (Map<?, ?>) p.get("tuning");
        Map<?, ?> chosen = (Map<?, ?>) tuning.get("chosen");
        assertEquals(p.get("conversion"), chosen, "the file's conversion is the tuner's choice");
        assertEquals(net.neuron().spec(), chosen.get("neuron"));
        assertEquals("4", chosen.get("timesteps"));
        assertEquals(4, net.timesteps());
        Delay delay = Delay.parse((String) chosen.get("delay"));
        assertEquals(((Delay.Fixed) delay).t0(), net.delay(), "the tuner's delays are fixed");
        assertEquals(net.delay(), ((Number) p.get("delay_t0")).intValue());
        assertEquals(net.alpha(), (float) Double.parseDouble((String) chosen.get("alpha")));
        assertEquals("bias".equals(chosen.get("calibration")), net.biasesCalibrated());

        assertTrue(number(tuning.get("cost_episodes")) <= 12, tuning.toString());
        assertEquals(12, ((Number) tuning.get("budget_episodes")).intValue());
        assertEquals(1000, ((Number) tuning.get("tuning_seed")).longValue());
        int closedLoop = ((Number) tuning.get("closed_loop_episodes")).intValue();
        assertTrue(closedLoop > 0, tuning.toString());
        // 2000 calibration steps of a task with a 1000-step time limit: 2 of the 12 episodes.
        assertEquals(2.0, number(tuning.get("calibration_cost_episodes")), 1e-12);
        assertEquals(2.0 + closedLoop
                        + number(tuning.get("replayed_control_steps")) / number(tuning.get("replays_per_episode")),
                number(tuning.get("cost_episodes")), 1e-9);

        List<?> candidates = (List<?>) tuning.get("candidates");
        assertTrue(candidates.size() > 100, "the default search space: " + candidates.size());
        long chosenEntries = candidates.stream().map(c -> (Map<?, ?>) c)
                .filter(c -> chosen.entrySet().stream().allMatch(e -> e.getValue().equals(c.get(e.getKey()))))
                .filter(c -> ((Number) c.get("tuning_episodes")).intValue() > 0).count();
        assertEquals(1, chosenEntries, "the chosen candidate ran in closed loop");
        int episodes = candidates.stream().mapToInt(c -> ((Number) ((Map<?, ?>) c).get("tuning_episodes")).intValue()).sum();
        assertEquals(closedLoop, episodes);

        Map<?, ?> run = (Map<?, ?>) p.get("run");
        Map<?, ?> config = (Map<?, ?>) run.get("config");
        assertEquals(Boolean.TRUE, config.get("tuned"));

        String costLine = r.outLines().get(r.outLines().size() - 1);
        assertTrue(costLine.matches("tuning cost: charged " + String.format(java.util.Locale.ROOT, "%.1f",
                number(tuning.get("cost_episodes"))).replace(".", "\\.") + " of 12 episodes; rollouts and "
                + "conversion took \\d+\\.\\d\\d s, the wall time of \\d+ episodes at the rollouts' pace "
                + "\\(\\d+\\.\\d{3} s per episode\\)"), r.out());
    }
}
