package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonLocatorTest {
    @TempDir
    Path dir;

    private final Map<String, String> props = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private PythonLocator locator() {
        return new PythonLocator(props::get, env::get);
    }

    @BeforeEach
    void workingDirectory() {
        props.put("user.dir", dir.resolve("cwd").toString());
    }

    private Path executable(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void systemPropertyWinsOverEnvironmentAndDefault() throws IOException {
        Path fromProperty = executable("a/python");
        props.put("spikerl.python", fromProperty.toString());
        env.put("SPIKERL_PYTHON", executable("b/python").toString());
        executable("cwd/envs/.venv/bin/python");
        assertEquals(fromProperty, locator().python());
    }

    @Test
    void environmentVariableWinsOverDefault() throws IOException {
        Path fromEnv = executable("b/python");
        env.put("SPIKERL_PYTHON", fromEnv.toString());
        executable("cwd/envs/.venv/bin/python");
        assertEquals(fromEnv, locator().python());
    }

    @Test
    void defaultIsTheVenvUnderHomeElseTheWorkingDirectory() throws IOException {
        Path inCwd = executable("cwd/envs/.venv/bin/python");
        assertEquals(inCwd, locator().python());
        props.put("spikerl.home", dir.resolve("home").toString());
        Path inHome = executable("home/envs/.venv/bin/python");
        assertEquals(inHome, locator().python());
    }

    @Test
    void missingDefaultVenvSaysToRunBootstrap() {
        BridgeException e = assertThrows(BridgeException.class, () -> locator().python());
        assertTrue(e.getMessage().contains(dir.resolve("cwd/envs/.venv/bin/python").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bash envs/bootstrap.sh"), e.getMessage());
        assertTrue(e.getMessage().contains("working directory"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void missingInterpreterNamesWhereThePathCameFrom() {
        props.put("spikerl.python", dir.resolve("nope/python").toString());
        BridgeException e = assertThrows(BridgeException.class, () -> locator().python());
        assertTrue(e.getMessage().contains("system property spikerl.python"), e.getMessage());
        props.remove("spikerl.python");
        env.put("SPIKERL_PYTHON", dir.resolve("nope/python").toString());
        e = assertThrows(BridgeException.class, () -> locator().python());
        assertTrue(e.getMessage().contains("environment variable SPIKERL_PYTHON"), e.getMessage());
    }

    @Test
    void nonExecutableInterpreterIsRefused() throws IOException {
        Path p = executable("c/python");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        props.put("spikerl.python", p.toString());
        BridgeException e = assertThrows(BridgeException.class, () -> locator().python());
        assertTrue(e.getMessage().contains("not executable"), e.getMessage());
    }

    @Test
    void blankSettingsAreIgnored() throws IOException {
        props.put("spikerl.python", " ");
        env.put("SPIKERL_PYTHON", "");
        Path inCwd = executable("cwd/envs/.venv/bin/python");
        assertEquals(inCwd, locator().python());
    }

    @Test
    void missingScriptSaysToSetHome() {
        props.put("spikerl.home", dir.toString());
        BridgeException e = assertThrows(BridgeException.class, () -> locator().script());
        assertTrue(e.getMessage().contains("envs/spikerl_bridge.py"), e.getMessage());
        assertTrue(e.getMessage().contains("spikerl.home"), e.getMessage());
    }
}
