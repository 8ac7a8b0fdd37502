package org.spikerl.results.format;

/**
 * The version of the results formats: {@code summary.json} and {@code sweep.json} hold it as
 * {@code format_version}; the CSV files of the same folder follow the same version. Fields and
 * columns are only ever added, never renamed or dropped, so a reader of version 1 reads version 2.
 *
 * <p>Version 1 (no {@code format_version} field): summary.json, episodes.csv {@code episode, seed,
 * return, length}, sweep.csv/json/md. Version 2: intervals and interquartile means, per-episode
 * terminated/truncated/wall time/SOPs/spikes, the ANN comparison in {@code eval --snn},
 * {@code sweep_episodes.csv}, typed JSON grid values and full-precision CSV numbers.
 */
public final class Formats {
    public static final int VERSION = 2;

    private Formats() {
    }
}
