package org.spikerl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code spikerl bench latency --quick --json} end to end, run as the user runs it
 * ({@code java -jar target/spikerl.jar}), so the JMH forks must find their classes through the
 * jar's manifest class path: real bridge, Hopper-v4, the external CRPI TD3 actor read from
 * ../shared. The schedule is a smoke test; only the output's shape and sign are checked.
 */
class LatencyBenchIT {

    @Test
    void quickRunEndsWithTheDocumentedJsonLine() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("spikerl.home"));
        Path policy = home.resolve("../shared/policies/crpi/TD3_Hopper-v4_actor").normalize();
        assumeTrue(Files.isRegularFile(policy), "external actor not available: " + policy);
        Path jar = home.resolve("target/spikerl.jar");
        assertTrue(Files.isRegularFile(jar), "run after mvn package: " + jar);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dspikerl.home=" + home,
                "-Dspikerl.python=" + System.getProperty("spikerl.python"), "-jar", jar.toString(),
                "bench", "latency", "--env", "Hopper-v4", "--policy", policy.toString(), "--quick", "--json")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "bench latency --quick did not finish");
        assertEquals(0, p.exitValue(), stdout);

        List<String> lines = stdout.lines().toList();
        assertTrue(lines.get(0).startsWith("Hopper-v4, TD3_Hopper-v4_actor (11-256-256-3): 300 closed-loop ANN"
                + " observations"), lines.get(0));
        JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(List.of("ann_us", "djl_us", "snn_us"), names(last));
        assertEquals(List.of("4", "8", "16", "32"), names(last.get("snn_us")));
        assertPositive(last.get("ann_us"), "ann_us");
        assertPositive(last.get("djl_us"), "djl_us");
        for (String t : names(last.get("snn_us"))) {
            assertPositive(last.get("snn_us").get(t), "snn_us." + t);
        }

        JsonNode details = new ObjectMapper().readTree(lines.get(lines.size() - 2));
        assertTrue(details.get("snn_t8_samples").asLong() > 0, details.toString());
        assertPositive(details.get("snn_t8_p50_us"), "p50");
        assertTrue(details.get("snn_alloc_bytes_per_op").get("8").isNumber(), "gc profiler ran: " + details);
    }

    private static void assertPositive(JsonNode v, String what) {
        assertTrue(v.isNumber() && Double.isFinite(v.asDouble()) && v.asDouble() > 0, what + " = " + v);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
