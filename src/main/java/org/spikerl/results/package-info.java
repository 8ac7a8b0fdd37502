/**
 * The results model and what a run leaves on disk. A run's numbers are summarised once, from the
 * episode loop's result and the actor's operation counts, into a
 * {@link org.spikerl.results.RunSummary} (returns with their {@link org.spikerl.results.Bootstrap}
 * intervals, {@link org.spikerl.results.EnergyStats} per preset, spike rates); an SNN against its
 * ANN on the same seeds is a {@link org.spikerl.results.Comparison}; a sweep is a
 * {@link org.spikerl.results.SweepResult} of {@link org.spikerl.results.SweepCell}s. The writers in
 * {@link org.spikerl.results.format} read only this model. {@link org.spikerl.results.Provenance}
 * says where the numbers came from, and {@link org.spikerl.results.RunDirectory} writes them
 * atomically (a staging folder renamed into place), so a results folder is either whole or absent.
 */
package org.spikerl.results;
