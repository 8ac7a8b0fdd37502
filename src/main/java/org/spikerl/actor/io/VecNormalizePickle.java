package org.spikerl.actor.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import org.spikerl.SpikerlException;
import org.spikerl.actor.ObservationNorm;

/**
 * Reads the observation statistics of a Stable-Baselines3 {@code VecNormalize} pickle
 * ({@code VecNormalize.save}, the RL Zoo's {@code vecnormalize.pkl}) without Python and without
 * running anything from the file.
 *
 * <p>The pickle rebuilds a {@code VecNormalize} object ({@code NEWOBJ}, then {@code BUILD} with its
 * {@code __dict__}): {@code obs_rms} (a {@code RunningMeanStd} whose {@code mean} and {@code var}
 * are numpy arrays), {@code epsilon}, {@code clip_obs}, {@code norm_obs}. Here every Python global
 * is an inert name: calling one records the call ({@link PyObject}) and {@code BUILD} records the
 * state; nothing is imported, constructed or executed, and opcodes that reach outside the pickle
 * (persistent ids, extension registry, out-of-band buffers, protocol-0 instances) are refused. The
 * numpy arrays are then decoded from the recorded calls, in either form numpy pickles them:
 * {@code numpy.core.multiarray._reconstruct} plus state (protocols 2-4) or
 * {@code numpy.core.numeric._frombuffer} (protocol 5); {@code numpy._core} (numpy 2) too. Only
 * 1-D float64 / float32 arrays are accepted.
 *
 * <p>The statistics give SPEC section 2's {@code clip((o - mean) / sqrt(var + eps), -clip_obs,
 * clip_obs)}, which is what {@code VecNormalize.normalize_obs} computes.
 */
final class VecNormalizePickle {
    /** VecNormalize pickles are a few KB; this bounds what is read. */
    static final long MAX_BYTES = 64L << 20;

    private static final String EXPECTED = "expected a Stable-Baselines3 VecNormalize pickle (VecNormalize.save,"
            + " the RL Zoo's vecnormalize.pkl)";

    private VecNormalizePickle() {
    }

    /** A recorded call of a Python global, with the state a later {@code BUILD} gave it. */
    static final class PyObject {
        final String type;
        final Object[] args;
        Object state;

        PyObject(String type, Object[] args) {
            this.type = type;
            this.args = args;
        }
    }

