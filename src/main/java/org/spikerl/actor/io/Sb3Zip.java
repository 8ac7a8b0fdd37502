package org.spikerl.actor.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.spikerl.SpikerlException;

/**
 * A Stable-Baselines3 model zip ({@code model.save}): {@code policy.pth} is a {@code torch.save}
 * state dict of the whole policy (actor, critics, targets), {@code data} is JSON describing the
 * model. From {@code data} this reads the action space (Box {@code low}/{@code high}, written by
 * SB3 2.x as numpy's text form, e.g. {@code "[-1. -1. -1.]"}), the observation shape,
 * {@code use_sde} and {@code policy_kwargs.activation_fn} (e.g.
 * {@code "<class 'torch.nn.modules.activation.ReLU'>"}; absent means the algorithm's default).
 * sb3-contrib's zips (TQC) have the same structure.
 */
final class Sb3Zip implements ActorReader {

    @Override
    public String format() {
        return "sb3-zip";
    }

    @Override
    public boolean accepts(Probe probe) {
        return probe.zip() != null && probe.zip().has("policy.pth") && probe.zip().has("data");
    }

    /**
     * The actor among the policy's tensors ({@link ActorLayouts#SB3}), the action space's bounds,
     * the observation size and the activation from {@code data}. Refuses features extractors with
     * parameters and gSDE policies, which the layouts cannot express.
     */
    @Override
    public ReadActor read(Probe probe) {
        ZipArchive zip = probe.zip();
        String where = zip.where();
        String dataWhere = where + " (data)";
        JsonNode data = JsonFields.parse(dataWhere, zip.get("data"));
        Map<String, Tensor> tensors = TorchPickle.readStateDict(
                ZipArchive.fromBytes(where + " (policy.pth)", zip.get("policy.pth")));
        for (String k : tensors.keySet()) {
            if (k.contains("features_extractor.")) {
                throw new SpikerlException(where + ": policy has a features extractor with parameters (" + k
                        + "); only MlpPolicy with the default FlattenExtractor is supported");
            }
        }
        ActorLayout.Match layout;
        try {
            layout = ActorLayouts.detect(where, tensors, ActorLayouts.SB3);
        } catch (SpikerlException e) {
            throw new SpikerlException(where + ": policy.pth has no Stable-Baselines3 actor; tensors found: "
                    + ActorLayouts.listing(tensors) + "; supported: " + ActorLayouts.supported(ActorLayouts.SB3), e);
        }

        JsonNode space = data.get("action_space");
        if (space == null || !space.isObject()) {
            throw new SpikerlException(dataWhere + ": field action_space is missing");
        }
        String type = JsonFields.text(dataWhere, space, ":type:", "");
        if (!type.contains("Box")) {
            throw new SpikerlException(dataWhere + ": action_space is " + type + "; expected a gymnasium Box");
        }
        boolean f32 = "float32".equals(JsonFields.text(dataWhere, space, "dtype", "float32"));
        double[] low = numpyArray(dataWhere, "action_space.low", JsonFields.text(dataWhere, space, "low", null), f32);
        double[] high = numpyArray(dataWhere, "action_space.high", JsonFields.text(dataWhere, space, "high", null), f32);
        if (low.length != high.length) {
            throw new SpikerlException(dataWhere + ": action_space.low has " + low.length + " entries but high has " + high.length);
        }

        int obsSize = -1;
        JsonNode obsShape = data.path("observation_space").get("_shape");
        if (obsShape != null && obsShape.isArray()) {
            long n = 1;
            for (JsonNode d : obsShape) {
                n *= d.asLong();
            }
            obsSize = (int) n;
        }

        JsonNode kwargs = data.path("policy_kwargs");
        ReadActor.Activation activation = new ReadActor.Activation(layout.defaultActivation(),
                "the default of " + layout.layout());
        JsonNode act = kwargs.get("activation_fn");
        if (act != null && act.isTextual()) {
            activation = new ReadActor.Activation(simpleClassName(act.asText()), "policy_kwargs.activation_fn");
        }
        if (data.path("use_sde").asBoolean(false) || kwargs.path("use_sde").asBoolean(false)) {
            throw new SpikerlException(where + ": policy uses gSDE (use_sde=True); train without it");
        }
        List<String> notes = new ArrayList<>();
        String algorithm = algorithm(data);
        if (algorithm != null) {
            notes.add("algorithm " + algorithm);
        }
        return new ReadActor(format(), tensors, layout, low, high, null, activation, obsSize, notes);
    }

    /**
     * The algorithm, from the module of {@code policy_class} ({@code sb3_contrib.tqc.policies} ->
     * TQC), or null where the policy class is shared ({@code common.policies}: PPO, A2C).
     */
    private static String algorithm(JsonNode data) {
        JsonNode pc = data.path("policy_class");
        String module = pc.path("__module__").asText("");
        String[] parts = module.split("\\.");
        if (parts.length >= 2 && !parts[1].equals("common")
                && (parts[0].equals("stable_baselines3") || parts[0].equals("sb3_contrib"))) {
            return (parts[0].equals("sb3_contrib") ? "sb3-contrib " : "Stable-Baselines3 ")
                    + parts[1].toUpperCase(java.util.Locale.ROOT);
        }
        return null;
    }

    /** {@code "<class 'torch.nn.modules.activation.ReLU'>"} to {@code ReLU}. */
    static String simpleClassName(String repr) {
        String s = repr.replace("<class '", "").replace("'>", "").strip();
        return s.substring(s.lastIndexOf('.') + 1);
    }

    /**
     * Parses numpy's text form of a 1-D array ({@code "[-1.  0.5 inf]"}, possibly wrapped over
     * lines). Numpy abbreviates arrays of more than 1000 entries with "..."; those are refused.
     * Values of a float32 space are rounded to float32, the values SB3 computes with.
     */
    static double[] numpyArray(String where, String field, String text, boolean float32) {
        String s = text.strip();
        if (!s.startsWith("[") || !s.endsWith("]") || s.contains("...") || s.indexOf('[', 1) >= 0) {
            throw new SpikerlException(where + ": field " + field + " is '" + s.replace('\n', ' ')
                    + "'; expected a 1-D numpy array printed in full");
        }
        List<Double> values = new ArrayList<>();
        for (String tok : s.substring(1, s.length() - 1).split("[\\s,]+")) {
            if (tok.isEmpty()) {
                continue;
            }
            double v;
            switch (tok) {
                case "inf" -> v = Double.POSITIVE_INFINITY;
                case "-inf" -> v = Double.NEGATIVE_INFINITY;
                default -> {
                    try {
                        v = Double.parseDouble(tok);
                    } catch (NumberFormatException e) {
                        throw new SpikerlException(where + ": field " + field + " holds '" + tok + "'; expected a number");
                    }
                    if (Double.isNaN(v)) {
                        throw new SpikerlException(where + ": field " + field + " holds NaN");
                    }
                }
            }
            values.add(float32 ? (double) (float) v : v);
        }
        if (values.isEmpty()) {
            throw new SpikerlException(where + ": field " + field + " is an empty array");
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
