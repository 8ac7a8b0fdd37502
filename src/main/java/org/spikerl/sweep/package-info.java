/**
 * {@code spikerl sweep}: a YAML config ({@link org.spikerl.sweep.SweepConfig}) names one actor,
 * one environment and a grid of conversions (T, threshold method, delay, alpha, v0); the
 * {@link org.spikerl.sweep.Sweep} evaluates the ANN baseline and every grid point on the same
 * seeds through one bridge and writes the tables (CSV, Markdown, JSON) and the PNG plots.
 */
package org.spikerl.sweep;
