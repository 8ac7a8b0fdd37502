package org.spikerl.actor.io;

import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;

/**
 * {@code torch.jit.save} of a module that is not frozen: a torch zip that also holds
 * {@code constants.pkl} or {@code code/}. Its parameters are read by name through DJL's PyTorch
 * engine ({@code org.spikerl.actor.io.djl}, loaded by name only for this format, so that reading
 * any other format never loads libtorch), then laid out as a state dict. The module must compute
 * the MLP up to the last Linear layer; buffers are not parameters, so layouts that need buffers
 * (CleanRL's) are not found here.
 */
final class TorchScriptFormat implements ActorReader {
    private static final String DJL_READER = "org.spikerl.actor.io.djl.TorchScriptReader";

    @Override
    public String format() {
        return "torchscript";
    }

    @Override
    public boolean accepts(Probe probe) {
        return probe.hasTorchEntry(path -> path.get(0).equals("constants.pkl") || path.get(0).equals("code"));
    }

    @Override
    public ReadActor read(Probe probe) {
        ParameterReader reader;
        try {
            reader = (ParameterReader) Class.forName(DJL_READER).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SpikerlException(probe.file() + ": reading TorchScript needs DJL's PyTorch engine on the class path ("
                    + e.getClass().getSimpleName() + ": " + ZipArchive.oneLine(e.getMessage()) + ")", e);
        }
        Map<String, Tensor> tensors = reader.read(probe.file());
        ActorLayout.Match layout = ActorLayouts.detect(probe.where(), tensors, ActorLayouts.TORCH);
        return new ReadActor(format(), tensors, layout, layout.low(), layout.high(), null,
                ReadActor.assumedRelu("TorchScript parameter"), -1, List.of());
    }
}
