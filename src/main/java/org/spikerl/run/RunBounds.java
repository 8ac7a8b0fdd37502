package org.spikerl.run;

import java.util.Locale;
import org.spikerl.SpikerlException;

/**
 * Limits checked before a run starts, so a mistyped count fails in a second with one line
 * instead of hours later (or out of memory): the episodes a command will run and the rows of a
 * sweep's grid. The user raises them with {@code --max-episodes} and {@code --max-rows}. Also
 * the dry run's estimate of the work.
 *
 * @param maxEpisodes most evaluation episodes one command runs (a sweep: rows x episodes, plus tuning)
 * @param maxRows most grid rows of a sweep
 */
public record RunBounds(long maxEpisodes, long maxRows) {
    public static final long DEFAULT_MAX_EPISODES = 100_000;
    public static final long DEFAULT_MAX_ROWS = 10_000;
    public static final RunBounds DEFAULTS = new RunBounds(DEFAULT_MAX_EPISODES, DEFAULT_MAX_ROWS);
    /** Steps per episode assumed by the estimate: the MuJoCo tasks' time limit. */
    public static final int ASSUMED_STEPS_PER_EPISODE = 1000;
    /**
     * Closed-loop environment steps per second assumed by the estimate: a rough figure for one
     * bridge with 10 environments on one core; the real rate is in each run's summary.
     */
    public static final double ASSUMED_STEPS_PER_SECOND = 2000;

    public RunBounds {
        if (maxEpisodes < 1) {
            throw new SpikerlException("--max-episodes must be >= 1, got " + maxEpisodes);
        }
        if (maxRows < 1) {
            throw new SpikerlException("--max-rows must be >= 1, got " + maxRows);
        }
    }

    /** Refuses more than {@link #maxEpisodes} episodes; {@code what} says where they come from. */
    public void checkEpisodes(long episodes, String what) {
        if (episodes > maxEpisodes) {
            throw new SpikerlException(what + " is " + episodes + " episodes, more than the limit of " + maxEpisodes
                    + " (about " + hours(episodes) + " h); raise it with --max-episodes " + episodes
                    + " if that is meant");
        }
    }

    /** Refuses a grid of more than {@link #maxRows} rows ({@code rows} may be an upper bound). */
    public void checkRows(long rows, String what) {
        if (rows > maxRows) {
            throw new SpikerlException(what + " has " + (rows == Long.MAX_VALUE ? "more than 2^63" : rows)
                    + " rows, more than the limit of " + maxRows + "; raise it with --max-rows if that is meant");
        }
    }

    /** "10 episodes, at most 10000 environment steps, about 0.0 h at 2000 steps/s". */
    public static String estimate(long episodes) {
        return String.format(Locale.ROOT, "%d episodes, at most %d environment steps, about %s h at %.0f steps/s",
                episodes, episodes * ASSUMED_STEPS_PER_EPISODE, hours(episodes), ASSUMED_STEPS_PER_SECOND);
    }

    private static String hours(long episodes) {
        double h = episodes * (double) ASSUMED_STEPS_PER_EPISODE / ASSUMED_STEPS_PER_SECOND / 3600;
        return String.format(Locale.ROOT, h < 10 ? "%.1f" : "%.0f", h);
    }
}
