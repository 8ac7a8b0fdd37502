package org.spikerl.snn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.spikerl.SpikerlException;

/**
 * Which {@link NeuronModel} each hidden layer uses: one model for every layer ({@code "mt:2"}), or
 * one per hidden layer, first to last ({@code "if,mt:3"}).
 *
 * <p>Why per layer: a spike event of hidden layer {@code l} costs {@code out_(l+1)} SOPs, so the
 * events of the last hidden layer, which feeds the few action outputs, are almost free, while those
 * of the layers feeding a wide layer are what the SNN's energy is made of (SPEC 7, 10). Graded
 * neurons where they are cheap and binary ones where they are dear buy accuracy without energy.
 *
 * @param layers one model (for every hidden layer) or one per hidden layer
 */
public record NeuronPlan(List<NeuronModel> layers) {
    /** IF neurons everywhere: the converter of SPEC 3. */
    public static final NeuronPlan IF = uniform(NeuronModel.IF);

    public NeuronPlan {
        if (layers == null || layers.isEmpty() || layers.stream().anyMatch(java.util.Objects::isNull)) {
            throw new SpikerlException("neuron plan: expected one neuron model, or one per hidden layer");
        }
        layers = List.copyOf(layers);
    }

    /** The same model in every hidden layer. */
    public static NeuronPlan uniform(NeuronModel m) {
        return new NeuronPlan(List.of(m));
    }

    /** {@code first} in every hidden layer but the last, {@code last} in the last one ({@code hidden >= 1}). */
    public static NeuronPlan lastLayer(NeuronModel first, NeuronModel last, int hidden) {
        List<NeuronModel> l = new ArrayList<>();
        for (int i = 0; i < hidden - 1; i++) {
            l.add(first);
        }
        l.add(last);
        return hidden == 1 || first.equals(last) ? uniform(last) : new NeuronPlan(l);
    }

    /** Parses {@code MODEL} or {@code MODEL,MODEL,...} (models as {@link NeuronModel#parse}). */
    public static NeuronPlan parse(String text) {
        String s = text == null ? "" : text.trim();
        List<NeuronModel> l = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            l.add(NeuronModel.parse(part));
        }
        return new NeuronPlan(l);
    }

    /**
     * The plan's firing period: the least common multiple of its models' periods (1 when every layer
     * fires at every timestep); the timesteps {@code P, 2P, ...} are the ones at which every layer may fire.
     */
    public int period() {
        int p = 1;
        for (NeuronModel m : layers) {
            p = p / gcd(p, m.period()) * m.period();
        }
        return p;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** True if one model serves every layer. */
    public boolean isUniform() {
        return layers.size() == 1;
    }

    /** The model of hidden layer {@code l} (0-based) of a network with {@code hidden} hidden layers. */
    public NeuronModel layer(int l, int hidden) {
        check(hidden);
        return layers.get(isUniform() ? 0 : l);
    }

    /** Refuses a per-layer plan whose length is not the number of hidden layers. */
    public void check(int hidden) {
        if (!isUniform() && layers.size() != hidden) {
            throw new SpikerlException("neuron plan " + spec() + " names " + layers.size()
                    + " hidden layers, but the actor has " + hidden);
        }
    }

    /** {@code "mt:2"} or {@code "if,mt:3"}; {@code parse(spec())} equals this plan. */
    public String spec() {
        return layers.stream().map(NeuronModel::spec).collect(Collectors.joining(","));
    }
}
