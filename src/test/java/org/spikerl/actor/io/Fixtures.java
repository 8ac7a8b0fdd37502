package org.spikerl.actor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Test fixtures and PyTorch reference outputs written by {@code envs/make_fixtures.py}, and the
 * external CRPI actors read from {@code <project>/../shared/policies/crpi}.
 */
public final class Fixtures {
    /**
     * Java and PyTorch agree to 1e-5 relative to max(1, |reference|): float32 carries 6e-8
     * relative error per operation and the two sum the 256-term dot products in different orders.
     */
    public static final double TOLERANCE = 1e-5;

    private Fixtures() {
    }

    public static Path fixture(String name) {
        return resource("fixtures/" + name);
    }

    public static JsonNode reference(String name) {
        try {
            return new ObjectMapper().readTree(resource("reference/" + name + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String name) {
        try {
            var url = Fixtures.class.getClassLoader().getResource(name);
            if (url == null) {
                throw new IllegalStateException("test resource " + name + " missing; run envs/make_fixtures.py");
            }
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <spikerl.home or working dir>/../shared/policies/crpi/<file>}; fails if absent. */
    public static Path crpiActor(String file) {
        String home = System.getProperty("spikerl.home");
        Path project = home != null ? Paths.get(home) : Paths.get("").toAbsolutePath();
        Path p = project.resolve("../shared/policies/crpi").resolve(file).normalize();
        if (!Files.isRegularFile(p)) {
            fail("external CRPI actor " + p + " not found: the project expects ../shared next to it");
        }
        return p;
    }

    /** {@code <spikerl.home or working dir>/../shared/<relative>} (the external actors); fails if absent. */
    public static Path shared(String relative) {
        String home = System.getProperty("spikerl.home");
        Path project = home != null ? Paths.get(home) : Paths.get("").toAbsolutePath();
        Path p = project.resolve("../shared").resolve(relative).normalize();
        if (!Files.isRegularFile(p)) {
            fail("external file " + p + " not found: the project expects ../shared next to it");
        }
        return p;
    }

    public static double[] doubles(JsonNode array) {
        double[] r = new double[array.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = array.get(i).asDouble();
        }
        return r;
    }

    public static void assertClose(JsonNode expected, float[] actual, String what) {
        assertEquals(expected.size(), actual.length, what + ": size");
        for (int i = 0; i < actual.length; i++) {
            assertClose(expected.get(i).asDouble(), actual[i], what + "[" + i + "]");
        }
    }

    public static void assertClose(JsonNode expected, double[] actual, String what) {
        assertEquals(expected.size(), actual.length, what + ": size");
        for (int i = 0; i < actual.length; i++) {
            assertClose(expected.get(i).asDouble(), actual[i], what + "[" + i + "]");
        }
    }

    public static void assertClose(double expected, double actual, String what) {
        double tol = TOLERANCE * Math.max(1.0, Math.abs(expected));
        assertTrue(Math.abs(expected - actual) <= tol,
                () -> what + ": expected " + expected + " got " + actual + " (tolerance " + tol + ")");
    }

    /** Largest |a - b| / max(1, |a|) seen, for reporting how close two implementations are. */
    public static double relativeError(double expected, double actual) {
        return Math.abs(expected - actual) / Math.max(1.0, Math.abs(expected));
    }
}
