package org.spikerl.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SyntheticActors;
import org.spikerl.energy.EnergyPreset;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.io.ControllerFile;

/** The embedding example of docs/embedding.md: it compiles, it runs, and the document shows this very code. */
class EmbeddingExampleTest {
    private static final String BEGIN = "// embedding example: begin";
    private static final String END = "// embedding example: end";

    @TempDir
    Path dir;

    /** The application's side of the example: sensors, actuators and the tick, at a fixed rate. */
    interface Robot {
        /** Waits for the next control tick and reads the sensors into {@code obs}; false when the run is over. */
        boolean next(double[] obs);

        void actuate(double[] action);

        double rateHz();
    }

    // embedding example: begin
    static double control(Path file, Robot robot) {
        SpikingPolicy policy = SpikingPolicy.load(file);       // refuses a damaged file
        double[] obs = new double[policy.observationSize()];
        double[] action = new double[policy.actionSize()];
        policy.reset();                                        // at the start of every episode
        while (robot.next(obs)) {                              // waits for the tick, reads the sensors
            policy.act(obs, action);                           // no allocation, no lock
            robot.actuate(action);
        }
        return policy.energyPerStepPj(EnergyPreset.HOROWITZ45) * robot.rateHz();  // pJ per second of control
    }
    // embedding example: end

    @Test
    void exampleDrivesTheRobotWithTheControllersActions() {
        Path file = dir.resolve("hopper-t8.ctrl");
        ControllerFile.write(SpikingPolicyTest.hopper(), Map.of(), file);
        double[][] sensors = SyntheticActors.observations(10, 40, 11);
        List<double[]> actuated = new ArrayList<>();
        Robot robot = new Robot() {
            int tick;

            @Override
            public boolean next(double[] obs) {
                if (tick == sensors.length) {
                    return false;
                }
                System.arraycopy(sensors[tick++], 0, obs, 0, obs.length);
                return true;
            }

            @Override
            public void actuate(double[] action) {
                actuated.add(action.clone());
            }

            @Override
            public double rateHz() {
                return 500;
            }
        };
        double pjPerSecond = control(file, robot);

        SnnController reference = new SnnController(ControllerFile.read(file).network());
        double[] expected = new double[3];
        assertEquals(sensors.length, actuated.size());
        for (int k = 0; k < sensors.length; k++) {
            reference.act(sensors[k], expected);
            assertArrayEquals(expected, actuated.get(k), "action at tick " + k);
        }
        double perStep = EnergyPreset.HOROWITZ45.picojoules(reference.counts().macsPerStep(),
                reference.counts().sopsPerStep());
        assertEquals(perStep * 500, pjPerSecond, 1e-9 * pjPerSecond);
    }

    /** The first java block of docs/embedding.md and README.md is the code between the markers above. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"docs/embedding.md", "README.md"})
    void documentationShowsThisCode(String page) throws IOException {
        Path home = Paths.get(System.getProperty("spikerl.home", "")).toAbsolutePath();
        List<String> doc = javaBlock(Files.readAllLines(home.resolve(page)));
        List<String> source = Files.readAllLines(home.resolve("src/test/java/org/spikerl/embed/EmbeddingExampleTest.java"));
        int begin = source.indexOf("    " + BEGIN);
        int end = source.indexOf("    " + END);
        assertTrue(begin >= 0 && end > begin, "markers found");
        List<String> code = source.subList(begin + 1, end).stream()
                .map(l -> l.startsWith("    ") ? l.substring(4) : l).toList();
        assertEquals(code, doc);
        assertTrue(code.size() <= 11, "a ten-line example (plus its signature), got " + code.size() + " lines");
    }

    /** The lines of the first fenced java block. */
    private static List<String> javaBlock(List<String> lines) {
        int start = lines.indexOf("```java");
        assertTrue(start >= 0, "the page has a java block");
        int stop = lines.subList(start + 1, lines.size()).indexOf("```");
        return lines.subList(start + 1, start + 1 + stop);
    }
}
