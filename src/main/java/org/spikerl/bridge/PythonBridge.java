package org.spikerl.bridge;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spikerl.env.EnvBackend;
import py4j.CallbackClient;
import py4j.GatewayServer;

/**
 * One Python process hosting Gymnasium environments, reached over Py4J.
 *
 * <p>Start-up: a {@link GatewayServer} on 127.0.0.1 at an ephemeral port with a fresh 256-bit
 * {@link SecureRandom} token; the child {@code python -I envs/spikerl_bridge.py} gets port and
 * token on its stdin (never argv or the environment, which other local users can read), connects
 * with the token, starts its own token-protected callback server on an ephemeral port and
 * registers its service. Stdin stays open: the child exits when it closes, which also happens when
 * this JVM dies, even by SIGKILL. After the handshake, stdin and the child's stdout carry resets
 * and steps as binary frames ({@link PipeChannel}); the child's stderr is its output tail.
 *
 * <p>Every call has a time limit ({@link BridgeOptions#callTimeout()}, the read timeout of Py4J's
 * callback client); a call past it fails with a {@link BridgeException} and the process is killed.
 * A Python-side error, a dead process or a lost connection also become a one-line
 * {@link BridgeException} naming the environment id, the operation and the tail of the child's
 * output. After a timeout or a dead process the bridge is unusable and must be closed.
 *
 * <p>{@link #close()} asks Python to close its environments, closes stdin, then escalates
 * (SIGTERM, SIGKILL) until the process is gone, and always reaps it. A JVM shutdown hook closes
 * bridges left open; an open bridge does not keep the JVM from exiting. Thread-safe; environments
 * on one bridge share its process.
 */
public final class PythonBridge implements EnvBackend {
    private static final Set<PythonBridge> OPEN = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 32;
    private static final int TAIL_LINES = 12;
    private static final Pattern PYTHON_ERROR = Pattern.compile("(?m)^(?:[\\w.]+\\.)?BridgeError: (.*)$");

