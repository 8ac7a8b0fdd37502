package org.spikerl.actor.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ObservationNorm;

/**
 * The JSON file that travels with a safetensors actor: {@code <stem>.actor.json} next to
 * {@code <stem>.safetensors}. A safetensors file holds tensors only; this says how they form an
 * actor. Schema (version 1):
 * <pre>
 * {
 *   "spikerl_actor": 1,                  required: schema version
 *   "layers": ["l1", "l2", "l3"],        required: layer names in forward order; layer "n" is the
 *                                        tensors "n.weight" [out][in] and "n.bias" [out]
 *                                        (bias optional, zero when absent)
 *   "activation": "relu",                optional, default "relu"; the only one accepted
 *   "head": {"type": "tanh",             required: "tanh" (tanh(y) * (high-low)/2 + (high+low)/2)
 *            "low": [-1, -1],            or "clip" (clip(y, low, high)); low/high optional when
 *            "high": [1, 1]},            the env's bounds are given to the loader
 *   "obs_norm": {"obs_mean": [...], "obs_var": [...], "epsilon": 1e-8, "clip_obs": 10}
 *                                        optional: VecNormalize statistics, same schema as
 *                                        envs/export_vecnormalize.py writes
 * }
 * </pre>
 */
record ActorSidecar(List<String> layers, ActorLayout.HeadType head, double[] low, double[] high,
        ObservationNorm norm) {

    static final int VERSION = 1;

    /** {@code <stem>.actor.json} for {@code <stem>.safetensors}. */
    static Path pathFor(Path safetensors) {
        return safetensors.resolveSibling(ActorLoader.stem(safetensors) + ".actor.json");
    }

    static ActorSidecar read(Path file) {
        String w = file.toString();
        JsonNode n = JsonFields.read(file);
        JsonNode v = n.get("spikerl_actor");
        if (v == null || !v.canConvertToInt() || v.asInt() != VERSION) {
            throw new SpikerlException(w + ": field spikerl_actor must be " + VERSION + ", got " + v);
        }
        JsonNode ls = n.get("layers");
        if (ls == null || !ls.isArray() || ls.isEmpty()) {
            throw new SpikerlException(w + ": field layers must be a non-empty array of layer names");
        }
        List<String> layers = new ArrayList<>();
        for (JsonNode l : ls) {
            if (!l.isTextual()) {
                throw new SpikerlException(w + ": field layers must hold strings, got " + l);
            }
            layers.add(l.asText());
        }
        String activation = JsonFields.text(w, n, "activation", "relu");
        if (!activation.equalsIgnoreCase("relu")) {
            throw new SpikerlException(w + ": activation is " + activation + "; spikerl converts ReLU actors only");
        }
        JsonNode h = n.get("head");
        if (h == null || !h.isObject()) {
            throw new SpikerlException(w + ": field head must be an object with type, low, high");
        }
        String type = JsonFields.text(w, h, "type", null);
        ActorLayout.HeadType head = switch (type) {
            case "tanh" -> ActorLayout.HeadType.TANH;
            case "clip" -> ActorLayout.HeadType.CLIP;
            default -> throw new SpikerlException(w + ": head.type is " + type + "; expected tanh or clip");
        };
        double[] low = h.has("low") ? JsonFields.numbers(w, h, "low") : null;
        double[] high = h.has("high") ? JsonFields.numbers(w, h, "high") : null;
        if ((low == null) != (high == null)) {
            throw new SpikerlException(w + ": head needs both low and high, or neither");
        }
        ObservationNorm norm = null;
        JsonNode on = n.get("obs_norm");
        if (on != null && !on.isNull()) {
            if (!on.isObject()) {
                throw new SpikerlException(w + ": field obs_norm must be an object");
            }
            norm = JsonFields.observationNorm(w + " (obs_norm)", on);
        }
        return new ActorSidecar(layers, head, low, high, norm);
    }
}
