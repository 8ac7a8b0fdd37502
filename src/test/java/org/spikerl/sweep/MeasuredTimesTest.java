package org.spikerl.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasuredTimesTest {
    @TempDir
    Path tmp;

    /** A quoted comma stays inside its field, so the measured column is the one emptied. */
    @Test
    void csvMeasuredColumnsAreEmptiedWithQuotedCommasKept() throws IOException {
        Path f = Files.writeString(tmp.resolve("sweep.csv"), "threshold,mean_return,act_us_per_step,wall_s\n"
                + "\"ltb-channel:c=1,batch=64\",3600.5,12.3,4.5\nmax:neuron,3599.1,9.9,3.2\n");
        assertEquals("threshold,mean_return,,\n\"ltb-channel:c=1,batch=64\",3600.5,,\nmax:neuron,3599.1,,",
                MeasuredTimes.without(f));
    }

    @Test
    void jsonLinesWithMeasuredKeysAreDropped() throws IOException {
        Path f = Files.writeString(tmp.resolve("sweep.json"), "{\n  \"mean_return\" : 1.5,\n  \"wall_s\" : 3.0,\n"
                + "  \"seconds\" : 2,\n  \"steps_per_s\" : 9\n}\n");
        assertEquals("{\n  \"mean_return\" : 1.5,\n}", MeasuredTimes.without(f));
    }
}
