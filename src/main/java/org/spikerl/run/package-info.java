/**
 * Jobs that tie the pieces together: an {@link org.spikerl.run.EvalConfig} (one configuration
 * shape for CLI, API and configs, with its defaults) and the {@link org.spikerl.run.Evaluation}
 * that starts the bridge, loads and converts the actor, runs the episodes and writes the results;
 * the {@link org.spikerl.run.EnvSession} every job starts with (backend, vector env, actor, fit
 * check); also the SNN options and the loop benchmark.
 */
package org.spikerl.run;
