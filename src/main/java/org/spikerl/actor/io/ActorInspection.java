package org.spikerl.actor.io;

import java.nio.file.Path;
import java.util.List;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.ObservationNorm;

/**
 * What {@link ActorLoader#inspect} found in an actor file.
 *
 * @param file the file
 * @param sha256 its SHA-256
 * @param format the format ({@code sb3-zip}, ...)
 * @param layout the layout ({@code cleanrl-td3}, ...)
 * @param notes what the reader noted (algorithm, saved tuple, sidecar)
 * @param ignored tensors present but not part of the deterministic actor, with why
 * @param layers the dense layers, or {@code null} when they could not be built
 * @param activation the hidden activation
 * @param activationSource how the activation is known
 * @param head {@code tanh} or {@code clip}
 * @param low stored action lower bounds, or {@code null} (then the env's are used)
 * @param high stored action upper bounds, or {@code null}
 * @param norm the observation statistics that would be applied (with their origin), or {@code null}
 * @param problem why the actor cannot be loaded and converted, or {@code null} when it can
 */
public record ActorInspection(Path file, String sha256, String format, String layout, List<String> notes,
        List<String> ignored, List<DenseLayer> layers, String activation, String activationSource, String head,
        double[] low, double[] high, ObservationNorm norm, String problem) {

    public boolean convertible() {
        return problem == null;
    }
}
