package org.spikerl.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both Py4J servers (Java gateway, Python callback) accept only the bridge's own token. */
class BridgeSecurityIT {
    private static final String SUCCESS = "!yv";
    private static PythonBridge bridge;

    @BeforeAll
    static void start() {
        bridge = PythonBridge.start();
    }

    @AfterAll
    static void stop() {
        bridge.close();
    }

    /**
     * Sends Py4J's authentication command ("A", token, end) and returns the server's first reply
     * line and, if asked, what a second read finds (whether the server kept the connection).
     */
    private static String[] authenticate(int port, String token, boolean readAgain) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("A\n" + token + "\ne\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String reply = readLine(in);
            String after = readAgain ? readLine(in) : "";
            return new String[] {reply, after};
        }
    }

    private static String readLine(BufferedReader in) {
        try {
            String line = in.readLine();
            return line == null ? "<closed>" : line;
        } catch (java.net.SocketTimeoutException e) {
            return "<open>";
        } catch (IOException e) {
            return "<reset>";
        }
    }

    @Test
    void pythonCallbackServerRefusesAWrongToken() throws IOException {
        String[] right = authenticate(bridge.callbackPort(), bridge.token(), false);
        assertEquals(SUCCESS, right[0], "control: the right token is accepted");
        String[] wrong = authenticate(bridge.callbackPort(), "0".repeat(bridge.token().length()), true);
        assertNotEquals(SUCCESS, wrong[0]);
        assertTrue(wrong[1].equals("<closed>") || wrong[1].equals("<reset>"), "connection kept: " + wrong[1]);
        assertEquals(7, bridge.ping(7), "the bridge still works");
    }

    @Test
    void javaGatewayRefusesAWrongToken() throws IOException {
        String[] right = authenticate(bridge.gatewayPort(), bridge.token(), false);
        assertEquals(SUCCESS, right[0], "control: the right token is accepted");
        String[] wrong = authenticate(bridge.gatewayPort(), "wrong-token", true);
        assertNotEquals(SUCCESS, wrong[0]);
        assertTrue(wrong[1].equals("<closed>") || wrong[1].equals("<reset>"), "connection kept: " + wrong[1]);
        assertEquals(8, bridge.ping(8), "the bridge still works");
    }

    @Test
    void tokenIsNotInTheChildsArgumentsOrEnvironment() throws IOException {
        assertTrue(bridge.token().length() >= 32, "at least 128 bits as hex");
        String cmdline = ProcessProbe.procFile(bridge.pid(), "cmdline");
        assertTrue(cmdline.contains("spikerl_bridge.py"), "control: this is the bridge process");
        assertFalse(cmdline.contains(bridge.token()));
        assertFalse(ProcessProbe.procFile(bridge.pid(), "environ").contains(bridge.token()));
    }

    @Test
    void eachBridgeHasItsOwnTokenAndPorts() {
        try (PythonBridge other = PythonBridge.start()) {
            assertNotEquals(bridge.token(), other.token());
            assertNotEquals(bridge.gatewayPort(), other.gatewayPort());
            assertNotEquals(bridge.callbackPort(), other.callbackPort());
        }
    }
}
