package org.spikerl.bridge;

import org.spikerl.SpikerlException;

/**
 * A failure of the Python bridge: start-up, a Python-side error, a timeout, or the Python process
 * exiting. The message names the environment id and the operation; callers that know the episode
 * and step add them.
 */
public class BridgeException extends SpikerlException {
    private static final long serialVersionUID = 1L;

    public BridgeException(String message) {
        super(message);
    }

    public BridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
