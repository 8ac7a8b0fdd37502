/**
 * Where a conversion's error comes from: per layer, the spiking rate against the ANN's activation
 * on recorded states; along an ANN trajectory, the action error per control step; in closed loop,
 * the step at which the SNN's trajectory leaves the ANN's. Numerical core: nothing here knows the
 * bridge or the CLI; closed-loop parts take a {@link org.spikerl.env.VectorEnv}.
 */
package org.spikerl.diagnose;
