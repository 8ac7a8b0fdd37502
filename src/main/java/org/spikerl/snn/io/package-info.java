/**
 * The converted-controller file ({@link org.spikerl.snn.io.ControllerFile}): a converted spiking
 * actor with its provenance in one versioned, checksummed file (magic bytes, a JSON header,
 * little-endian tensors, a SHA-256 trailer; {@code docs/controller-format.md}), written atomically
 * and read with every size checked against the bytes present before anything is allocated.
 * Needs Jackson and the core packages only; imports nothing from the bridge, the CLI, DJL or Py4J.
 */
package org.spikerl.snn.io;
