package org.spikerl.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikerl.SyntheticActors;
import org.spikerl.snn.io.ControllerFile;

/**
 * The controller runs in a JVM whose class path holds spikerl's own classes and Jackson only: no
 * Py4J, DJL, PyTorch, Pyrolite, picocli or test library. A child JVM loads a Hopper controller
 * file and prints its actions, which must equal this JVM's exactly; its class-loading log must
 * show no class of the bridge, the CLI, the actor importers or conversion.
 */
class CoreOnlyClasspathTest {
    private static final List<String> FORBIDDEN = List.of("org.spikerl.bridge.", "org.spikerl.cli.",
            "org.spikerl.run.", "org.spikerl.results.", "org.spikerl.actor.io.", "org.spikerl.convert.", "py4j.",
            "ai.djl.", "picocli.", "net.razorvine.", "org.junit.");

    @TempDir
    Path dir;

    @Test
    void controllerRunsOnACoreOnlyClassPath() throws Exception {
        Path file = dir.resolve("hopper.ctrl");
        ControllerFile.write(SpikingPolicyTest.hopper(), Map.of(), file);
        double[][] obs = SyntheticActors.observations(8, 6, 11);
        List<String> expected = new ArrayList<>();
        SpikingPolicy here = SpikingPolicy.load(file);
        double[] action = new double[3];
        for (double[] o : obs) {
            here.act(o, action);
            StringBuilder line = new StringBuilder("action");
            for (double a : action) {
                line.append(' ').append(a);
            }
            expected.add(line.toString());
        }
        expected.add("sops " + here.counts().sops());

        Path classes = location(SpikingPolicy.class);
        assertTrue(Files.isDirectory(classes.resolve("org/spikerl/embed")), "spikerl classes at " + classes);
        Set<Path> jackson = new TreeSet<>(List.of(location(ObjectMapper.class), location(JsonParser.class),
                location(JsonProperty.class)));
        for (Path jar : jackson) {
            assertTrue(jar.getFileName().toString().startsWith("jackson-"), "expected a Jackson jar: " + jar);
        }
        // The child's main alone, copied out of test-classes so that nothing else of the tests is visible.
        Path mainDir = dir.resolve("main");
        Path mainClass = Path.of("org", "spikerl", "embed", "CoreOnlyMain.class");
        Files.createDirectories(mainDir.resolve(mainClass).getParent());
        Files.copy(location(CoreOnlyMain.class).resolve(mainClass), mainDir.resolve(mainClass));

        List<String> classPath = new ArrayList<>();
        classPath.add(classes.toString());
        jackson.forEach(j -> classPath.add(j.toString()));
        classPath.add(mainDir.toString());
        Path log = dir.resolve("classes.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", String.join(File.pathSeparator, classPath),
                CoreOnlyMain.class.getName(), file.toString()));
        for (double[] o : obs) {
            cmd.add(java.util.Arrays.stream(o).mapToObj(Double::toString).collect(Collectors.joining(",")));
        }
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        child.getOutputStream().close();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), "child JVM failed:\n" + out);

        List<String> lines = out.lines().toList();
        assertEquals(List.of("py4j.GatewayServer absent", "ai.djl.Model absent", "picocli.CommandLine absent",
                "net.razorvine.pickle.Unpickler absent", "org.junit.jupiter.api.Test absent"), lines.subList(0, 5));
        assertEquals(expected, lines.subList(5, lines.size()), "actions in the child JVM");

        Set<String> loaded = new TreeSet<>();
        Matcher m = Pattern.compile("\\]\\s(\\S+)\\ssource:").matcher(Files.readString(log));
        while (m.find()) {
            loaded.add(m.group(1));
        }
        assertTrue(loaded.contains("org.spikerl.snn.IfLayer") && loaded.contains("org.spikerl.snn.io.ControllerCodec"),
                "the class-loading log lists the controller's classes");
        List<String> bad = loaded.stream().filter(c -> FORBIDDEN.stream().anyMatch(c::startsWith)).toList();
        assertEquals(List.of(), bad, "classes loaded that the controller must not need");
    }

    private static Path location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
