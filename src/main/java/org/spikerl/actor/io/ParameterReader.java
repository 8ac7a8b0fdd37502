package org.spikerl.actor.io;

import java.nio.file.Path;
import java.util.Map;

/**
 * Reads named parameters from a model file through a native engine. Implemented outside this
 * package ({@code org.spikerl.actor.io.djl}) and loaded by name, so that reading other formats
 * never loads the engine.
 */
public interface ParameterReader {

    /** The file's parameters by name, in the module's order; failures are one-line SpikerlExceptions. */
    Map<String, Tensor> read(Path file);
}
