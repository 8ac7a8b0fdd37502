#!/usr/bin/env python3
"""Reference simulation of the spiking actor (SPEC sections 3, 6, 7 and 10) in numpy, float32.

Reproduces org.spikerl.snn.SnnController and its neuron layers (IfLayer, MultiThresholdLayer,
SignedLayer) operation by operation, so that spike counts, SOPs and y_bar match the Java runtime
bit for bit. Every array below is float32 and every operation one float32 operation (numpy's
element-wise float32 ops round as Java's float ops; nothing is fused or promoted to float64 except
the readout sum). The order (see SnnController's, SpikingActor's and the layers' Javadoc):

  input     x = float32(o), or float32(clip((o - mean) / sqrt(var + eps), -clip, clip)) in float64
  biases    b_l = snn_biases[l] for hidden layers l if given, else layers[l].bias; the output
            layer always uses layers[L-1].bias
  layer 1   z = b; for i ascending: z = z + x[i] * W[:, i]            (float32 multiply, then add)
  rows      rows_l[j*levels + k] = levelValue(theta_j, k) * W_l[:, j]   for l > 1, one per spike
            event (j, k) of layer l-1; levelValue: if: theta; mt: theta / 2**k; signed: +theta
            (k = 0), -theta (k = 1)
  layer l>1 z = b; for every spike event e of layer l-1 in ascending number: z = z + rows_l[e]
  v0        v0 = unit(theta) * v0_fraction, unit = theta (if, signed), theta / 2**(N-1) (mt:N)
  output    only for t > t0: y as layer l > 1; ysum += float64(y)
  readout   y_bar = float32(ysum / (T - t0))
  counts    sops += (events of layer l-1) * out_l for every l > 1 at every t, and for the output
            layer at t > t0 only; every event, of any level or sign, is one SOP per synapse

Neurons, per timestep t = 1..T (v = v_init at the control step's start, counters zeroed):

  if        v = v + z; s = v > theta; v = v - theta where s             event j
  mt:N      lambda_i = theta / 2**(i-1), i = 1..N; m1 = v + z; if m1 < lambda_N: v = m1 (no
            spike); else m = m1, x = 0, for i = 1..N: if m >= lambda_i: m = m - lambda_i,
            x = x + lambda_i, event j*N + (i-1); then v = m1 - x, sent = sent + x
  mt:N@P    as mt:N at timesteps t = P, 2P, ... of the control step; at the others v = v + z
            only (no comparison, no event); P must divide T
  signed    v = v + z; if v >= theta: v = v - theta, net = net + 1, sent = theta * net, event 2j;
            elif v <= -theta and net > 0: v = v + theta, net = net - 1, sent = theta * net,
            event 2j + 1   (net: integer, positive minus negative spikes in this control step)

Residual at the control step's end (v_init = v0 when alpha = 0, whatever happened):

  d = v - v_init; lo = -theta * n (if; n = spikes) or -sent (mt, signed); m = d if d > lo else lo;
  r = alpha * m; r = clip(r, -half, half) with half = 0.5 * theta (if, signed) or
  0.5 * lambda_N (mt); v_init = v0 + r.  At the first control step v_init = v0.

Usage: python snn_reference.py INPUT.json OUTPUT.json

INPUT fields: layers [{weight: [out][in], bias: [out]}, ...], norm (null or {mean, var, eps, clip}),
thresholds [[per neuron] per hidden layer], timesteps, delay, alpha, v0_fraction,
observations [[...], ...] (consecutive control steps of one episode: the residual carries over),
and optionally neuron ("if", the default, "mt:N" with N in 2..8, "mt:N@P" with firing period P in 1..16 dividing
timesteps, or "signed"; as
NeuronModel.parse; or one per hidden layer separated by commas, "if,mt:4", as NeuronPlan.parse) and snn_biases ([[per neuron] per hidden layer]: the hidden layers' biases as
the SNN uses them, e.g. calibrated; absent or null = the layers' own biases).
OUTPUT: {"steps": [{"spikes": [[per neuron] per hidden layer], "y_bar": [...], "sops": n,
"level_events": [[per spike level] per hidden layer], "multi_events": [per hidden layer],
"membrane": [[per neuron] per hidden layer], "v_init": [...], "emitted": [...]}, ...]}.
spikes counts spike events per neuron (spikeCounts() in Java: every level and sign); level_events
the layer's events per level k (for signed neurons [positive, negative]); multi_events the
(neuron, timestep) pairs with two or more events (mt neurons emitting several levels at once);
membrane v at the control step's end (membrane()), v_init the next step's start after the
residual (initialPotential()), emitted what each neuron sent, theta * n for if, sent for mt and
signed (emitted()). float32 values are written widened to float64, so they are exact.
Bad input: one line on stderr naming the file and field, exit status 2.
"""
import json
import re
import sys

