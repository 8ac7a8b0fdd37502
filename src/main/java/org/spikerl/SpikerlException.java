package org.spikerl;

/**
 * A user-facing failure: its message is one line that names the file, field or step at fault and
 * what was expected. The CLI prints the message alone (the stack trace only with {@code --debug}).
 */
public class SpikerlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpikerlException(String message) {
        super(message);
    }

    public SpikerlException(String message, Throwable cause) {
        super(message, cause);
    }
}
