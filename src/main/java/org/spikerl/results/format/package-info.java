/**
 * Writers of the results model, one class per output: {@code summary.json}
 * ({@link org.spikerl.results.format.SummaryJson}), {@code episodes.csv}
 * ({@link org.spikerl.results.format.EpisodesCsv}), the table {@code eval} prints
 * ({@link org.spikerl.results.format.EvalReport}), {@code sweep.csv}, {@code sweep_episodes.csv},
 * {@code sweep.json}, {@code sweep.md} and the sweep's plots. Each is tested against a golden file
 * (src/test/resources/golden). Field and column names are only added, never renamed; the format
 * version is {@link org.spikerl.results.format.Formats#VERSION}.
 */
package org.spikerl.results.format;