import numpy as np

F32 = np.float32
MAX_THRESHOLDS = 8
MAX_PERIOD = 16


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


def floats(a):
    """float32 values as JSON numbers: Python's repr of the widened double is exact."""
    return [float(x) for x in a]


class NeuronModel:
    """org.spikerl.snn.NeuronModel: kind "if", "mt" (N thresholds, firing period P) or "signed"."""

    def __init__(self, kind, thresholds=1, period=1):
        self.kind = kind
        self.thresholds = thresholds
        self.period = period
        self.levels = 2 if kind == "signed" else thresholds
        self.comparisons = 2 if kind == "signed" else thresholds

    @staticmethod
    def parse(value):
        if not isinstance(value, str):
            raise BadInput(f"neuron must be a string: if, signed, mt:N or mt:N@P with N in 2..{MAX_THRESHOLDS}, "
                           f"P in 1..{MAX_PERIOD}, got {value!r}")
        # Java's String.trim() strips the characters <= U+0020.
        s = value.strip("".join(chr(c) for c in range(0x21))).lower()
        if s == "if":
            return NeuronModel("if")
        if s == "signed":
            return NeuronModel("signed")
        m = re.fullmatch(r"([0-9]{1,2})(?:@([0-9]{1,2}))?", s[3:]) if s.startswith("mt:") else None
        if m:
            n = int(m.group(1))
            p = int(m.group(2)) if m.group(2) is not None else 1
            if 2 <= n <= MAX_THRESHOLDS and 1 <= p <= MAX_PERIOD:
                return NeuronModel("mt", n, p)
        raise BadInput(f"neuron must be if, signed, mt:N or mt:N@P with N in 2..{MAX_THRESHOLDS}, P in 1..{MAX_PERIOD}, "
                       f"got {value!r}")

    def level_value(self, theta, k):
        """Value of spike level k for thresholds theta (float32 array), as NeuronModel.levelValue."""
        if self.kind == "mt":
            return theta / F32(1 << k)
        if self.kind == "signed" and k == 1:
            return -theta
        return theta.copy()

    def unit(self, theta):
        if self.kind == "mt":
            return theta / F32(1 << (self.thresholds - 1))
        return theta.copy()

    def start_potential(self, theta, fraction):
        return self.unit(theta) * fraction

    def new_layer(self, theta, v0):
        if self.kind == "mt":
            return MultiThresholdLayer(theta, v0, self.thresholds, self.period)
        if self.kind == "signed":
            return SignedLayer(theta, v0)
        return IfLayer(theta, v0)


class Layer:
    """State common to the neuron layers: membrane v, v_init, spike events per neuron, diagnostics."""

    levels = 1

    def __init__(self, theta, v0):
        self.theta = theta
        self.v0 = v0
        self.v_init = v0.copy()
        self.v = v0.copy()
        self.counts = np.zeros(theta.shape[0], dtype=np.int64)
        self.level_events = np.zeros(self.levels, dtype=np.int64)
        self.multi_events = 0

    def begin_control_step(self):
        self.v = self.v_init.copy()
        self.counts = np.zeros(self.theta.shape[0], dtype=np.int64)
        self.level_events = np.zeros(self.levels, dtype=np.int64)
        self.multi_events = 0

    def events(self, fired):
        """fired[j, k]: neuron j emitted level k this timestep -> event numbers j*levels + k, ascending."""
        per_neuron = fired.sum(axis=1)
        self.counts += per_neuron
        self.level_events += fired.sum(axis=0)
        self.multi_events += int(np.count_nonzero(per_neuron >= 2))
        return np.flatnonzero(fired.reshape(-1))

    def residual(self, alpha, lo, half):
        """d = v - v_init; m = max(d, lo); r = clip(alpha * m, -half, half); v_init = v0 + r."""
        if alpha == 0:
            self.v_init = self.v0.copy()
            return
        d = self.v - self.v_init
        m = np.where(d > lo, d, lo)
        r = alpha * m
        r = np.where(r < -half, -half, np.where(r > half, half, r))
        self.v_init = self.v0 + r


