#!/usr/bin/env python3
"""Reference simulation of the spiking actor (SPEC sections 3 and 6) in numpy, float32.

Reproduces org.spikerl.snn.SnnController operation by operation, so that spike counts match the
Java runtime exactly. The order (see SnnController's Javadoc):

  input     x = float32(o), or float32(clip((o - mean) / sqrt(var + eps), -clip, clip)) in float64
  layer 1   z = b; for i ascending: z = z + x[i] * W[:, i]            (float32 multiply, then add)
  layer l>1 z = b; for spiking i ascending: z = z + rows[i]           rows[i] = float32(theta_i * W[:, i])
  IF        v = v + z; s = v > theta; v = v - theta where s
  output    only for t > t0: y as layer l > 1; ysum += float64(y)
  readout   y_bar = float32(ysum / (T - t0))
  residual  d = v - v_init; lo = -theta * n; m = d if d > lo else lo; r = alpha * m;
            r = clip(r, -0.5 theta, 0.5 theta); v_init = v0 + r      (v_init = v0 when alpha = 0)

Usage: python snn_reference.py INPUT.json OUTPUT.json

INPUT fields: layers [{weight: [out][in], bias: [out]}, ...], norm (null or {mean, var, eps, clip}),
thresholds [[per neuron] per hidden layer], timesteps, delay, alpha, v0_fraction,
observations [[...], ...] (consecutive control steps of one episode: the residual carries over).
OUTPUT: {"steps": [{"spikes": [[per neuron] per hidden layer], "y_bar": [...], "sops": n}, ...]}.
Bad input: one line on stderr naming the file and field, exit status 2.
"""
import json
import sys

import numpy as np

F32 = np.float32


class BadInput(Exception):
    pass


