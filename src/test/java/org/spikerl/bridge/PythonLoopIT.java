package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * envs/python_loop.py reproduces SPEC section 9's ANN returns of the external TD3 actors within
 * 1% (10 episodes, seeds 0..9). The actors are read from ../shared (never copied into the repo);
 * without them the test is skipped.
 */
class PythonLoopIT {

    @ParameterizedTest
    @CsvSource({"Hopper-v4, 3600.0", "Walker2d-v4, 4586.9"})
    void referenceReturns(String env, double specMean) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("spikerl.home"));
        Path policy = home.resolve("../shared/policies/crpi/TD3_" + env + "_actor").normalize();
        assumeTrue(Files.isRegularFile(policy), "external actor not available: " + policy);

        Process p = new ProcessBuilder(System.getProperty("spikerl.python"), home.resolve("envs/python_loop.py").toString(),
                "--env", env, "--policy", policy.toString(), "--episodes", "10", "--seed", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), stdout);

        JsonNode result = new ObjectMapper().readTree(stdout);
        assertEquals(env, result.get("env").asText());
        assertEquals(10, result.get("returns").size());
        assertEquals(10, result.get("lengths").size());
        double mean = result.get("mean_return").asDouble();
        assertEquals(specMean, mean, 0.01 * specMean, "mean return");
        double sum = 0;
        for (JsonNode r : result.get("returns")) {
            sum += r.asDouble();
        }
        assertEquals(sum / 10, mean, 1e-9, "mean_return is the mean of returns");
        assertTrue(result.get("steps_per_s").asDouble() > 0);
    }
}