class IfLayer(Layer):
    """org.spikerl.snn.IfLayer: strict v > theta, reset by subtraction."""

    def step(self, z):
        self.v = self.v + z
        s = self.v > self.theta
        self.v = np.where(s, self.v - self.theta, self.v)
        return self.events(s[:, None])

    def end_control_step(self, alpha):
        self.residual(alpha, -self.theta * self.counts.astype(F32), F32(0.5) * self.theta)

    def emitted(self):
        return self.theta * self.counts.astype(F32)


class MultiThresholdLayer(Layer):
    """org.spikerl.snn.MultiThresholdLayer: N thresholds lambda_i = theta / 2**(i-1), >=."""

    def __init__(self, theta, v0, n, period=1):
        self.levels = n
        super().__init__(theta, v0)
        self.n = n
        self.period = period
        self.since_firing = 0
        self.lam = np.stack([theta / F32(1 << i) for i in range(n)], axis=1)
        self.half_unit = F32(0.5) * self.lam[:, n - 1]
        self.sent = np.zeros(theta.shape[0], dtype=F32)

    def begin_control_step(self):
        super().begin_control_step()
        self.sent = np.zeros(self.theta.shape[0], dtype=F32)
        self.since_firing = 0

    def step(self, z):
        self.since_firing += 1
        if self.since_firing < self.period:
            self.v = self.v + z  # a timestep between firing ones: charge only
            return self.events(np.zeros((z.shape[0], self.n), dtype=bool))
        self.since_firing = 0
        m1 = self.v + z
        below = m1 < self.lam[:, self.n - 1]
        m = m1
        x = np.zeros_like(m1)
        fired = np.zeros((m1.shape[0], self.n), dtype=bool)
        for i in range(self.n):
            lam = self.lam[:, i]
            s = (m >= lam) & ~below
            m = np.where(s, m - lam, m)
            x = np.where(s, x + lam, x)
            fired[:, i] = s
        self.v = np.where(below, m1, m1 - x)
        self.sent = np.where(below, self.sent, self.sent + x)
        return self.events(fired)

    def end_control_step(self, alpha):
        self.residual(alpha, -self.sent, self.half_unit)

    def emitted(self):
        return self.sent


