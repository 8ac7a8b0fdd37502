package org.spikerl.actor.io.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.spikerl.actor.Actor;
import org.spikerl.actor.DenseLayer;
import org.spikerl.actor.ObservationNorm;

/**
 * The ANN forward pass of an {@link Actor} computed by libtorch through DJL, as an independent
 * reference for {@link org.spikerl.actor.Forward} and a latency baseline. Same equations
 * (SPEC section 2): {@code h_0 = norm(o)} (in float64, then float32, as SB3 does in numpy),
 * {@code z_l = linear(h_{l-1}, W_l, b_l)} (libtorch's {@code at::linear}), ReLU between layers,
 * {@code y = z_L}; the action head is the shared Java {@link org.spikerl.actor.ActionHead}.
 *
 * <p>Weights live in one NDManager, closed by {@link #close()}; each call's intermediates live in
 * a sub-manager closed at the end of the call. Not thread-safe.
 */
public final class DjlForward implements AutoCloseable {
    private final Actor actor;
    private final NDManager manager;
    private final NDArray[] weights;
    private final NDArray[] biases;
    private final NDArray normMean;
    private final NDArray normStd;
    private final double normClip;
    private final float[] input;
    private float[] output;

    public DjlForward(Actor actor) {
        DjlRuntime.engine();
        this.actor = actor;
        this.manager = NDManager.newBaseManager(Device.cpu(), DjlRuntime.ENGINE);
        List<DenseLayer> layers = actor.layers();
        weights = new NDArray[layers.size()];
        biases = new NDArray[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer d = layers.get(l);
            weights[l] = manager.create(d.weight(), new Shape(d.out(), d.in()));
            biases[l] = manager.create(d.bias());
        }
        ObservationNorm norm = actor.norm();
        if (norm != null) {
            normMean = manager.create(norm.mean());
            normStd = manager.create(norm.var()).add(norm.eps()).sqrt();
            normClip = norm.clip();
        } else {
            normMean = null;
            normStd = null;
            normClip = 0;
        }
        input = new float[actor.observationSize()];
        output = new float[actor.actionSize()];
    }

    public Actor actor() {
        return actor;
    }

    /** Computes {@code y} for {@code observation}; returns it (also kept in {@link #output()}). */
    public float[] run(double[] observation) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x;
            if (normMean != null) {
                x = step.create(observation).sub(normMean).div(normStd).clip(-normClip, normClip)
                        .toType(DataType.FLOAT32, false);
            } else {
                for (int i = 0; i < input.length; i++) {
                    input[i] = (float) observation[i];
                }
                x = step.create(input);
            }
            for (int l = 0; l < weights.length; l++) {
                x = Linear.linear(x, weights[l], biases[l]).singletonOrThrow();
                if (l < weights.length - 1) {
                    x = Activation.relu(x);
                }
            }
            output = x.toFloatArray();
        }
        return output;
    }

    /** {@code head(y)} into {@code action}. */
    public void act(double[] observation, double[] action) {
        actor.head().apply(run(observation), action);
    }

    /** {@code y} of the last {@link #run}. */
    public float[] output() {
        return output;
    }

    @Override
    public void close() {
        manager.close();
    }
}
