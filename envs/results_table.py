#!/usr/bin/env python3
"""Markdown tables from the sweep.json files that `spikerl sweep` wrote (no number is computed
elsewhere than in the sweep, except the bootstrap interval below, which resamples its returns).

  python envs/results_table.py tuned    DIR...   the default (tuned) conversion per actor and T
  python envs/results_table.py ablation DIR...   every mechanism per actor and T

APR interval: 95% paired bootstrap over the evaluation seeds (the same seeds for ANN and SNN),
2000 resamples of the seed set, numpy default_rng(0); percentile interval of
mean(SNN returns) / mean(ANN returns).
"""
import json
import sys
from pathlib import Path

import numpy as np


def load(d):
    s = json.loads((Path(d) / "sweep.json").read_text())
    prov = json.loads((Path(d) / "provenance.json").read_text())
    return s, prov


def apr_interval(ann, snn, resamples=2000):
    ann = np.asarray(ann, dtype=float)
    snn = np.asarray(snn, dtype=float)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(ann), size=(resamples, len(ann)))
    ratios = snn[idx].mean(axis=1) / ann[idx].mean(axis=1)
    return np.percentile(ratios, 2.5), np.percentile(ratios, 97.5)


def actor_name(s):
    p = s["policy"]
    parts = Path(p).parts
    if "crpi" in parts:
        return "CRPI " + Path(p).name.replace("_actor", "").replace("_", " ")
    if "zoo" in parts:
        algo = parts[parts.index("zoo") + 1].upper()
        return f"RL Zoo {algo} {Path(p).stem} (on {s['env']})"
    return f"own {parts[-2]}" if Path(p).name == "model.zip" else Path(p).name


def neuron_label(r):
    return r["neuron"] + ("+bias" if r.get("calibration") == "bias" else "")


def tuned(dirs):
    out = ["| actor | ANN return (30 ep.) | T | SNN return | APR [95% CI] | E ratio | chosen on tuning seeds (neuron, threshold, t0, alpha) | commit |",
           "|---|---|---|---|---|---|---|---|"]
    for d in dirs:
        s, prov = load(d)
        rows = s["rows"]
        ann = rows[0]
        first = True
        for r in rows[1:]:
            lo, hi = apr_interval(ann["returns"], r["returns"])
            out.append("| {} | {} | {} | {:.1f} | {:.3f} [{:.3f}, {:.3f}] | {:.3f} | {}, {}, {}, {} | {} |".format(
                actor_name(s) if first else "", f"{ann['mean_return']:.1f} +- {ann['std_return']:.1f}" if first else "",
                r["timesteps"], r["mean_return"], r["apr"], lo, hi, r["energy_ratio"]["horowitz45"],
                neuron_label(r), r["method"], r["delay_t0"], r["alpha"],
                (prov.get("git_commit") or "?")[:7] + ("" if prov.get("git_dirty") is False else " (dirty)") if first else ""))
            first = False
    return "\n".join(out)


def ablation(dirs):
    by_actor = {}
    ts = set()
    for d in dirs:
        s, prov = load(d)
        rows = s["rows"]
        ann = rows[0]
        a = by_actor.setdefault(actor_name(s), {"ann": ann, "rows": {}})
        for r in rows[1:]:
            key = (neuron_label(r), r["method"])
            t = int(r["timesteps"])  # sweep.json writes grid values as strings
            a["rows"].setdefault(key, {})[t] = r
            ts.add(t)
    ts = sorted(ts)
    head = ("| actor | mechanism | " + " | ".join(f"T={t}: APR / E" for t in ts)
            + " | spike rates T=8 | act() µs T=8 (loop) |")
    out = [head, "|" + "---|" * (4 + len(ts))]
    for actor, a in by_actor.items():
        first = True
        for (neuron, method), per_t in a["rows"].items():
            cells = []
            for t in ts:
                r = per_t.get(t)
                cells.append("-" if r is None else f"{r['apr']:.3f} / {r['energy_ratio']['horowitz45']:.3f}")
            r8 = per_t.get(8)
            rates = "-" if r8 is None else " / ".join(f"{x:.3f}" for x in r8["spike_rate_per_layer"])
            act = "-" if r8 is None or r8.get("act_us_per_step") is None else f"{r8['act_us_per_step']:.1f}"
            out.append(f"| {actor if first else ''} | {neuron}, {method} | " + " | ".join(cells)
                       + f" | {rates} | {act} |")
            first = False
    return "\n".join(out)


def main(argv):
    if len(argv) < 3 or argv[1] not in ("tuned", "ablation"):
        print(__doc__, file=sys.stderr)
        return 2
    dirs = argv[2:]
    for d in dirs:
        if not (Path(d) / "sweep.json").is_file():
            print(f"results_table: {d}: no sweep.json", file=sys.stderr)
            return 2
    print(tuned(dirs) if argv[1] == "tuned" else ablation(dirs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
