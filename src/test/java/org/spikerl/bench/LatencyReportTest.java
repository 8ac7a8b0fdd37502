package org.spikerl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikerl.SpikerlException;
import org.spikerl.bench.LatencyReport.Measurement;

class LatencyReportTest {

    private static Measurement avg(String method, String t, double score, double error, double alloc) {
        return new Measurement(method, t, score, error, alloc, score - 0.01, Double.NaN, Double.NaN, Double.NaN, 0);
    }

    /** A complete fake result set, in JMH's order. */
    private static List<Measurement> complete() {
        List<Measurement> ms = new ArrayList<>();
        ms.add(avg("annAct", null, 5.1234, 0.2, 0.001));
        ms.add(avg("djlAct", null, 31.4564, 1.5, 4582.3));
        ms.add(avg("snnAct", "16", 12.3449, 0.4, 0.002));
        ms.add(avg("snnAct", "32", 24.68, 0.9, 0.004));
        ms.add(avg("snnAct", "4", 3.2104, 0.1, 0.001));
        ms.add(avg("snnAct", "8", 6.5426, 0.2, 0.0015));
        ms.add(new Measurement("snnActSampled", null, 6.9, Double.NaN, 0.003, 6.8, 6.2, 11.8, 40.1, 123456));
        return ms;
    }

    @Test
    void jsonLineHasTheDocumentedShapeWithTimestepsInNumericOrder() throws Exception {
        LatencyReport r = LatencyReport.from(complete());
        String line = r.jsonLine();
        assertEquals("{\"ann_us\": 5.123, \"djl_us\": 31.456, \"snn_us\": "
                + "{\"4\": 3.210, \"8\": 6.543, \"16\": 12.345, \"32\": 24.680}}", line);

        JsonNode j = new ObjectMapper().readTree(line);
        assertEquals(List.of("ann_us", "djl_us", "snn_us"), names(j));
        assertEquals(List.of("4", "8", "16", "32"), names(j.get("snn_us")));
        assertEquals(6.543, j.get("snn_us").get("8").asDouble(), 0);
    }

    @Test
    void numbersUseADecimalPointWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String line = LatencyReport.from(complete()).jsonLine();
            assertTrue(line.contains("\"ann_us\": 5.123,"), line);
            assertFalse(line.contains("5,123"), line);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void resultOrderDoesNotMatter() {
        List<Measurement> shuffled = complete();
        Collections.reverse(shuffled);
        assertEquals(LatencyReport.from(complete()).jsonLine(), LatencyReport.from(shuffled).jsonLine());
    }

    @Test
    void missingConfigurationsAreNamed() {
        List<Measurement> ms = complete();
        ms.removeIf(m -> "16".equals(m.timesteps()) || m.method().equals("djlAct"));
        SpikerlException e = assertThrows(SpikerlException.class, () -> LatencyReport.from(ms));
        assertEquals("JMH results: missing djlAct, snnAct T=16", e.getMessage());
    }

    @Test
    void duplicatesAndStrangersAreRejected() {
        List<Measurement> twice = complete();
        twice.add(avg("snnAct", "8", 1, 0, 0));
        assertEquals("JMH results: snnAct at T=8 appears twice",
                assertThrows(SpikerlException.class, () -> LatencyReport.from(twice)).getMessage());

        List<Measurement> extraT = complete();
        extraT.add(avg("snnAct", "64", 1, 0, 0));
        assertTrue(assertThrows(SpikerlException.class, () -> LatencyReport.from(extraT)).getMessage()
                .contains("T=[4, 8, 16, 32, 64]"));

        List<Measurement> stranger = complete();
        stranger.add(avg("fooAct", null, 1, 0, 0));
        assertEquals("JMH results: unexpected benchmark fooAct",
                assertThrows(SpikerlException.class, () -> LatencyReport.from(stranger)).getMessage());
    }

