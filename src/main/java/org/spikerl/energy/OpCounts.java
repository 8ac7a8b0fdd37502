package org.spikerl.energy;

/**
 * Operation counts accumulated over control steps (SPEC section 7). Counting only: pricing is
 * {@link EnergyPreset}'s job. Mutable, owned by one controller; allocates nothing when counting.
 */
public final class OpCounts {
    private final long[] spikesPerLayer;
    private final int[] neuronsPerLayer;
    private long controlSteps;
    private long macs;
    private long sops;
    private long neuronUpdates;
    private long timesteps;

    /** @param neuronsPerLayer hidden neurons of layers 1..L-1 (empty for an ANN) */
    public OpCounts(int[] neuronsPerLayer) {
        this.neuronsPerLayer = neuronsPerLayer.clone();
        this.spikesPerLayer = new long[neuronsPerLayer.length];
    }

    /** A zeroed counter for the same layer sizes. */
    public OpCounts emptyCopy() {
        return new OpCounts(neuronsPerLayer);
    }

    public void addControlStep(long macs, long sops, long neuronUpdates, int timesteps) {
        this.controlSteps++;
        this.macs += macs;
        this.sops += sops;
        this.neuronUpdates += neuronUpdates;
        this.timesteps += timesteps;
    }

    public void addSpikes(int layer, long spikes) {
        spikesPerLayer[layer] += spikes;
    }

    /**
     * A counter with the given totals, e.g. as a results file holds one episode's counts.
     *
     * @param spikesPerLayer spikes of each hidden layer, one per entry of {@code neuronsPerLayer}
     */
    public static OpCounts of(int[] neuronsPerLayer, long controlSteps, long macs, long sops, long neuronUpdates,
                              long timesteps, long[] spikesPerLayer) {
        if (spikesPerLayer.length != neuronsPerLayer.length) {
            throw new IllegalArgumentException("spikes of " + spikesPerLayer.length + " layers for "
                    + neuronsPerLayer.length + " hidden layers");
        }
        OpCounts c = new OpCounts(neuronsPerLayer);
        c.controlSteps = controlSteps;
        c.macs = macs;
        c.sops = sops;
        c.neuronUpdates = neuronUpdates;
        c.timesteps = timesteps;
        System.arraycopy(spikesPerLayer, 0, c.spikesPerLayer, 0, spikesPerLayer.length);
        return c;
    }

    /** A copy of the current totals. */
    public OpCounts copy() {
        OpCounts c = emptyCopy();
        c.add(this);
        return c;
    }

    /** A copy of the current totals with {@code extra} more SOPs. */
    public OpCounts plusSops(long extra) {
        OpCounts c = copy();
        c.sops += extra;
        return c;
    }

    /** What was counted since {@code earlier} (a {@link #copy()} of this counter taken then). */
    public OpCounts since(OpCounts earlier) {
        OpCounts c = copy();
        c.controlSteps -= earlier.controlSteps;
        c.macs -= earlier.macs;
        c.sops -= earlier.sops;
        c.neuronUpdates -= earlier.neuronUpdates;
        c.timesteps -= earlier.timesteps;
        for (int l = 0; l < c.spikesPerLayer.length; l++) {
            c.spikesPerLayer[l] -= earlier.spikesPerLayer[l];
        }
        return c;
    }

    public void clear() {
        controlSteps = macs = sops = neuronUpdates = timesteps = 0;
        java.util.Arrays.fill(spikesPerLayer, 0);
    }

    public long controlSteps() { return controlSteps; }
    public long macs() { return macs; }
    public long sops() { return sops; }
    public long neuronUpdates() { return neuronUpdates; }
    /** Simulation timesteps summed over the counted control steps. */
    public long timesteps() { return timesteps; }
    /** Spikes of hidden layer {@code layer}. */
    public long spikes(int layer) { return spikesPerLayer[layer]; }
    /** Neurons of hidden layer {@code layer}. */
    public int neurons(int layer) { return neuronsPerLayer[layer]; }

    /** Spikes of all hidden layers. */
    public long spikes() {
        long n = 0;
        for (long s : spikesPerLayer) {
            n += s;
        }
        return n;
    }

    public double macsPerStep() { return controlSteps == 0 ? 0 : (double) macs / controlSteps; }
    public double sopsPerStep() { return controlSteps == 0 ? 0 : (double) sops / controlSteps; }
    public double neuronUpdatesPerStep() { return controlSteps == 0 ? 0 : (double) neuronUpdates / controlSteps; }

    /** Spike rate of hidden layer l: spikes / (neurons * T), over all counted control steps. */
    public double spikeRate(int layer) {
        return timesteps == 0 ? 0 : (double) spikesPerLayer[layer] / ((double) neuronsPerLayer[layer] * timesteps);
    }

    /** {@link #spikeRate} of every hidden layer, in order (empty for an ANN). */
    public double[] spikeRates() {
        double[] rates = new double[neuronsPerLayer.length];
        for (int l = 0; l < rates.length; l++) {
            rates[l] = spikeRate(l);
        }
        return rates;
    }

    public int hiddenLayers() { return neuronsPerLayer.length; }

    /** Adds another counter's totals into this one (for merging parallel episodes). */
    public void add(OpCounts o) {
        controlSteps += o.controlSteps;
        macs += o.macs;
        sops += o.sops;
        neuronUpdates += o.neuronUpdates;
        timesteps += o.timesteps;
        for (int l = 0; l < spikesPerLayer.length; l++) {
            spikesPerLayer[l] += o.spikesPerLayer[l];
        }
    }
}
