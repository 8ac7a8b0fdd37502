package org.spikerl.actor;

/**
 * Maps the output layer's {@code y} to an action (SPEC section 2). Shared by the ANN and the SNN
 * controllers so the two differ only in how {@code y} is computed.
 */
public sealed interface ActionHead permits ActionHead.Tanh, ActionHead.Clip {

    int size();

    /** Writes {@code head(y)} into {@code action}; allocates nothing. */
    void apply(float[] y, double[] action);

    /**
     * {@code tanh(y) * scale + bias} for TD3, SAC and DDPG actors, with
     * {@code scale = (high - low) / 2} and {@code bias = (high + low) / 2}.
     */
    record Tanh(double[] scale, double[] bias) implements ActionHead {
        public Tanh {
            if (scale.length != bias.length) {
                throw new IllegalArgumentException("tanh head: scale and bias sizes differ");
            }
        }

        public static Tanh fromBounds(double[] low, double[] high) {
            double[] s = new double[low.length];
            double[] b = new double[low.length];
            for (int i = 0; i < low.length; i++) {
                s[i] = (high[i] - low[i]) / 2.0;
                b[i] = (high[i] + low[i]) / 2.0;
            }
            return new Tanh(s, b);
        }

        @Override
        public int size() {
            return scale.length;
        }

        @Override
        public void apply(float[] y, double[] action) {
            for (int i = 0; i < scale.length; i++) {
                action[i] = Math.tanh(y[i]) * scale[i] + bias[i];
            }
        }
    }

    /** {@code clip(y, low, high)} for PPO actors. */
    record Clip(double[] low, double[] high) implements ActionHead {
        public Clip {
            if (low.length != high.length) {
                throw new IllegalArgumentException("clip head: low and high sizes differ");
            }
        }

        @Override
        public int size() {
            return low.length;
        }

        @Override
        public void apply(float[] y, double[] action) {
            for (int i = 0; i < low.length; i++) {
                action[i] = Math.max(low[i], Math.min(high[i], y[i]));
            }
        }
    }
}
