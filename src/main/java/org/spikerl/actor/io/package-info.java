/**
 * Importers that turn actor files into {@link org.spikerl.actor.Actor}: one entry point,
 * {@link org.spikerl.actor.io.ActorLoader}, which tells PyTorch state dicts, Stable-Baselines3
 * zips, TorchScript modules and safetensors files apart by content, finds the actor's layers by
 * key layout and attaches the head and observation normalisation. Pure Java except TorchScript,
 * which is read through {@code org.spikerl.actor.io.djl}, loaded only when needed.
 */
package org.spikerl.actor.io;
