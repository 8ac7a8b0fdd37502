package org.spikerl.actor.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spikerl.SpikerlException;
import org.spikerl.actor.DenseLayer;

/**
 * Finds the actor's dense layers among a file's named tensors, by key pattern, and builds them.
 *
 * <p>Layouts, tried in this order:
 * <ol>
 * <li>{@code sb3-td3}: Stable-Baselines3 TD3 and DDPG, {@code actor.mu.N.weight/bias}
 *     (an {@code nn.Sequential} of Linear, ReLU, ..., Linear, Tanh); tanh head.</li>
 * <li>{@code sb3-sac}: SAC, {@code actor.latent_pi.N.*} then {@code actor.mu.*}; the squashed
 *     Gaussian's deterministic action is {@code tanh(mu)}, so a tanh head; {@code log_std} is
 *     ignored.</li>
 * <li>{@code sb3-ppo}: PPO and A2C, {@code mlp_extractor.policy_net.N.*} then
 *     {@code action_net.*}; the Gaussian's mean, clipped to the bounds as SB3's {@code predict}
 *     does, so a clip head; the value network is ignored.</li>
 * <li>{@code linear-chain}: any other set of {@code <name>.weight [out][in]} (+ optional
 *     {@code <name>.bias [out]}, zero when absent) in file order, which is the order modules
 *     were registered in (e.g. the CRPI actors' {@code l1, l2, l3}, or an
 *     {@code nn.Sequential}'s {@code 0, 2, 4}); tanh head (TD3 convention). Tensors whose names
 *     end in neither {@code .weight} nor {@code .bias} (buffers such as the CRPI actors'
 *     {@code neuronN.thre}) are ignored; a {@code .weight} that is not 2-D (convolution,
 *     normalisation) makes the layout unknown rather than being skipped.</li>
 * </ol>
 * ReLU between layers is assumed by every layout; formats that record the activation are
 * checked by their reader.
 */
final class LayerLayout {

    enum HeadType { TANH, CLIP }

    /**
     * @param name layout name, for provenance
     * @param prefixes tensor name prefixes of layers 1..L in order
     * @param head head the layout implies
     * @param defaultActivation hidden activation when the file does not say (SB3's defaults)
     */
    record Detected(String name, List<String> prefixes, HeadType head, String defaultActivation) {
    }

    static final String SUPPORTED = "Stable-Baselines3 TD3/DDPG (actor.mu.N.weight), SAC (actor.latent_pi.N.weight"
            + " + actor.mu.weight), PPO (mlp_extractor.policy_net.N.weight + action_net.weight), or a chain of"
            + " Linear layers (<name>.weight [out][in] + <name>.bias [out], in file order)";

    /** Listing at most this many tensors keeps the unknown-layout message one readable line. */
    private static final int MAX_LISTED = 24;

    private LayerLayout() {
    }

    static Detected detect(String where, Map<String, Tensor> tensors) {
        List<String> td3 = numbered(tensors, "actor.mu.");
        if (!td3.isEmpty()) {
            return new Detected("sb3-td3", td3, HeadType.TANH, "ReLU");
        }
        if (tensors.containsKey("actor.mu.weight")) {
            List<String> p = numbered(tensors, "actor.latent_pi.");
            p.add("actor.mu");
            return new Detected("sb3-sac", p, HeadType.TANH, "ReLU");
        }
        if (tensors.containsKey("action_net.weight")) {
            List<String> p = numbered(tensors, "mlp_extractor.policy_net.");
            p.add("action_net");
            return new Detected("sb3-ppo", p, HeadType.CLIP, "Tanh");
        }
        List<String> chain = new ArrayList<>();
        boolean odd = false;
        for (Tensor t : tensors.values()) {
            if (t.name().endsWith(".weight") || t.name().equals("weight")) {
                if (t.rank() == 2) {
                    chain.add(t.name().substring(0, Math.max(0, t.name().length() - ".weight".length())));
                } else {
                    odd = true;
                }
            }
        }
        if (chain.isEmpty() || odd) {
            throw new SpikerlException(where + ": unknown actor layout; tensors found: " + listing(tensors)
                    + "; supported: " + SUPPORTED);
        }
        return new Detected("linear-chain", chain, HeadType.TANH, "ReLU");
    }

