/**
 * What a run leaves on disk: the {@link org.spikerl.results.Summary} numbers, the
 * {@link org.spikerl.results.Provenance} that says where they came from, and the
 * {@link org.spikerl.results.RunDirectory} that writes them atomically (a staging folder renamed
 * into place), so a results folder is either whole or absent.
 */
package org.spikerl.results;
