package org.spikerl.diagnose;

import java.util.ArrayList;
import java.util.List;
import org.spikerl.actor.Actor;
import org.spikerl.actor.AnnController;
import org.spikerl.control.Controller;
import org.spikerl.control.EpisodeRunner;
import org.spikerl.convert.CalibrationSet;
import org.spikerl.env.VectorEnv;
import org.spikerl.snn.SnnController;
import org.spikerl.snn.SpikingActor;

/** The three views of a conversion's error; each method is a pure function of its inputs. */
public final class Diagnosis {
    private Diagnosis() {
    }

    /**
     * Rate error of one hidden layer over the replayed states: {@code rate_j = (sum_t x_j(t)) / T}
     * against the ANN's {@code a_j = ReLU(z_j)} on the same state, over states and neurons.
     *
     * @param meanAbsError {@code mean |rate - a|}
     * @param rmse {@code sqrt(mean (rate - a)^2)}
     * @param meanSignedError {@code mean (rate - a)}: what bias calibration removes
     * @param relativeError {@code sum |rate - a| / sum a}
     * @param eventsPerNeuronTimestep spike events / (neurons * T * states)
     */
    public record LayerError(int layer, String neuron, int neurons, double meanAbsError, double rmse,
                             double meanSignedError, double relativeError, double eventsPerNeuronTimestep) {
    }

    /**
     * Replays {@code states} calibration states in order (residual carried, as at run time) and
     * measures every hidden layer's rate error.
     */
    public static List<LayerError> layerErrors(SpikingActor net, CalibrationSet set, int states) {
        int n = Math.min(states, set.size());
        int hidden = net.hiddenLayers();
        SnnController c = new SnnController(net);
        c.reset();
        int in = net.actor().observationSize();
        double[] action = new double[net.actor().actionSize()];
        double[] abs = new double[hidden];
        double[] sq = new double[hidden];
        double[] signed = new double[hidden];
        double[] target = new double[hidden];
        long[] events = new long[hidden];
        float[][] emitted = new float[hidden][];
        for (int l = 0; l < hidden; l++) {
            emitted[l] = new float[set.neurons(l)];
        }
        double t = net.timesteps();
        for (int k = 0; k < n; k++) {
            c.actOnInput(set.inputs(), k * in, action);
            for (int l = 0; l < hidden; l++) {
                c.layer(l).emitted(emitted[l]);
                int out = set.neurons(l);
                float[] z = set.preActivations(l);
                int[] counts = c.layer(l).spikeCounts();
                for (int j = 0; j < out; j++) {
                    double a = Math.max(0f, z[k * out + j]);
                    double d = emitted[l][j] / t - a;
                    abs[l] += Math.abs(d);
                    sq[l] += d * d;
                    signed[l] += d;
                    target[l] += a;
                    events[l] += counts[j];
                }
            }
        }
        List<LayerError> out = new ArrayList<>();
        for (int l = 0; l < hidden; l++) {
            double m = (double) n * set.neurons(l);
            out.add(new LayerError(l + 1, net.neuron(l).spec(), set.neurons(l), abs[l] / m, Math.sqrt(sq[l] / m),
                    signed[l] / m, target[l] > 0 ? abs[l] / target[l] : Double.NaN, events[l] / (m * t)));
        }
        return out;
    }

    /**
     * Along a recorded ANN trajectory ({@code observations}, in order, the SNN's residual carried):
     * per control step, the Euclidean distance between the SNN's and the ANN's action.
     */
    public static double[] actionErrors(SpikingActor net, double[][] observations) {
        Actor actor = net.actor();
        AnnController ann = new AnnController(actor);
        SnnController snn = new SnnController(net);
        snn.reset();
        double[] a = new double[actor.actionSize()];
        double[] s = new double[actor.actionSize()];
        double[] err = new double[observations.length];
        for (int k = 0; k < observations.length; k++) {
            ann.act(observations[k], a);
            snn.act(observations[k], s);
            double e = 0;
            for (int i = 0; i < a.length; i++) {
                e += (s[i] - a[i]) * (s[i] - a[i]);
            }
            err[k] = Math.sqrt(e);
        }
        return err;
    }

    /** One episode of a controller: its observations (acted on, in order), return and how it ended. */
    public record Trajectory(List<double[]> observations, double ret, boolean terminated) {
        public int length() {
            return observations.size();
        }
    }

    /**
     * Runs one episode of {@code c} in slot 0 of {@code env}, reset with {@code seed}: the one
     * episode loop ({@link EpisodeRunner}), its observed-state hook collecting the observations
     * acted on.
     */
    public static Trajectory record(VectorEnv env, Controller c, long seed) {
        List<double[]> seen = new ArrayList<>();
        EpisodeRunner.Result r = EpisodeRunner.run(env, c, 1, seed, new EpisodeRunner.Listener() {
            @Override
            public void observed(int episode, long episodeSeed, int step, double[] observation) {
                seen.add(observation.clone());
            }
        });
        EpisodeRunner.Episode e = r.episodes().get(0);
        return new Trajectory(seen, e.ret(), e.terminated());
    }

    /**
     * Where two closed-loop trajectories from the same seed part.
     *
     * @param gap per common step, {@code ||o_snn - o_ann|| / (1 + ||o_ann||)}
     * @param partStep first step whose gap exceeds the tolerance, or -1 if none does
     */
    public record Divergence(long seed, double annReturn, int annLength, boolean annTerminated, double snnReturn,
                             int snnLength, boolean snnTerminated, double[] gap, int partStep) {
    }

    /** Compares the ANN's and the SNN's episodes from {@code seed}; they part at the first gap above {@code tolerance}. */
    public static Divergence divergence(VectorEnv env, SpikingActor net, long seed, double tolerance) {
        Trajectory ann = record(env, new AnnController(net.actor()), seed);
        Trajectory snn = record(env, new SnnController(net), seed);
        int n = Math.min(ann.length(), snn.length());
        double[] gap = new double[n];
        int part = -1;
        for (int k = 0; k < n; k++) {
            double[] x = ann.observations().get(k);
            double[] y = snn.observations().get(k);
            double d = 0;
            double norm = 0;
            for (int i = 0; i < x.length; i++) {
                d += (y[i] - x[i]) * (y[i] - x[i]);
                norm += x[i] * x[i];
            }
            gap[k] = Math.sqrt(d) / (1 + Math.sqrt(norm));
            if (part < 0 && gap[k] > tolerance) {
                part = k;
            }
        }
        if (part < 0 && ann.length() != snn.length()) {
            part = n; // one episode ended (a fall) before the gap passed the tolerance
        }
        return new Divergence(seed, ann.ret(), ann.length(), ann.terminated(), snn.ret(), snn.length(),
                snn.terminated(), gap, part);
    }
}