def matrix(value, field):
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadInput(f"{field} must be a rectangular array of numbers")
    if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
        raise BadInput(f"{field} must be a non-empty 2-d array, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise BadInput(f"{field} has a non-finite value")
    return a


def vector(value, field, size=None):
    try:
        a = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadInput(f"{field} must be an array of numbers")
    if a.ndim != 1:
        raise BadInput(f"{field} must be a 1-d array, got shape {a.shape}")
    if size is not None and a.shape[0] != size:
        raise BadInput(f"{field} has {a.shape[0]} values, expected {size}")
    if not np.all(np.isfinite(a)):
        raise BadInput(f"{field} has a non-finite value")
    return a


def number(data, field, lo, hi, integer=False):
    if field not in data:
        raise BadInput(f"{field} is missing")
    v = data[field]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (integer and not isinstance(v, int)):
        raise BadInput(f"{field} must be {'an integer' if integer else 'a number'}, got {v!r}")
    if not (lo <= v <= hi):
        raise BadInput(f"{field} must be in [{lo}, {hi}], got {v}")
    return v


class Network:
    def __init__(self, data):
        if not isinstance(data, dict):
            raise BadInput("top level must be a JSON object")
        layers = data.get("layers")
        if not isinstance(layers, list) or len(layers) < 2:
            raise BadInput("layers must be a list of at least 2 layers")
        self.w = []
        self.b = []
        for k, layer in enumerate(layers):
            if not isinstance(layer, dict) or "weight" not in layer or "bias" not in layer:
                raise BadInput(f"layers[{k}] needs weight and bias")
            w = matrix(layer["weight"], f"layers[{k}].weight")
            if k > 0 and w.shape[1] != self.w[-1].shape[0]:
                raise BadInput(f"layers[{k}].weight takes {w.shape[1]} inputs but layers[{k - 1}] gives {self.w[-1].shape[0]}")
            self.b.append(vector(layer["bias"], f"layers[{k}].bias", w.shape[0]).astype(F32))
            self.w.append(w.astype(F32))
        hidden = len(layers) - 1
        th = data.get("thresholds")
        if not isinstance(th, list) or len(th) != hidden:
            raise BadInput(f"thresholds must be a list of {hidden} arrays (one per hidden layer)")
        self.theta = []
        for l in range(hidden):
            t = vector(th[l], f"thresholds[{l}]", self.w[l].shape[0]).astype(F32)
            if not np.all(t > 0):
                raise BadInput(f"thresholds[{l}] must all be > 0")
            self.theta.append(t)
        self.T = number(data, "timesteps", 1, 10**9, integer=True)
        self.t0 = number(data, "delay", 0, self.T - 1, integer=True)
        self.alpha = F32(number(data, "alpha", 0, 1))
        frac = F32(number(data, "v0_fraction", 0, 1))
        self.v0 = [t * frac for t in self.theta]
        norm = data.get("norm")
        n_in = self.w[0].shape[1]
        self.norm = None
        if norm is not None:
            if not isinstance(norm, dict):
                raise BadInput("norm must be null or an object {mean, var, eps, clip}")
            mean = vector(norm.get("mean"), "norm.mean", n_in)
            var = vector(norm.get("var"), "norm.var", n_in)
            if np.any(var < 0):
                raise BadInput("norm.var must be >= 0")
            eps = number(norm, "eps", 0, float("inf"))
            clip = number(norm, "clip", 0, float("inf"))
            self.norm = (mean, var, float(eps), float(clip))
        obs = data.get("observations")
        if not isinstance(obs, list) or len(obs) == 0:
            raise BadInput("observations must be a non-empty list")
        self.observations = [vector(o, f"observations[{k}]", n_in) for k, o in enumerate(obs)]
        # rows[l][i] = W_l[:, i], scaled by the sending neuron's threshold for l > 0.
        self.rows = [self.w[0].T.copy()]
        for l in range(1, len(self.w)):
            self.rows.append(self.theta[l - 1][:, None] * self.w[l].T)
        self.v_init = [v.copy() for v in self.v0]

    def inputs(self, o):
        if self.norm is None:
            return o.astype(F32)
        mean, var, eps, clip = self.norm
        return np.clip((o - mean) / np.sqrt(var + eps), -clip, clip).astype(F32)

    def control_step(self, o):
        x = self.inputs(o)
        z1 = self.b[0].copy()
        for i in range(x.shape[0]):
            z1 = z1 + x[i] * self.rows[0][i]
        hidden = len(self.theta)
        v = [vi.copy() for vi in self.v_init]
        counts = [np.zeros(t.shape[0], dtype=np.int64) for t in self.theta]
        ysum = np.zeros(self.b[-1].shape[0], dtype=np.float64)
        sops = 0

        def fire(l, z):
            v[l] = v[l] + z
            s = v[l] > self.theta[l]
            v[l] = np.where(s, v[l] - self.theta[l], v[l])
            counts[l] += s
            return np.nonzero(s)[0]

        def synapses(l, fired):
            z = self.b[l].copy()
            for i in fired:
                z = z + self.rows[l][i]
            return z

        for t in range(1, self.T + 1):
            fired = fire(0, z1)
            for l in range(1, hidden):
                z = synapses(l, fired)
                sops += len(fired) * z.shape[0]
                fired = fire(l, z)
            if t > self.t0:
                y = synapses(hidden, fired)
                sops += len(fired) * y.shape[0]
                ysum += y.astype(np.float64)
        for l in range(hidden):
            if self.alpha == 0:
                self.v_init[l] = self.v0[l].copy()
                continue
            th = self.theta[l]
            d = v[l] - self.v_init[l]
            lo = -th * counts[l].astype(F32)
            m = np.where(d > lo, d, lo)
            r = self.alpha * m
            half = F32(0.5) * th
            r = np.where(r < -half, -half, np.where(r > half, half, r))
            self.v_init[l] = self.v0[l] + r
        y_bar = (ysum / (self.T - self.t0)).astype(F32)
        return {"spikes": [c.tolist() for c in counts], "y_bar": [float(y) for y in y_bar], "sops": int(sops)}


def main(argv):
    if len(argv) != 3:
        print("usage: snn_reference.py INPUT.json OUTPUT.json", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError as e:
        print(f"snn_reference: {path}: cannot read: {e.strerror}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as e:
        print(f"snn_reference: {path}: not valid JSON: {e.msg} at line {e.lineno}", file=sys.stderr)
        return 2
    try:
        net = Network(data)
    except BadInput as e:
        print(f"snn_reference: {path}: {e}", file=sys.stderr)
        return 2
    steps = [net.control_step(o) for o in net.observations]
    with open(argv[2], "w") as f:
        json.dump({"steps": steps}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
