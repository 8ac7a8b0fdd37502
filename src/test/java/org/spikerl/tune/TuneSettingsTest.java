package org.spikerl.tune;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;

class TuneSettingsTest {
    /** Tuning seeds 1000..1049 with the default budget of 50: evaluation must stay outside them. */
    @Test
    void evaluationSeedsMustNotOverlapTheTuningEpisodes() {
        TuneSettings d = TuneSettings.DEFAULTS;
        assertDoesNotThrow(() -> d.checkDisjoint(0, 30, "--seed"));
        assertDoesNotThrow(() -> d.checkDisjoint(970, 30, "--seed"), "seeds 970..999 end just below 1000");
        assertDoesNotThrow(() -> d.checkDisjoint(1050, 10, "--seed"), "1050 is the first seed after the budget");
        SpikerlException e = assertThrows(SpikerlException.class, () -> d.checkDisjoint(990, 11, "--seed"));
        assertEquals("--seed 990 with 11 episodes overlaps the tuning episodes (seeds 1000..1049); evaluate on other "
                + "seeds, or move them with --tune-seed", e.getMessage());
        assertThrows(SpikerlException.class, () -> d.checkDisjoint(1049, 1, "seed"));
        assertDoesNotThrow(() -> d.withSeed(5000).checkDisjoint(1000, 30, "--seed"), "moved tuning seeds");
        assertThrows(SpikerlException.class, () -> d.withBudget(100).checkDisjoint(1060, 5, "--seed"),
                "a larger budget reaches further");
    }
}
