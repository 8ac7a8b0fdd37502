package org.spikerl.actor.io.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikerl.SpikerlException;
import org.spikerl.actor.io.ParameterReader;
import org.spikerl.actor.io.Tensor;

/**
 * Reads the named parameters of a TorchScript module ({@code torch.jit.save}) through libtorch:
 * DJL loads the module onto the CPU ({@code mapLocation}, so GPU-saved modules load too) and
 * lists {@code named_parameters()} (e.g. {@code 0.weight} for an {@code nn.Sequential}). Buffers
 * are not parameters and are not read. A frozen module ({@code torch.jit.freeze}) has inlined its
 * weights as constants and is refused.
 */
public final class TorchScriptReader implements ParameterReader {

    @Override
    public Map<String, Tensor> read(Path file) {
        DjlRuntime.engine();
        try (Model model = Model.newInstance("actor", Device.cpu(), DjlRuntime.ENGINE)) {
            try {
                model.load(file, null, Map.of("mapLocation", "true"));
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new SpikerlException(file + ": libtorch cannot load it as TorchScript ("
                        + DjlRuntime.oneLine(e.getMessage()) + ")", e);
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                NDArray a = p.getValue().getArray();
                long[] shape = a.getShape().getShape();
                int[] dims = new int[shape.length];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = Math.toIntExact(shape[i]);
                }
                DataType dt = a.getDataType();
                float[] data = dt.isFloating() ? a.toType(DataType.FLOAT32, false).toFloatArray() : null;
                tensors.put(p.getKey(), new Tensor(p.getKey(), dt.toString().toLowerCase(), dims, data));
            }
            if (tensors.isEmpty()) {
                throw new SpikerlException(file + ": TorchScript module has no parameters; a frozen module"
                        + " (torch.jit.freeze) holds its weights as constants: save the module before freezing it");
            }
            return tensors;
        }
    }
}
