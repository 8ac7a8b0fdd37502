package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link BridgeHolderMain}, for the tests that SIGKILL a JVM and then check
 * that its Python processes end on their own. It gets this JVM's class path and Python settings.
 */
final class BridgeHolderJvm implements AutoCloseable {
    private final Process jvm;
    private final BufferedReader out;

    private BridgeHolderJvm(Process jvm) {
        this.jvm = jvm;
        this.out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the child; {@code args} are {@link BridgeHolderMain}'s (none: one bridge; N: N workers). */
    static BridgeHolderJvm start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dspikerl.python=" + System.getProperty("spikerl.python"),
                "-Dspikerl.home=" + System.getProperty("spikerl.home"),
                BridgeHolderMain.class.getName()));
        command.addAll(List.of(args));
        return new BridgeHolderJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * The PIDs on the child's first output line that starts with {@code prefix}
     * ({@code "python-pid "}, {@code "python-pids "}), waiting up to {@code limit}; when the
     * child ends without printing it, the test fails with everything the child printed instead.
     */
    long[] awaitPids(String prefix, Duration limit) throws Exception {
        CompletableFuture<String> pidLine = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                    seen.append(line).append(" | ");
                }
            } catch (IOException e) {
                seen.append(e);
            }
            return "no pids; child JVM said: " + seen;
        });
        String line = pidLine.get(limit.toSeconds(), TimeUnit.SECONDS);
        assertTrue(line.startsWith(prefix), line);
        return Arrays.stream(line.substring(prefix.length()).strip().split(" ")).mapToLong(Long::parseLong).toArray();
    }

    /** SIGKILL: no shutdown hook runs. Fails the test when the child is not dead within 30 s. */
    void kill() throws InterruptedException {
        jvm.destroyForcibly();
        assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "child JVM did not die");
    }

    @Override
    public void close() {
        jvm.destroyForcibly();
    }
}
