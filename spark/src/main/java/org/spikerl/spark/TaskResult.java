package org.spikerl.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a task sends back: for each of its rows the raw numbers as the sweep journal stores them
 * (per-episode returns, lengths, operation counts; {@code SweepJournal.toJson}), never derived
 * statistics, plus where and how it ran and the versions of its Python environment.
 */
record TaskResult(List<Integer> rows, List<String> rowsJson, Map<String, String> versions, int attempt,
                  String executor, String host, double seconds) implements Serializable {
    private static final long serialVersionUID = 1L;
}
