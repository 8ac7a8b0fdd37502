package org.spikerl.actor;

import java.util.Arrays;
import org.spikerl.SpikerlException;
import org.spikerl.env.BoxSpace;
import org.spikerl.env.EnvSpec;

/**
 * The one check that an actor can drive an environment, used by the importers (before the head
 * is built, so that an actor for another task reads as such and not as bounds of the wrong size)
 * and by {@link Actor#checkFits(EnvSpec)}: observation and action sizes equal, and the head's
 * action range equal to the environment's finite bounds within {@link #BOUNDS_TOLERANCE}.
 */
public final class EnvFit {
    /**
     * Relative tolerance for two action bounds to count as equal: Stable-Baselines3 and
     * Gymnasium store bounds in float32 (relative rounding 6e-8), CleanRL stores
     * {@code (high - low) / 2} as a float32 buffer.
     */
    public static final double BOUNDS_TOLERANCE = 1e-6;

    private EnvFit() {
    }

    /**
     * @param where what the message starts with (the actor file, or the actor's source)
     * @throws SpikerlException naming both sizes and the env when they differ
     */
    public static void checkSizes(String where, int observations, int actions, EnvSpec env) {
        int envObs = env.observationSpace().size();
        int envAct = env.actionSpace().size();
        if (observations != envObs || actions != envAct) {
            throw new SpikerlException(where + ": the actor takes " + observations + " observations and outputs "
                    + actions + " actions but " + env.id() + " gives " + envObs + " observations and takes " + envAct
                    + " actions; is it an actor for another environment?");
        }
    }

    /**
     * Checks that the actor's action range {@code [low, high]} equals the env's bounds; an
     * infinite env bound accepts any range.
     */
    public static void checkRange(String where, double[] low, double[] high, EnvSpec env) {
        BoxSpace box = env.actionSpace();
        for (int i = 0; i < low.length; i++) {
            if (!sameBound(low[i], box.low()[i], true) || !sameBound(high[i], box.high()[i], true)) {
                throw new SpikerlException(where + ": the actor maps to actions in low " + Arrays.toString(low)
                        + " high " + Arrays.toString(high) + " but " + env.id() + " has low "
                        + Arrays.toString(box.low()) + " high " + Arrays.toString(box.high()));
            }
        }
    }

    /** Whether two sets of bounds are equal within {@link #BOUNDS_TOLERANCE} (infinities must match exactly). */
    public static boolean sameBounds(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!sameBound(a[i], b[i], false)) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBound(double actor, double env, boolean infiniteEnvAcceptsAny) {
        if (actor == env || (infiniteEnvAcceptsAny && Double.isInfinite(env))) {
            return true;
        }
        return Math.abs(actor - env) <= BOUNDS_TOLERANCE * Math.max(1.0, Math.abs(env));
    }
}
