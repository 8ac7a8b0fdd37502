package org.spikerl.bridge;

/**
 * Child JVM for the SIGKILL tests: opens a bridge (or, with an argument N, N Python workers with a
 * vector env spread over them), prints each Python PID and waits to be killed. It never closes
 * anything: the tests check that the Python processes end on their own.
 */
public final class BridgeHolderMain {
    private BridgeHolderMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length == 0) {
            PythonBridge bridge = PythonBridge.start();
            System.out.println("python-pid " + bridge.pid());
        } else {
            int n = Integer.parseInt(args[0]);
            PythonWorkers workers = PythonWorkers.start(BridgeOptions.defaults(), n);
            workers.open("Hopper-v4", n);
            StringBuilder pids = new StringBuilder("python-pids");
            for (PythonBridge b : workers.bridges()) {
                pids.append(' ').append(b.pid());
            }
            System.out.println(pids);
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
