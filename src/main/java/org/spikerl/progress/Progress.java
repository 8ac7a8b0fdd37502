package org.spikerl.progress;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.spikerl.env.EnvSpec;
import org.spikerl.env.StepBatch;
import org.spikerl.env.VectorEnv;

/**
 * Terminal progress bars (the progressbar library: count of total, rate, ETA) for the long parts
 * of a run: calibration rollouts, sweep rows, episodes. Nothing at all when the output is not a
 * terminal ({@code System.console()} is null: pipes, files, CI, tests), so logs stay clean.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** True when bars are drawn: standard output and error are a terminal. */
    public static boolean onTerminal() {
        return System.console() != null;
    }

    /** A bar "task i/max" with an ETA, or a silent stand-in when {@code enabled} is false. */
    public static Progress bar(boolean enabled, String task, long max) {
        if (!enabled) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build());
    }

    /** {@link #bar(boolean, String, long)} on the terminal only. */
    public static Progress bar(String task, long max) {
        return bar(onTerminal(), task, max);
    }

    public void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    public void message(String extra) {
        if (bar != null) {
            bar.setExtraMessage(extra);
        }
    }

    /**
     * {@code env} with this bar advanced by one per slot stepped: for loops that count control
     * steps (calibration rollouts) and know nothing of progress.
     */
    public VectorEnv counting(VectorEnv env) {
        if (bar == null) {
            return env;
        }
        return new VectorEnv() {
            @Override
            public EnvSpec spec() {
                return env.spec();
            }

            @Override
            public int size() {
                return env.size();
            }

            @Override
            public void reset(boolean[] mask, long[] seeds, double[] obsOut) {
                env.reset(mask, seeds, obsOut);
            }

            @Override
            public void step(boolean[] mask, double[] actions, StepBatch out) {
                env.step(mask, actions, out);
                long n = 0;
                for (boolean m : mask) {
                    n += m ? 1 : 0;
                }
                stepBy(n);
            }

            @Override
            public void close() {
                // The caller owns env; the wrapper only watches it.
            }
        };
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
