/**
 * ANN-to-SNN conversion, staged as SPEC section 4 reads: observe activations
 * ({@link org.spikerl.convert.CalibrationSet}), calibrate thresholds
 * ({@link org.spikerl.convert.ThresholdMethod}), estimate the readout delay
 * ({@link org.spikerl.convert.DelayEstimator}, SPEC section 5) and build the spiking network
 * ({@link org.spikerl.convert.Converter}) from one {@link org.spikerl.convert.ConversionConfig}.
 * Imports nothing from the bridge or the CLI.
 */
package org.spikerl.convert;