    @Test
    void detailsLineIsJsonWithNullForWhatJmhCouldNotGive() throws Exception {
        List<Measurement> ms = complete();
        ms.set(0, avg("annAct", null, 5.1234, Double.NaN, 0.001));
        JsonNode j = new ObjectMapper().readTree(LatencyReport.from(ms).detailsJsonLine());
        assertTrue(j.get("ann_error_us").isNull());
        assertEquals(1.5, j.get("djl_error_us").asDouble(), 0);
        assertEquals(4582.3, j.get("djl_alloc_bytes_per_op").asDouble(), 0);
        assertEquals(List.of("4", "8", "16", "32"), names(j.get("snn_alloc_bytes_per_op")));
        assertEquals(0.002, j.get("snn_alloc_bytes_per_op").get("16").asDouble(), 0);
        assertEquals(6.2, j.get("snn_t8_p50_us").asDouble(), 0);
        assertEquals(12.335, j.get("snn_median_us").get("16").asDouble(), 0);
        assertEquals(11.8, j.get("snn_t8_p99_us").asDouble(), 0);
        assertEquals(123456, j.get("snn_t8_samples").asLong());
    }

    @Test
    void tableShowsEveryRowThePercentilesAndTheTarget() {
        LatencyReport r = LatencyReport.from(complete());
        Map<Integer, LatencyReport.SnnProfile> profiles = Map.of(8,
                new LatencyReport.SnnProfile(8, 4, new double[] {0.0741, 0.0236}, 38785.4));
        StringWriter s = new StringWriter();
        r.printTable(new PrintWriter(s), profiles, 15.0, 1000);
        String[] lines = s.toString().split("\n");
        assertEquals(2 + 2 + 4 + 2, lines.length, s.toString());
        assertTrue(lines[2].startsWith("ann act (java)"), lines[2]);
        assertTrue(lines[2].contains("5.123") && lines[2].contains("0.200") && lines[2].contains("0.001"), lines[2]);
        // B/iter = B/op * calls in a 1000 ms iteration: 0.0015 * 1e6 / 6.5426 = 229 B
        assertTrue(lines[5].matches("snn act T=8 +6\\.543 +0\\.200 +6\\.533 +0\\.002 +229 B +4 0\\.074/0\\.024 +38785"),
                lines[5]);
        // 0.001 * 1e6 / 3.2104 = 311.5 B
        assertTrue(lines[4].matches("snn act T=4 +3\\.210 +0\\.100 +3\\.200 +0\\.001 +311 B *"), lines[4]);
        // 4582.3 * 1e6 / 31.4564 = 145.7e6 B = 138.9 MB
        assertTrue(lines[3].matches("djl forward \\+ head +31\\.456 +1\\.500 +31\\.446 +4582\\.300 +139 MB *"), lines[3]);
        assertEquals("snn act T=8 per call (sampled, 123456 calls): p50 6.200 us, p99 11.800 us, p99.9 40.100 us,"
                + " mean 6.900 us", lines[8]);
        assertEquals("target: snn act T=8 <= 15.000 us per action: met (mean 6.543 us)", lines[9]);

        StringWriter slow = new StringWriter();
        r.printTable(new PrintWriter(slow), profiles, 6.0, 1000);
        assertTrue(slow.toString().contains("per action: NOT met (mean 6.543 us)"), slow.toString());
    }

    @Test
    void medianOfIterations() {
        assertEquals(3.0, LatencyReport.median(List.of(9.0, 1.0, 3.0)), 0);
        assertEquals(2.5, LatencyReport.median(List.of(4.0, 1.0, 3.0, 2.0)), 0);
        assertTrue(Double.isNaN(LatencyReport.median(List.of())));
    }

    @Test
    void bytesUseBinaryUnits() {
        assertEquals("0 B", LatencyReport.bytes(0));
        assertEquals("1023 B", LatencyReport.bytes(1023));
        assertEquals("5.9 KB", LatencyReport.bytes(5.9 * 1024));
        assertEquals("12 KB", LatencyReport.bytes(12.2 * 1024));
        assertEquals("n/a", LatencyReport.bytes(Double.NaN));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
