package org.spikerl.results.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files in src/test/resources/golden: an output must match its file byte for byte. After a
 * deliberate format change, regenerate them with
 * {@code mvn -o test -Dtest='*GoldenTest' -Dspikerl.golden.update=true} and review the diff.
 */
final class Golden {
    static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {
    }

    static void assertMatches(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("spikerl.golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual,
                name + " differs from its golden file (see Golden's Javadoc to regenerate after a deliberate change)");
    }
}