    /** Builds layers 1..L from {@code prefixes}, checking presence, type, shape, chaining and finiteness. */
    static List<DenseLayer> build(String where, Map<String, Tensor> tensors, List<String> prefixes) {
        List<DenseLayer> layers = new ArrayList<>();
        String prevName = null;
        for (String p : prefixes) {
            String wName = p.isEmpty() ? "weight" : p + ".weight";
            String bName = p.isEmpty() ? "bias" : p + ".bias";
            Tensor w = tensors.get(wName);
            if (w == null) {
                throw new SpikerlException(where + ": tensor " + wName + " is missing; tensors found: " + listing(tensors));
            }
            requireFloat(where, w);
            if (w.rank() != 2) {
                throw new SpikerlException(where + ": tensor " + wName + " has shape " + java.util.Arrays.toString(w.shape())
                        + "; expected [out][in]");
            }
            int out = w.shape()[0];
            int in = w.shape()[1];
            if (out == 0 || in == 0) {
                throw new SpikerlException(where + ": tensor " + wName + " is empty");
            }
            Tensor b = tensors.get(bName);
            float[] bias;
            if (b == null) {
                bias = new float[out];
            } else {
                requireFloat(where, b);
                if (b.rank() != 1 || b.shape()[0] != out) {
                    throw new SpikerlException(where + ": tensor " + bName + " has shape " + java.util.Arrays.toString(b.shape())
                            + "; expected [" + out + "] (the rows of " + wName + ")");
                }
                requireFinite(where, b);
                bias = b.data();
            }
            requireFinite(where, w);
            if (!layers.isEmpty()) {
                int prevOut = layers.get(layers.size() - 1).out();
                if (in != prevOut) {
                    throw new SpikerlException(where + ": layers do not chain: " + wName + " takes " + in
                            + " inputs but " + prevName + " gives " + prevOut + " outputs");
                }
            }
            layers.add(new DenseLayer(in, out, w.data(), bias));
            prevName = wName;
        }
        return layers;
    }

    private static void requireFloat(String where, Tensor t) {
        if (!t.isFloat()) {
            throw new SpikerlException(where + ": tensor " + t.name() + " has dtype " + t.dtype()
                    + "; expected a floating-point type");
        }
    }

    private static void requireFinite(String where, Tensor t) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                String at = t.rank() == 2 ? "[" + i / t.shape()[1] + "][" + i % t.shape()[1] + "]" : "[" + i + "]";
                throw new SpikerlException(where + ": tensor " + t.name() + " holds " + d[i] + " at " + at
                        + "; expected finite weights");
            }
        }
    }

    /** Prefixes {@code <base>N} having a {@code .weight}, ordered by N. */
    private static List<String> numbered(Map<String, Tensor> tensors, String base) {
        Pattern p = Pattern.compile(Pattern.quote(base) + "(\\d{1,6})\\.weight");
        TreeMap<Integer, String> found = new TreeMap<>();
        for (String k : tensors.keySet()) {
            Matcher m = p.matcher(k);
            if (m.matches()) {
                found.put(Integer.parseInt(m.group(1)), base + m.group(1));
            }
        }
        return new ArrayList<>(found.values());
    }

    static String listing(Map<String, Tensor> tensors) {
        StringBuilder sb = new StringBuilder("[");
        int i = 0;
        for (Tensor t : tensors.values()) {
            if (i == MAX_LISTED) {
                sb.append(", ... ").append(tensors.size() - MAX_LISTED).append(" more");
                break;
            }
            sb.append(i++ == 0 ? "" : ", ").append(t.describe());
        }
        return sb.append(']').toString();
    }
}
