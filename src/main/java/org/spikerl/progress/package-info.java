/**
 * Terminal progress for the long parts of a run (calibration, tuning, sweep rows, episodes):
 * {@link org.spikerl.progress.Progress}, silent when the output is not a terminal.
 */
package org.spikerl.progress;
