/**
 * The embeddable API: {@link org.spikerl.embed.SpikingPolicy} loads a converted-controller file
 * and runs it in a caller's control loop ({@code act}, {@code reset}, {@code copy}, the network's
 * settings, operation and energy counters), without Python, Py4J or DJL at run time and without
 * allocating per control step. Depends on the core packages ({@code actor}, {@code snn},
 * {@code energy}, {@code control}) and Jackson only.
 */
package org.spikerl.embed;
