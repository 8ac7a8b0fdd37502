package org.spikerl.actor.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.spikerl.SpikerlException;
import org.spikerl.actor.io.ActorLayout.HeadType;
import org.spikerl.actor.io.ActorLayout.Match;

/**
 * The actor layouts spikerl recognises, each by its keys, and the detection that tries them.
 *
 * <p>Stable-Baselines3 and sb3-contrib ({@code policy.pth} of a model zip; the rest of the policy,
 * critics and targets, is ignored):
 * <ul>
 * <li>{@code sb3-td3} (TD3, DDPG): {@code actor.mu.0, .2, ...}, an {@code nn.Sequential} of Linear,
 *     ReLU, ..., Linear, Tanh; tanh head.</li>
 * <li>{@code sb3-sac} (SAC, TQC): {@code actor.latent_pi.0, .2, ...} then {@code actor.mu}; the
 *     squashed Gaussian's deterministic action is {@code tanh(mu)}; {@code actor.log_std} ignored.</li>
 * <li>{@code sb3-ppo} (PPO, A2C): {@code mlp_extractor.policy_net.0, .2, ...} then
 *     {@code action_net}; the Gaussian's mean, clipped to the bounds as SB3's {@code predict}
 *     does (clip head); value network and {@code log_std} ignored.</li>
 * </ul>
 * Research code and plain PyTorch ({@code torch.save} state dicts, TorchScript parameters):
 * <ul>
 * <li>{@code crpi-td3} (the CRPI repository's TD3 and DDPG actors): {@code l1 .. lN}, ReLU between,
 *     {@code action = max_action * tanh(lN(h))}; the CRPI spiking buffers {@code neuronK.thre},
 *     {@code neuronK.act_buffer} ignored.</li>
 * <li>{@code crpi-sac} (the CRPI repository's SAC actors): {@code fc1 .. fcK, fc_mu, fc_std};
 *     deterministic action {@code tanh(fc_mu(h)) * max_action}; {@code fc_std} ignored.</li>
 * <li>{@code cleanrl-td3} (CleanRL's TD3 and DDPG actors): {@code fc1 .. fcK, fc_mu} and the
 *     buffers {@code action_scale}, {@code action_bias}, which define the head
 *     {@code tanh(y) * action_scale + action_bias}.</li>
 * <li>{@code cleanrl-sac} (CleanRL's SAC actor): {@code fc1 .. fcK, fc_mean, fc_logstd} and the same
 *     buffers; deterministic action {@code tanh(fc_mean(h)) * action_scale + action_bias};
 *     {@code fc_logstd} ignored.</li>
 * <li>{@code sequential}: an {@code nn.Sequential} of Linear and ReLU, keys {@code 0, 2, 4, ...}
 *     (optionally under one common prefix such as {@code net.}); tanh head (TD3 convention).</li>
 * </ul>
 * Heads without stored bounds take the environment's; {@code max_action * tanh} is the tanh head
 * with symmetric bounds {@code [-max_action, max_action]}.
 */
final class ActorLayouts {

    /** Layouts of an SB3 policy, in the order they are tried. */
    static final List<ActorLayout> SB3 = List.of(new Sb3Td3(), new Sb3Sac(), new Sb3Ppo());

    /** Layouts of a research or plain PyTorch actor, in the order they are tried. */
    static final List<ActorLayout> TORCH = List.of(new CrpiTd3(), new CrpiSac(), new CleanRlTd3(), new CleanRlSac(),
            new Sequential());

    /** Listing at most this many tensors keeps the unknown-layout message one readable line. */
    private static final int MAX_LISTED = 24;

    private ActorLayouts() {
    }

    /** The first of {@code layouts} that matches; otherwise a one-line error listing what was found and what is supported. */
    static Match detect(String where, Map<String, Tensor> tensors, List<ActorLayout> layouts) {
        for (ActorLayout l : layouts) {
            Match m = l.match(tensors);
            if (m != null) {
                return m;
            }
        }
        throw new SpikerlException(where + ": unknown actor layout; tensors found: " + listing(tensors)
                + "; supported: " + supported(layouts));
    }

