package org.spikerl.bridge;

/**
 * Child JVM for the SIGKILL test: opens a bridge, prints the Python PID and waits to be killed.
 * It never closes the bridge: the test checks that the Python process ends on its own.
 */
public final class BridgeHolderMain {
    private BridgeHolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        PythonBridge bridge = PythonBridge.start();
        System.out.println("python-pid " + bridge.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
