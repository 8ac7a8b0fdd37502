package org.spikerl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.env.EnvBackend;
import org.spikerl.env.VectorEnv;

/**
 * An environment backend without Python: it opens {@link FiveStepEnv}s ({@code fake-v0} only,
 * like the bridge refusing an unknown id) and remembers what it opened and whether it was closed.
 */
public final class FiveStepBackend implements EnvBackend {
    public static final Map<String, String> VERSIONS = Map.of("fake", "5");

    public final List<FiveStepEnv> opened = new ArrayList<>();
    public boolean closed;

    @Override
    public VectorEnv open(String envId, int size) {
        if (closed) {
            throw new IllegalStateException("open after close");
        }
        if (!FiveStepEnv.ID.equals(envId)) {
            throw new SpikerlException("unknown environment id '" + envId + "'");
        }
        FiveStepEnv env = new FiveStepEnv(size);
        opened.add(env);
        return env;
    }

    @Override
    public Map<String, String> versions() {
        return VERSIONS;
    }

    @Override
    public void close() {
        closed = true;
    }
}
