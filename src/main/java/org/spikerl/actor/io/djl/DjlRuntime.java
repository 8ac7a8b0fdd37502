package org.spikerl.actor.io.djl;

import ai.djl.engine.Engine;
import org.spikerl.SpikerlException;

/**
 * Starts DJL's PyTorch engine offline. The machine running spikerl may have no network, and DJL
 * downloads libtorch when it finds none; with {@code ai.djl.offline=true} it uses the libtorch of
 * the {@code pytorch-native-cpu} jar on the class path (extracted once to DJL's cache,
 * {@code ~/.djl.ai}) and fails instead of downloading. A value the user set is kept.
 */
public final class DjlRuntime {
    public static final String ENGINE = "PyTorch";

    private DjlRuntime() {
    }

    /** The PyTorch engine, started on first use. */
    public static synchronized Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        try {
            return Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            throw new SpikerlException("DJL cannot start its PyTorch engine offline (" + oneLine(e.getMessage())
                    + "); is ai.djl.pytorch:pytorch-native-cpu on the class path?", e);
        }
    }

    /** libtorch version of the running engine, for provenance. */
    public static String libtorchVersion() {
        return engine().getVersion();
    }

    static String oneLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