    static {
        // Py4J logs every network error at WARNING/SEVERE on stderr; failures reach the caller as
        // BridgeException instead.
        GatewayServer.turnLoggingOff();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(PythonBridge::kill),
                "spikerl-bridge-shutdown"));
    }

    private final BridgeOptions options;
    private final String token;
    private final GatewayServer server;
    private final Process process;
    private final OutputStream stdin;
    private final OutputTail output;
    private final PyEnvService service;
    private final PipeChannel data;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ServiceLink link = new ServiceLink() {
        @Override
        public PyEnvService service() {
            return service;
        }

        @Override
        public BatchChannel batches() {
            return data;
        }

        @Override
        public void checkUsable(String envId, String operation) {
            PythonBridge.this.checkUsable(envId, operation);
        }

        @Override
        public BridgeException failure(RuntimeException e, String envId, String operation) {
            return PythonBridge.this.failure(e, envId, operation);
        }
    };
    /** Set once the process was killed after a timeout or found dead: no more calls. */
    private volatile String broken;

    private PythonBridge(BridgeOptions options) {
        this.options = options;
        this.token = HexFormat.of().formatHex(randomBytes(TOKEN_BYTES));
        InetAddress loopback = InetAddress.getLoopbackAddress();
        BridgeEntryPoint entryPoint = new BridgeEntryPoint();
        // A placeholder port until Python calls resetCallbackClient with its ephemeral one; copyWith
        // keeps the token, the read timeout and the socket factory. Minimum connection time 0: no
        // idle-connection cleaner, whose executor thread would keep the JVM alive.
        CallbackClient callbacks = new CallbackClient(GatewayServer.DEFAULT_PYTHON_PORT, loopback, token,
                0, TimeUnit.SECONDS, new NoDelaySocketFactory(), false, (int) options.callTimeout().toMillis());
        this.server = new GatewayServer.GatewayServerBuilder(entryPoint)
                .javaAddress(loopback)
                .javaPort(0)
                .authToken(token)
                .callbackClient(callbacks)
                .build();
        Process started = null;
        try {
            startDaemon(server);
            started = startProcess(options);
            this.process = started;
            this.output = OutputTail.start(started.getErrorStream(), 200, "spikerl-bridge-output-" + started.pid());
            this.stdin = started.getOutputStream();
            OPEN.add(this);
            sendHandshake(server.getListeningPort());
            this.service = awaitRegistration(entryPoint);
            Process child = started;
            this.data = new PipeChannel(stdin, started.getInputStream(), options.callTimeout(),
                    () -> child.destroyForcibly());
        } catch (RuntimeException e) {
            server.shutdown();
            if (started != null) {
                OPEN.remove(this);
                closeQuietly(started.getOutputStream());
                reap(started);
            }
            throw e;
        }
    }

    /** Starts a bridge with {@link BridgeOptions#defaults()}. */
    public static PythonBridge start() {
        return start(BridgeOptions.defaults());
    }

    public static PythonBridge start(BridgeOptions options) {
        return new PythonBridge(options);
    }

    /** Makes {@code size} copies of {@code envId} in this process; closing the env leaves the bridge open. */
    @Override
    public BridgeVectorEnv open(String envId, int size) {
        return makeVectorEnv(envId, size);
    }

    /** Makes {@code size} copies of {@code envId} in this process; closing the env leaves the bridge open. */
    public BridgeVectorEnv makeVectorEnv(String envId, int size) {
        return makeVectorEnv(envId, size, "{}");
    }

    /**
     * Like {@link #makeVectorEnv(String, int)} with keyword arguments for {@code gymnasium.make},
     * as a JSON object.
     */
    public BridgeVectorEnv makeVectorEnv(String envId, int size, String kwargsJson) {
        return new BridgeVectorEnv(link, envId, size, kwargsJson, null);
    }

    /** Makes one environment in this process; closing it leaves the bridge open. */
    public BridgeEnv makeEnv(String envId) {
        return new BridgeEnv(makeVectorEnv(envId, 1));
    }

    /** Versions of python, gymnasium, mujoco, numpy and py4j in the child, for provenance. */
    @Override
    public Map<String, String> versions() {
        checkUsable("(bridge)", "versions");
        try {
            return SpecJson.parseVersions(service.versions());
        } catch (RuntimeException e) {
            throw failure(e, "(bridge)", "versions");
        }
    }

    /** Every Gymnasium id registered in the child, sorted. */
    public List<String> envIds() {
        checkUsable("(bridge)", "envIds");
        try {
            return List.of(service.envIds().split("\n"));
        } catch (RuntimeException e) {
            throw failure(e, "(bridge)", "envIds");
        }
    }

    /** The cheapest round trip (for latency measurements); returns {@code value}. */
    public int ping(int value) {
        checkUsable("(bridge)", "ping");
        try {
            return service.ping(value);
        } catch (RuntimeException e) {
            throw failure(e, "(bridge)", "ping");
        }
    }

    public long pid() {
        return process.pid();
    }

    public BridgeOptions options() {
        return options;
    }

    /** The port of the Java gateway the child connects to (for tests). */
    int gatewayPort() {
        return server.getListeningPort();
    }

    /** The port of the child's callback server (for tests). */
    int callbackPort() {
        return server.getPythonPort();
    }

    String token() {
        return token;
    }

    ServiceLink link() {
        return link;
    }

    /** Test hook (bridge started with {@link BridgeOptions#testHooks()}): a call that sleeps in Python. */
    double debugSleep(double seconds) {
        checkUsable("(bridge)", "debugSleep");
        try {
            return service.debugSleep(seconds);
        } catch (RuntimeException e) {
            throw failure(e, "(bridge)", "debugSleep");
        }
    }

    /** Throws if the bridge was closed or broken by an earlier failure. */
    void checkUsable(String envId, String operation) {
        if (closed.get()) {
            throw new BridgeException(operation + " of " + envId + ": the Python bridge is closed");
        }
        String reason = broken;
        if (reason != null) {
            throw new BridgeException(operation + " of " + envId + ": the Python bridge is unusable after an"
                    + " earlier failure (" + reason + ")");
        }
    }

    /**
     * The {@link BridgeException} for a failed call: a Python-side error (its message), a timeout
     * (the process is killed) or a dead or unreachable process (exit code and output tail).
     */
    BridgeException failure(RuntimeException e, String envId, String operation) {
        if (e instanceof BridgeException be) {
            return be;
        }
        String where = operation + " of " + envId;
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof BatchChannel.PythonError) {
            return new BridgeException(where + " failed in Python: " + message, e);
        }
        if (message.contains("An exception was raised by the Python Proxy")) {
            return new BridgeException(where + " failed in Python: " + pythonError(message), e);
        }
        if (hasCause(e, SocketTimeoutException.class)) {
            String reason = where + " got no reply within " + describe(options.callTimeout());
            broken = reason;
            kill();
            return new BridgeException(reason + "; the Python process (pid " + process.pid() + ") was killed;"
                    + " output: " + outputTail(), e);
        }
        if (waitForExit(Duration.ofSeconds(2))) {
            String reason = "the Python process " + exitDescription(process.exitValue());
            broken = reason;
            output.awaitEnd(500);
            return new BridgeException("the Python bridge process (pid " + process.pid() + ") "
                    + exitDescription(process.exitValue()) + " during " + where + "; output: " + outputTail(), e);
        }
        String reason = "lost the connection to the Python process: " + oneLine(message);
        broken = reason;
        kill();
        return new BridgeException(where + ": " + reason + "; the process (pid " + process.pid()
                + ") was killed; output: " + outputTail(), e);
    }

    /**
     * "exited with code 3", or for a child ended by a signal (status 128 + N, as Java reports it)
     * "was killed by signal 9 (SIGKILL; perhaps out of memory)".
     */
    static String exitDescription(int status) {
        if (status <= 128 || status > 128 + 64) {
            return "exited with code " + status;
        }
        int signal = status - 128;
        String name = switch (signal) {
            case 9 -> "SIGKILL; perhaps out of memory, or killed by hand";
            case 15 -> "SIGTERM";
            case 2 -> "SIGINT";
            case 11 -> "SIGSEGV; a crash in native code";
            case 6 -> "SIGABRT";
            default -> null;
        };
        return "was killed by signal " + signal + (name != null ? " (" + name + ")" : "");
    }

    String outputTail() {
        return output.last(TAIL_LINES);
    }

    /**
     * Closes the environments in Python, closes stdin (the child exits on end of file), then sends
     * SIGTERM and SIGKILL if it is still there; always reaps the process.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        OPEN.remove(this);
        data.close();
        try {
            if (broken == null && process.isAlive()) {
                service.shutdown();
            }
        } catch (RuntimeException e) {
            // Closing anyway; the process is ended below.
        }
        closeQuietly(stdin);
        reap(process);
        server.shutdown();
        output.awaitEnd(1000);
    }

    /**
     * Starts the gateway from a daemon thread: Py4J's server and connection threads inherit that,
     * so a bridge left open does not keep the JVM alive (the shutdown hook then ends the child).
     */
    private static void startDaemon(GatewayServer server) {
        RuntimeException[] failure = new RuntimeException[1];
        Thread starter = new Thread(() -> {
            try {
                server.start(true);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "spikerl-bridge-gateway-start");
        starter.setDaemon(true);
        starter.start();
        try {
            starter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BridgeException("interrupted while starting the Py4J gateway", e);
        }
        if (failure[0] != null) {
            throw new BridgeException("cannot start the Py4J gateway on 127.0.0.1: " + failure[0].getMessage(), failure[0]);
        }
    }

    private static Process startProcess(BridgeOptions options) {
        List<String> command = new ArrayList<>(List.of(options.python().toString(), "-I",
                options.script().toString()));
        if (options.testHooks()) {
            command.add("--test-hooks");
        }
        command.add("--poll-spin-us");
        command.add(Long.toString(options.pollSpin().toNanos() / 1000));
        try {
            // stdout is the data channel (PipeChannel); stderr, where the child also sends anything
            // printed, is the output tail.
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new BridgeException("cannot start the Python bridge with " + options.python() + ": "
                    + e.getMessage() + "; " + PythonLocator.FIX, e);
        }
    }

    private void sendHandshake(int gatewayPort) {
        try {
            stdin.write((gatewayPort + " " + token + "\n").getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
        } catch (IOException e) {
            // The child died before reading; awaitRegistration reports its exit code and output.
        }
    }

    private PyEnvService awaitRegistration(BridgeEntryPoint entryPoint) {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (true) {
            try {
                return entryPoint.registration().get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    output.awaitEnd(1000);
                    throw new BridgeException("the Python bridge (" + options.python() + ") "
                            + exitDescription(process.exitValue()) + " during start-up; output: " + outputTail() + "; if the venv is"
                            + " broken, " + PythonLocator.FIX);
                }
                if (System.nanoTime() > deadline) {
                    throw new BridgeException("the Python bridge (" + options.python() + ") did not register within "
                            + describe(options.startTimeout()) + "; output: " + outputTail());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BridgeException("interrupted while starting the Python bridge", e);
            } catch (ExecutionException e) {
                throw new BridgeException("Python bridge registration failed: " + e.getCause(), e);
            }
        }
    }

    /** Ends the child at once (timeouts, shutdown hook); close() still reaps it. */
    private void kill() {
        closeQuietly(stdin);
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(5));
    }

    private boolean waitForExit(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Stdin is closed by the caller first: the child normally exits on its own within a moment. */
    private static void reap(Process p) {
        boolean interrupted = false;
        try {
            for (Runnable escalate : new Runnable[] {() -> { }, p::destroy, p::destroyForcibly}) {
                escalate.run();
                try {
                    if (p.waitFor(3, TimeUnit.SECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            while (true) {
                try {
                    p.waitFor();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The BridgeError message from a Python traceback, else its last line. */
    static String pythonError(String proxyMessage) {
        Matcher m = PYTHON_ERROR.matcher(proxyMessage);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        if (found != null) {
            return found.strip();
        }
        String[] lines = proxyMessage.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already closed or the child is gone: either way stdin is closed.
        }
    }
}
