"""Export the observation statistics of a Stable-Baselines3 VecNormalize to JSON.

spikerl reads VecNormalize pickles itself (the RL Zoo's ENV/vecnormalize.pkl, or
--normalization FILE); this script writes the same statistics as JSON, for users who prefer a
text file next to the actor (<stem>.vecnormalize.json, found by spikerl too):

    python envs/export_vecnormalize.py vec_normalize.pkl model.vecnormalize.json

Schema (all keys required unless noted):
    obs_mean  list of floats, one per observation entry (VecNormalize.obs_rms.mean)
    obs_var   list of floats, same length (VecNormalize.obs_rms.var)
    epsilon   float, added to the variance before the square root (VecNormalize.epsilon)
    clip_obs  float, normalised observations are clipped to [-clip_obs, clip_obs]
    norm_obs  bool, false when the VecNormalize did not normalise observations
    source    (informative) the pickle's file name

The Java side (org.spikerl.actor.io.Normalization) computes
clip((o - obs_mean) / sqrt(obs_var + epsilon), -clip_obs, clip_obs), as VecNormalize does.
Needs stable-baselines3 importable (the pickle refers to its classes), nothing else.
"""
import argparse
import json
import math
import pickle
from pathlib import Path

import numpy as np


def export(pkl_path, json_path):
    with open(pkl_path, "rb") as f:
        vecnorm = pickle.load(f)
    rms = getattr(vecnorm, "obs_rms", None)
    if isinstance(rms, dict):
        raise SystemExit(f"{pkl_path}: dict observation spaces are not supported (obs_rms is a dict)")
    if rms is None or not hasattr(rms, "mean") or not hasattr(rms, "var"):
        raise SystemExit(f"{pkl_path}: no obs_rms with mean and var; is this a VecNormalize pickle?")
    mean = np.asarray(rms.mean, dtype=np.float64).ravel()
    var = np.asarray(rms.var, dtype=np.float64).ravel()
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(var))):
        raise SystemExit(f"{pkl_path}: obs_rms holds non-finite values")
    out = {
        "obs_mean": [float(x) for x in mean],
        "obs_var": [float(x) for x in var],
        "epsilon": float(vecnorm.epsilon),
        "clip_obs": float(vecnorm.clip_obs),
        "norm_obs": bool(vecnorm.norm_obs),
        "source": Path(pkl_path).name,
    }
    if not (out["epsilon"] > 0 and math.isfinite(out["clip_obs"]) and out["clip_obs"] > 0):
        raise SystemExit(f"{pkl_path}: epsilon and clip_obs must be positive and finite")
    Path(json_path).write_text(json.dumps(out, indent=1) + "\n")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pkl", help="vec_normalize.pkl written by VecNormalize.save")
    p.add_argument("json", help="output JSON, by convention <model>.vecnormalize.json next to <model>.zip")
    a = p.parse_args()
    export(a.pkl, a.json)


if __name__ == "__main__":
    main()