    static String supported(List<ActorLayout> layouts) {
        StringBuilder sb = new StringBuilder();
        for (ActorLayout l : layouts) {
            sb.append(sb.length() == 0 ? "" : "; ").append(l.name()).append(" (").append(l.keys()).append(')');
        }
        return sb.toString();
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

    // ---- SB3 ----

    private static final class Sb3Td3 implements ActorLayout {
        @Override
        public String name() {
            return "sb3-td3";
        }

        @Override
        public String keys() {
            return "Stable-Baselines3 TD3/DDPG: actor.mu.0, actor.mu.2, ...";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            List<String> mu = everyOther(t, "actor.mu.");
            if (mu == null) {
                return null;
            }
            return new Match(name(), mu, HeadType.TANH, null, null,
                    ignoredOutside(t, mu, "the critics and target networks"), "ReLU");
        }
    }

    private static final class Sb3Sac implements ActorLayout {
        @Override
        public String name() {
            return "sb3-sac";
        }

        @Override
        public String keys() {
            return "Stable-Baselines3 SAC, sb3-contrib TQC: actor.latent_pi.0, ... + actor.mu";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            if (!t.containsKey("actor.mu.weight")) {
                return null;
            }
            List<String> p = everyOther(t, "actor.latent_pi.");
            if (p == null) {
                return null;
            }
            p.add("actor.mu");
            return new Match(name(), p, HeadType.TANH, null, null,
                    ignoredOutside(t, p, "actor.log_std (the Gaussian's spread), the critics and target networks"),
                    "ReLU");
        }
    }

    private static final class Sb3Ppo implements ActorLayout {
        @Override
        public String name() {
            return "sb3-ppo";
        }

        @Override
        public String keys() {
            return "Stable-Baselines3 PPO/A2C: mlp_extractor.policy_net.0, ... + action_net";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            if (!t.containsKey("action_net.weight")) {
                return null;
            }
            List<String> p = everyOther(t, "mlp_extractor.policy_net.");
            if (p == null) {
                p = new ArrayList<>(); // net_arch with no hidden layer: a linear policy
                if (hasAnyUnder(t, "mlp_extractor.policy_net.")) {
                    return null;
                }
            }
            p.add("action_net");
            return new Match(name(), p, HeadType.CLIP, null, null,
                    ignoredOutside(t, p, "log_std and the value network"), "Tanh");
        }
    }

    // ---- research code and plain PyTorch ----

    private static final class CrpiTd3 implements ActorLayout {
        private static final Pattern BUFFER = Pattern.compile("neuron\\d{1,3}\\.(thre|act_buffer)");

        @Override
        public String name() {
            return "crpi-td3";
        }

        @Override
        public String keys() {
            return "CRPI TD3/DDPG: l1, l2, l3 (+ neuronN.thre, neuronN.act_buffer ignored)";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            List<String> layers = consecutive(t, "l");
            if (layers.size() < 2) {
                return null;
            }
            Set<String> used = tensorsOf(layers);
            List<String> ignored = new ArrayList<>();
            for (String k : t.keySet()) {
                if (used.contains(k)) {
                    continue;
                }
                if (!BUFFER.matcher(k).matches()) {
                    return null;
                }
                ignored.add(k);
            }
            return new Match(name(), layers, HeadType.TANH, null, null,
                    ignored.isEmpty() ? List.of() : List.of(ignored.size() + " CRPI spiking buffers (neuronN.*)"), "ReLU");
        }
    }

    private static final class CrpiSac implements ActorLayout {
        @Override
        public String name() {
            return "crpi-sac";
        }

        @Override
        public String keys() {
            return "CRPI SAC: fc1, fc2, fc_mu, fc_std (fc_std ignored)";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            return fcLayout(t, name(), "fc_mu", List.of("fc_std"), false,
                    "fc_std (the Gaussian's spread)");
        }
    }

    private static final class CleanRlTd3 implements ActorLayout {
        @Override
        public String name() {
            return "cleanrl-td3";
        }

        @Override
        public String keys() {
            return "CleanRL TD3/DDPG: fc1, fc2, fc_mu + action_scale, action_bias (alone or first of a saved tuple)";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            return fcLayout(t, name(), "fc_mu", List.of(), true, null);
        }
    }

    private static final class CleanRlSac implements ActorLayout {
        @Override
        public String name() {
            return "cleanrl-sac";
        }

        @Override
        public String keys() {
            return "CleanRL SAC: fc1, fc2, fc_mean, fc_logstd + action_scale, action_bias (fc_logstd ignored)";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            return fcLayout(t, name(), "fc_mean", List.of("fc_logstd"), true, "fc_logstd (the Gaussian's spread)");
        }
    }

    private static final class Sequential implements ActorLayout {
        private static final Pattern KEY = Pattern.compile("((?:.+\\.)?)(\\d{1,4})\\.(weight|bias)");

        @Override
        public String name() {
            return "sequential";
        }

        @Override
        public String keys() {
            return "nn.Sequential of Linear and ReLU: 0, 2, 4, ...";
        }

        @Override
        public Match match(Map<String, Tensor> t) {
            String prefix = null;
            for (String k : t.keySet()) {
                Matcher m = KEY.matcher(k);
                if (!m.matches() || (prefix != null && !prefix.equals(m.group(1)))) {
                    return null;
                }
                prefix = m.group(1);
            }
            if (prefix == null) {
                return null;
            }
            List<String> layers = everyOther(t, prefix);
            if (layers == null || !tensorsOf(layers).containsAll(t.keySet())) {
                return null;
            }
            return new Match(name(), layers, HeadType.TANH, null, null, List.of(), "ReLU");
        }
    }

    /**
     * {@code fc1 .. fcK} then {@code out}; {@code extra} layers present and ignored; with
     * {@code buffers}, {@code action_scale} and {@code action_bias} required (they give the
     * bounds), without them forbidden. Nothing else may be present.
     */
    private static Match fcLayout(Map<String, Tensor> t, String name, String out, List<String> extra, boolean buffers,
            String ignoredWhy) {
        List<String> layers = consecutive(t, "fc");
        if (layers.isEmpty() || !t.containsKey(out + ".weight")) {
            return null;
        }
        layers.add(out);
        Set<String> allowed = tensorsOf(layers);
        for (String e : extra) {
            if (!t.containsKey(e + ".weight")) {
                return null;
            }
            allowed.add(e + ".weight");
            allowed.add(e + ".bias");
        }
        boolean hasBuffers = t.containsKey("action_scale") && t.containsKey("action_bias");
        if (buffers != hasBuffers) {
            return null;
        }
        allowed.add("action_scale");
        allowed.add("action_bias");
        if (!allowed.containsAll(t.keySet())) {
            return null;
        }
        double[] low = null;
        double[] high = null;
        if (buffers) {
            double[] scale = vector(t.get("action_scale"));
            double[] bias = vector(t.get("action_bias"));
            if (scale == null || bias == null || scale.length != bias.length) {
                return null;
            }
            low = new double[scale.length];
            high = new double[scale.length];
            for (int i = 0; i < scale.length; i++) {
                low[i] = bias[i] - scale[i];
                high[i] = bias[i] + scale[i];
            }
        }
        return new Match(name, layers, HeadType.TANH, low, high, ignoredWhy == null ? List.of() : List.of(ignoredWhy),
                "ReLU");
    }

    /** A 1-D floating tensor as doubles, or null. */
    private static double[] vector(Tensor t) {
        if (t == null || !t.isFloat() || t.rank() != 1) {
            return null;
        }
        double[] r = new double[t.data().length];
        for (int i = 0; i < r.length; i++) {
            r[i] = t.data()[i];
        }
        return r;
    }

    /** {@code <base>1, <base>2, ...} having a {@code .weight}, as long as they are consecutive from 1. */
    private static List<String> consecutive(Map<String, Tensor> t, String base) {
        List<String> r = new ArrayList<>();
        for (int i = 1; t.containsKey(base + i + ".weight"); i++) {
            r.add(base + i);
        }
        return r;
    }

    /**
     * Prefixes {@code <base>0, <base>2, <base>4, ...} having a {@code .weight}: Linear layers of an
     * {@code nn.Sequential} that alternates Linear and a parameter-free activation. Null when there
     * is none, or when the indices are not 0, 2, 4, ... (another module in between).
     */
    private static List<String> everyOther(Map<String, Tensor> t, String base) {
        Pattern p = Pattern.compile(Pattern.quote(base) + "(\\d{1,6})\\.(weight|bias)");
        TreeMap<Integer, String> found = new TreeMap<>();
        for (String k : t.keySet()) {
            Matcher m = p.matcher(k);
            if (m.matches()) {
                found.put(Integer.parseInt(m.group(1)), base + m.group(1));
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        int expected = 0;
        for (Map.Entry<Integer, String> e : found.entrySet()) {
            if (e.getKey() != expected || !t.containsKey(e.getValue() + ".weight")) {
                return null;
            }
            expected += 2;
        }
        return new ArrayList<>(found.values());
    }

    private static boolean hasAnyUnder(Map<String, Tensor> t, String base) {
        for (String k : t.keySet()) {
            if (k.startsWith(base)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> tensorsOf(List<String> layers) {
        Set<String> s = new HashSet<>();
        for (String l : layers) {
            s.add(l + ".weight");
            s.add(l + ".bias");
        }
        return s;
    }

    private static List<String> ignoredOutside(Map<String, Tensor> t, List<String> layers, String what) {
        Set<String> used = tensorsOf(layers);
        long n = t.keySet().stream().filter(k -> !used.contains(k)).count();
        return n == 0 ? List.of() : List.of(n + " tensors: " + what);
    }
}
