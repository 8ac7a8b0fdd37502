package org.spikerl.bridge;

import java.util.concurrent.CompletableFuture;

/**
 * The Py4J entry point of one bridge: the Python process calls {@link #register} once it has
 * connected and told the gateway its callback port. Public only because Py4J calls it by
 * reflection.
 */
public final class BridgeEntryPoint {
    private final CompletableFuture<PyEnvService> service = new CompletableFuture<>();

    /** Called from Python with its {@code EnvService}. */
    public void register(PyEnvService pythonService) {
        service.complete(pythonService);
    }

    CompletableFuture<PyEnvService> registration() {
        return service;
    }
}
