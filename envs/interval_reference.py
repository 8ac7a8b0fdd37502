#!/usr/bin/env python3
"""Reference numbers for org.spikerl.results.Bootstrap, computed independently with numpy.

The case: a Walker2d-like ANN and an SNN on the same ten seeds, the SNN falling once (episode 3).
For it this script computes, with numpy's own generator (PCG64) and numpy.percentile's default
'linear' method (Hyndman and Fan's definition 7):

  * the percentile bootstrap 95% interval of the SNN's mean return and of the paired APR
    (mean SNN / mean ANN, both samples resampled with the same episode indices), as the average
    over REPEATS independent bootstraps of B = 10,000 resamples each (what the Java side draws),
    together with the standard deviation of each end over those repeats: the Monte Carlo error of
    a single 10,000-resample bootstrap, against which the Java interval is checked;
  * the interquartile mean, as scipy.stats.trim_mean(x, 0.25) defines it (a quarter, rounded
    down, cut from each end of the sorted values).

Usage: python envs/interval_reference.py src/test/resources/reference/interval_walker2d.json
"""
import json
import sys

import numpy as np

ANN = [4012.5, 3988.25, 4050.0, 3975.75, 4021.0, 3999.5, 4033.25, 3961.0, 4008.75, 4027.5]
SNN = [3990.0, 3950.5, 4011.25, 905.5, 3998.75, 3970.0, 4002.5, 3940.25, 3985.0, 4010.0]
B = 10_000
REPEATS = 200
LEVEL = 0.95


def bootstrap(rng, stat, n):
    idx = rng.integers(0, n, size=(B, n))
    values = stat(idx)
    tail = (1 - LEVEL) / 2 * 100
    return np.percentile(values, [tail, 100 - tail])


def trim_mean_quarter(x):
    s = np.sort(np.asarray(x, dtype=np.float64))
    cut = int(0.25 * len(s))
    return float(s[cut:len(s) - cut].mean())


def main(out_path):
    ann = np.asarray(ANN, dtype=np.float64)
    snn = np.asarray(SNN, dtype=np.float64)
    n = len(ann)
    rng = np.random.default_rng(20261201)
    mean_ends = np.array([bootstrap(rng, lambda i: snn[i].mean(axis=1), n) for _ in range(REPEATS)])
    apr_ends = np.array([bootstrap(rng, lambda i: snn[i].sum(axis=1) / ann[i].sum(axis=1), n)
                         for _ in range(REPEATS)])
    result = {
        "generated_by": "envs/interval_reference.py (numpy " + np.__version__ + ")",
        "ann_returns": ANN,
        "snn_returns": SNN,
        "resamples": B,
        "repeats": REPEATS,
        "level": LEVEL,
        "snn_mean": float(snn.mean()),
        "apr": float(snn.mean() / ann.mean()),
        "snn_iqm": trim_mean_quarter(SNN),
        "snn_mean_ci95": {"low": float(mean_ends[:, 0].mean()), "high": float(mean_ends[:, 1].mean()),
                          "low_mc_sd": float(mean_ends[:, 0].std(ddof=1)),
                          "high_mc_sd": float(mean_ends[:, 1].std(ddof=1))},
        "apr_ci95": {"low": float(apr_ends[:, 0].mean()), "high": float(apr_ends[:, 1].mean()),
                     "low_mc_sd": float(apr_ends[:, 0].std(ddof=1)),
                     "high_mc_sd": float(apr_ends[:, 1].std(ddof=1))},
    }
    with open(out_path, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
