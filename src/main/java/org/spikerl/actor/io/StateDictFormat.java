package org.spikerl.actor.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.save} of a state dict (zip archive of PyTorch 1.6+, {@code <root>/data.pkl} and
 * {@code <root>/data/N}), read without Python or libtorch ({@link TorchPickle}), from any device.
 * A saved tuple of state dicts (CleanRL's checkpoints) holds the actor first; the others (critics)
 * are ignored. The layout is found by keys among {@link ActorLayouts#TORCH}.
 */
final class StateDictFormat implements ActorReader {

    @Override
    public String format() {
        return "torch-state-dict";
    }

    @Override
    public boolean accepts(Probe probe) {
        return probe.hasTorchEntry(path -> path.equals(List.of("data.pkl")));
    }

    @Override
    public ReadActor read(Probe probe) {
        List<Map<String, Tensor>> dicts = TorchPickle.readStateDicts(probe.zip());
        List<String> notes = new ArrayList<>();
        String where = probe.where();
        if (dicts.size() > 1) {
            notes.add("a tuple of " + dicts.size() + " state dicts (a CleanRL checkpoint); the actor is the first,"
                    + " the other " + (dicts.size() - 1) + " (critics) are ignored");
            where += " (first of " + dicts.size() + " saved state dicts)";
        }
        Map<String, Tensor> tensors = dicts.get(0);
        ActorLayout.Match layout = ActorLayouts.detect(where, tensors, ActorLayouts.TORCH);
        return new ReadActor(format(), tensors, layout, layout.low(), layout.high(), null,
                ReadActor.assumedRelu("state dict"), -1, notes);
    }
}
