package org.spikerl.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Finds the venv interpreter and the bridge script. The interpreter is, in order: system property
 * {@code spikerl.python}, environment variable {@code SPIKERL_PYTHON}, or
 * {@code <home>/envs/.venv/bin/python}; home is system property {@code spikerl.home}, else the
 * working directory. The script is always {@code <home>/envs/spikerl_bridge.py}.
 */
public final class PythonLocator {
    static final String PYTHON_PROPERTY = "spikerl.python";
    static final String PYTHON_ENV = "SPIKERL_PYTHON";
    static final String HOME_PROPERTY = "spikerl.home";
    static final String FIX = "run `bash envs/bootstrap.sh` in the spikerl directory to create the Python venv";

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    /** @param properties system property lookup; @param environment environment variable lookup */
    PythonLocator(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    static PythonLocator fromSystem() {
        return new PythonLocator(System::getProperty, System::getenv);
    }

    Path home() {
        String home = blankToNull(properties.apply(HOME_PROPERTY));
        return Path.of(home != null ? home : properties.apply("user.dir")).toAbsolutePath();
    }

    Path python() {
        String fromProperty = blankToNull(properties.apply(PYTHON_PROPERTY));
        String fromEnv = blankToNull(environment.apply(PYTHON_ENV));
        Path python;
        String source;
        if (fromProperty != null) {
            python = Path.of(fromProperty);
            source = "system property " + PYTHON_PROPERTY;
        } else if (fromEnv != null) {
            python = Path.of(fromEnv);
            source = "environment variable " + PYTHON_ENV;
        } else {
            python = home().resolve("envs/.venv/bin/python");
            source = "default venv under " + (blankToNull(properties.apply(HOME_PROPERTY)) != null
                    ? "system property " + HOME_PROPERTY : "the working directory");
        }
        if (!Files.isRegularFile(python) || !Files.isExecutable(python)) {
            throw new BridgeException("Python interpreter " + python + " (from " + source
                    + ") does not exist or is not executable; " + FIX);
        }
        return python;
    }

    Path script() {
        Path script = home().resolve("envs/spikerl_bridge.py");
        if (!Files.isRegularFile(script)) {
            throw new BridgeException("bridge script " + script + " not found; set system property "
                    + HOME_PROPERTY + " to the spikerl project directory");
        }
        return script;
    }

    /** The venv interpreter the bridge would use (system property, environment, or the default venv). */
    public static Path interpreter() {
        return fromSystem().python();
    }

    /** A file of the project's {@code envs/} folder, e.g. a helper script next to the bridge. */
    public static Path envsFile(String name) {
        return fromSystem().home().resolve("envs").resolve(name);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