class SignedLayer(Layer):
    """org.spikerl.snn.SignedLayer: +theta at v >= theta, -theta at v <= -theta after net > 0."""

    levels = 2

    def __init__(self, theta, v0):
        super().__init__(theta, v0)
        self.net = np.zeros(theta.shape[0], dtype=np.int64)
        self.sent = np.zeros(theta.shape[0], dtype=F32)

    def begin_control_step(self):
        super().begin_control_step()
        self.net = np.zeros(self.theta.shape[0], dtype=np.int64)
        self.sent = np.zeros(self.theta.shape[0], dtype=F32)

    def step(self, z):
        self.v = self.v + z
        pos = self.v >= self.theta
        neg = ~pos & (self.v <= -self.theta) & (self.net > 0)
        self.v = np.where(pos, self.v - self.theta, np.where(neg, self.v + self.theta, self.v))
        self.net = self.net + pos - neg
        self.sent = np.where(pos | neg, self.theta * self.net.astype(F32), self.sent)
        return self.events(np.stack([pos, neg], axis=1))

    def end_control_step(self, alpha):
        self.residual(alpha, -self.sent, F32(0.5) * self.theta)

    def emitted(self):
        return self.sent


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
            if not np.all(np.isfinite(t)):
                raise BadInput(f"thresholds[{l}] must all be finite as float32")
            self.theta.append(t)
        # neuron: one model for every hidden layer, or one per hidden layer separated by commas
        # (org.spikerl.snn.NeuronPlan).
        plan = data.get("neuron")
        if plan is None:
            self.neurons = [NeuronModel("if")] * hidden
        else:
            if not isinstance(plan, str):
                NeuronModel.parse(plan)  # raises the one-line error
            parts = [NeuronModel.parse(p) for p in plan.split(",")]
            if len(parts) == 1:
                parts = parts * hidden
            elif len(parts) != hidden:
                raise BadInput(f"neuron names {len(parts)} hidden layers, but the network has {hidden}")
            self.neurons = parts
        snn_biases = data.get("snn_biases")
        if snn_biases is not None:
            if not isinstance(snn_biases, list) or len(snn_biases) != hidden:
                raise BadInput(f"snn_biases must be null or a list of {hidden} arrays (one per hidden layer)")
            for l in range(hidden):
                b = vector(snn_biases[l], f"snn_biases[{l}]", self.w[l].shape[0]).astype(F32)
                if not np.all(np.isfinite(b)):
                    raise BadInput(f"snn_biases[{l}] must all be finite as float32")
                self.b[l] = b
        self.T = number(data, "timesteps", 1, 10**9, integer=True)
        for m in self.neurons:
            if self.T % m.period != 0:
                raise BadInput(f"neuron mt:{m.thresholds}@{m.period} fires every {m.period} timesteps, so timesteps "
                               f"must be a multiple of {m.period}, got {self.T}")
        self.t0 = number(data, "delay", 0, self.T - 1, integer=True)
        for m in self.neurons:
            if self.t0 % m.period != 0:
                raise BadInput(f"delay {self.t0} is not a multiple of the firing period {m.period} of neuron "
                               f"mt:{m.thresholds}@{m.period}")
        self.alpha = F32(number(data, "alpha", 0, 1))
        frac = F32(number(data, "v0_fraction", 0, 1)) + F32(0)  # -0 -> +0, as SpikingActor does
        self.v0 = [self.neurons[l].start_potential(self.theta[l], frac) for l in range(hidden)]
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
        # rows[0][i] = W_1[:, i]; rows[l][j * levels + k] = levelValue(theta_(l-1),j, k) * W_l[:, j].
        self.rows = [self.w[0].T.copy()]
        for l in range(1, len(self.w)):
            sender = self.neurons[l - 1]
            levels = sender.levels
            wt = self.w[l].T
            scaled = [sender.level_value(self.theta[l - 1], k)[:, None] * wt for k in range(levels)]
            self.rows.append(np.stack(scaled, axis=1).reshape(wt.shape[0] * levels, wt.shape[1]))
        self.layers = [self.neurons[l].new_layer(self.theta[l], self.v0[l]) for l in range(hidden)]

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
        ysum = np.zeros(self.b[-1].shape[0], dtype=np.float64)
        sops = 0

        def synapses(l, events):
            z = self.b[l].copy()
            for e in events:
                z = z + self.rows[l][e]
            return z

        for layer in self.layers:
            layer.begin_control_step()
        for t in range(1, self.T + 1):
            events = self.layers[0].step(z1)
            for l in range(1, hidden):
                z = synapses(l, events)
                sops += len(events) * z.shape[0]
                events = self.layers[l].step(z)
            if t > self.t0:
                y = synapses(hidden, events)
                sops += len(events) * y.shape[0]
                ysum += y.astype(np.float64)
        for layer in self.layers:
            layer.v_end = layer.v.copy()
            layer.end_control_step(self.alpha)
        y_bar = (ysum / (self.T - self.t0)).astype(F32)
        return {"spikes": [layer.counts.tolist() for layer in self.layers],
                "y_bar": [float(y) for y in y_bar], "sops": int(sops),
                "level_events": [layer.level_events.tolist() for layer in self.layers],
                "multi_events": [layer.multi_events for layer in self.layers],
                "membrane": [floats(layer.v_end) for layer in self.layers],
                "v_init": [floats(layer.v_init) for layer in self.layers],
                "emitted": [floats(layer.emitted()) for layer in self.layers]}


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
