/**
 * Importers that turn actor files into {@link org.spikerl.actor.Actor}. One entry point,
 * {@link org.spikerl.actor.io.ActorLoader}, asks one reader per format
 * ({@code ActorReader}: Stable-Baselines3 zips, TorchScript modules, {@code torch.save} state
 * dicts, safetensors) which tells its format from the bytes and returns tensors, layout, stored
 * bounds, normalisation and activation; layouts are recognised by their keys
 * ({@code ActorLayouts}); observation statistics are found and read by {@code Normalization}
 * (VecNormalize pickles through a restricted unpickler, JSON). Pure Java except TorchScript,
 * which is read through {@code org.spikerl.actor.io.djl}, loaded only when needed.
 */
package org.spikerl.actor.io;
