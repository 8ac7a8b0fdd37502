/**
 * Everything that needs libtorch, through DJL's PyTorch engine started offline: reading the
 * parameters of TorchScript modules ({@link org.spikerl.actor.io.djl.TorchScriptReader}) and a
 * reference forward pass computed by libtorch ({@link org.spikerl.actor.io.djl.DjlForward}) for
 * cross-checks and latency comparisons. Nothing outside this package imports DJL.
 */
package org.spikerl.actor.io.djl;
