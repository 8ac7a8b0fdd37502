package org.spikerl.actor.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ObservationNorm;

/**
 * safetensors tensors ({@link Safetensors}) with a {@code <stem>.actor.json} sidecar
 * ({@link ActorSidecar}) that names the layers, the head and its bounds, and optionally the
 * observation normalisation: the sidecar is the layout, no key pattern is guessed.
 */
final class SafetensorsFormat implements ActorReader {

    @Override
    public String format() {
        return "safetensors";
    }

    @Override
    public boolean accepts(Probe probe) {
        return Safetensors.looksLike(probe.head(), probe.size());
    }

    @Override
    public ReadActor read(Probe probe) {
        Path file = probe.file();
        Path sidecarFile = ActorSidecar.pathFor(file);
        if (!Files.isRegularFile(sidecarFile)) {
            throw new SpikerlException(file + ": a safetensors actor needs its sidecar " + sidecarFile
                    + " (layers, head; see ActorSidecar)");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SpikerlException(file + ": cannot read (" + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
        Map<String, Tensor> tensors = Safetensors.read(probe.where(), bytes);
        ActorSidecar sidecar = ActorSidecar.read(sidecarFile);
        ActorLayout.Match layout = new ActorLayout.Match("sidecar", sidecar.layers(), sidecar.head(), sidecar.low(),
                sidecar.high(), List.of(), "ReLU");
        ObservationNorm norm = sidecar.norm() == null ? null
                : sidecar.norm().withOrigin(Normalization.origin("sidecar", sidecarFile, "the actor's sidecar"));
        return new ReadActor(format(), tensors, layout, sidecar.low(), sidecar.high(), norm,
                new ReadActor.Activation("ReLU", "the sidecar's activation field"), -1, List.of("sidecar " + sidecarFile));
    }
}