    /** A Python global, never resolved: calling it yields a {@link PyObject}. */
    record PyGlobal(String qualifiedName) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            return new PyObject(qualifiedName, args);
        }
    }

    /** True when {@code head} starts like a pickle (protocol 2 or later). */
    static boolean looksLike(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x80 && head[1] >= 2 && head[1] <= 5;
    }

    /**
     * The statistics in {@code bytes}, or {@code null} when the VecNormalize did not normalise
     * observations ({@code norm_obs=False}).
     *
     * @param where the file, first word of every error
     */
    static ObservationNorm read(String where, byte[] bytes) {
        Object top;
        InertUnpickler u = new InertUnpickler();
        try {
            top = u.load(new ByteArrayInputStream(bytes));
        } catch (PickleException | IOException | ClassCastException | IndexOutOfBoundsException
                | IllegalArgumentException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : ZipArchive.oneLine(e.getMessage());
            throw new SpikerlException(where + ": truncated or unreadable pickle (" + why + "); " + EXPECTED, e);
        } finally {
            u.close();
        }
        if (!(top instanceof PyObject vn) || !isVecNormalize(vn.type)) {
            throw new SpikerlException(where + ": the pickle holds " + describe(top) + "; " + EXPECTED);
        }
        Map<?, ?> state = dict(where, "the VecNormalize state", vn.state);
        Object normObs = state.get("norm_obs");
        if (Boolean.FALSE.equals(normObs)) {
            return null;
        }
        Object rmsObj = state.get("obs_rms");
        if (rmsObj instanceof Map<?, ?>) {
            throw new SpikerlException(where + ": obs_rms is a dict (a Dict observation space); expected one"
                    + " RunningMeanStd for a Box observation");
        }
        if (!(rmsObj instanceof PyObject rms) || !rms.type.endsWith(".RunningMeanStd")) {
            throw new SpikerlException(where + ": field obs_rms is " + describe(rmsObj)
                    + "; expected a RunningMeanStd with mean and var");
        }
        Map<?, ?> rmsState = dict(where, "obs_rms", rms.state);
        double[] mean = array(where, "obs_rms.mean", rmsState.get("mean"));
        double[] var = array(where, "obs_rms.var", rmsState.get("var"));
        if (mean.length != var.length) {
            throw new SpikerlException(where + ": obs_rms.mean has " + mean.length + " entries but obs_rms.var has "
                    + var.length + "; expected one of each per observation entry");
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new SpikerlException(where + ": obs_rms.mean[" + i + "] is " + mean[i] + "; expected finite statistics");
            }
            if (!Double.isFinite(var[i]) || var[i] < 0) {
                throw new SpikerlException(where + ": obs_rms.var[" + i + "] is " + var[i]
                        + "; expected finite statistics with var >= 0");
            }
        }
        double eps = scalar(where, "epsilon", state.get("epsilon"), ObservationNorm.DEFAULT_EPS);
        double clip = scalar(where, "clip_obs", state.get("clip_obs"), ObservationNorm.DEFAULT_CLIP);
        if (!(eps > 0) || !(clip > 0) || Double.isInfinite(eps)) {
            throw new SpikerlException(where + ": epsilon and clip_obs must be > 0, got " + eps + ", " + clip);
        }
        return new ObservationNorm(mean, var, eps, clip);
    }

    private static boolean isVecNormalize(String type) {
        return type.startsWith("stable_baselines3.") && type.endsWith(".VecNormalize");
    }

    private static String describe(Object o) {
        if (o instanceof PyObject p) {
            return "a " + p.type;
        }
        if (o instanceof PyGlobal g) {
            return "the name " + g.qualifiedName();
        }
        return o == null ? "None" : "a " + o.getClass().getSimpleName();
    }

    private static Map<?, ?> dict(String where, String what, Object state) {
        if (!(state instanceof Map<?, ?> m)) {
            throw new SpikerlException(where + ": " + what + " is " + describe(state) + "; expected a dict of fields");
        }
        return m;
    }

    private static double scalar(String where, String field, Object v, double dflt) {
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof PyObject p && p.type.endsWith("multiarray.scalar") && p.args.length == 2
                && p.args[1] instanceof byte[] raw) {
            double[] d = decode(where, field, p.args[0], raw, 1);
            return d[0];
        }
        throw new SpikerlException(where + ": field " + field + " is " + describe(v) + "; expected a number");
    }

    /** A 1-D numpy float array, in either of numpy's pickled forms. */
    private static double[] array(String where, String field, Object o) {
        if (o instanceof PyObject p && p.type.endsWith("multiarray._reconstruct") && p.state instanceof Object[] s
                && s.length == 5) {
            // state: (version, shape, dtype, is_fortran, raw bytes)
            int n = length(where, field, s[1]);
            if (!(s[4] instanceof byte[] raw)) {
                throw new SpikerlException(where + ": field " + field + " holds Python objects; expected a float array");
            }
            return decode(where, field, s[2], raw, n);
        }
        if (o instanceof PyObject p && p.type.endsWith("numeric._frombuffer") && p.args.length >= 3
                && p.args[0] instanceof byte[] raw) {
            // args: (buffer, dtype, shape, order)
            return decode(where, field, p.args[1], raw, length(where, field, p.args[2]));
        }
        throw new SpikerlException(where + ": field " + field + " is " + describe(o) + "; expected a numpy array");
    }

    private static int length(String where, String field, Object shape) {
        if (!(shape instanceof Object[] dims) || dims.length != 1 || !(dims[0] instanceof Number n)
                || n.longValue() < 1 || n.longValue() > 1_000_000) {
            throw new SpikerlException(where + ": field " + field + " has shape " + shapeText(shape)
                    + "; expected a 1-D array");
        }
        return n.intValue();
    }

    private static String shapeText(Object shape) {
        return shape instanceof Object[] dims ? java.util.Arrays.toString(dims) : String.valueOf(shape);
    }

    /** Values of a float64 or float32 dtype ({@code numpy.dtype('f8')} with byte order from its state). */
    private static double[] decode(String where, String field, Object dtype, byte[] raw, int n) {
        if (!(dtype instanceof PyObject d) || !d.type.equals("numpy.dtype") && !d.type.endsWith(".dtype")
                || d.args.length < 1 || !(d.args[0] instanceof String code)) {
            throw new SpikerlException(where + ": field " + field + " has dtype " + describe(dtype)
                    + "; expected float64 or float32");
        }
        int size = switch (code) {
            case "f8" -> 8;
            case "f4" -> 4;
            default -> throw new SpikerlException(where + ": field " + field + " has dtype " + code
                    + "; expected float64 (f8) or float32 (f4)");
        };
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (d.state instanceof Object[] s && s.length > 1 && ">".equals(s[1])) {
            order = ByteOrder.BIG_ENDIAN;
        }
        if ((long) n * size != raw.length) {
            throw new SpikerlException(where + ": field " + field + " has " + raw.length + " bytes of data; expected "
                    + (long) n * size + " (" + n + " values of " + size + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = size == 8 ? b.getDouble(8 * i) : b.getFloat(4 * i);
        }
        return r;
    }

    /** Pyrolite's unpickler with every global inert and {@code BUILD} recorded, never applied. */
    private static final class InertUnpickler extends LocalGlobalsUnpickler {

        @Override
        Object global(String module, String name) {
            return new PyGlobal(module + "." + name);
        }

        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case Opcodes.EMPTY_DICT -> stack.add(new HashMap<Object, Object>());
                case Opcodes.BUILD -> {
                    Object state = stack.pop();
                    Object target = stack.peek();
                    if (!(target instanceof PyObject p)) {
                        throw new PickleException("BUILD applied to " + describe(target));
                    }
                    p.state = state;
                }
                case Opcodes.INST, Opcodes.OBJ, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4, Opcodes.PERSID,
                        Opcodes.BINPERSID, Opcodes.NEXT_BUFFER, Opcodes.READONLY_BUFFER ->
                    throw new PickleException("opcode 0x" + Integer.toHexString(key & 0xff)
                            + " is not allowed in a statistics pickle");
                default -> {
                    return super.dispatch(key);
                }
            }
            return NO_RETURN_VALUE;
        }
    }
}
