package org.spikerl.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.spikerl.tune.TuneSettings;
import org.spikerl.tune.Tuner;

class ConversionResultTest {

    /**
     * By hand: 10 calibration episodes' rollouts took 1.0 s, so 0.1 s an episode; rollouts and
     * conversion 1.0 + 5.5 = 6.5 s are 65 such episodes, against 49.6 charged of a budget of 50.
     */
    @Test
    void costLineSetsTheChargedCostAgainstTheWallTime() {
        Tuner.Result tuning = new Tuner.Result(null, null, List.of(), 23, 132_800, 10.0, 49.6, TuneSettings.DEFAULTS,
                5.4);
        Conversion.Result r = new Conversion.Result(Path.of("c.ctrl"), 7.8, 1.0, 5.5, 0.1, tuning);
        assertEquals(Optional.of("tuning cost: charged 49.6 of 50 episodes; rollouts and conversion took 6.50 s, the "
                + "wall time of 65 episodes at the rollouts' pace (0.100 s per episode)"), r.costLine());
    }

    /** A fixed conversion (no search) has no charged cost to report. */
    @Test
    void noSearchNoCostLine() {
        assertTrue(new Conversion.Result(Path.of("c.ctrl"), 3.0, 1.0, 0.5, 0.1, null).costLine().isEmpty());
    }
}
