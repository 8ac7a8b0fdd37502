package org.spikerl.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable examples in examples/ compile against the current API (they are launched as source files, so Maven never builds them). */
class ExamplesCompileTest {
    @TempDir
    Path out;

    @Test
    void examplesCompile() throws IOException {
        Path home = Paths.get(System.getProperty("spikerl.home", "")).toAbsolutePath();
        List<Path> sources;
        try (Stream<Path> s = Files.list(home.resolve("examples"))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "examples/*.java");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-d", out.toString(), "-cp", System.getProperty("java.class.path"), "-proc:none",
                            "-Xlint:all", "-Werror"),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertEquals(List.of(), diagnostics.getDiagnostics().stream().map(d -> d.toString()).toList());
            assertEquals(true, ok);
        }
    }
}
