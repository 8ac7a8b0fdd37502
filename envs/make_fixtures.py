"""Writes the actor test fixtures and their PyTorch reference outputs.

Run from anywhere, in a venv with the training requirements (envs/requirements-train.txt:
torch, stable-baselines3, sb3-contrib, safetensors, gymnasium, numpy; generated with torch 2.15.0,
stable-baselines3 2.9.2, sb3-contrib 2.9.2, safetensors 0.8.0, gymnasium 1.3.0, numpy 2.4.6):

    python envs/make_fixtures.py [--shared ../shared]

(a) src/test/resources/fixtures/: small actors (5 observations, hidden 8-8, 2 actions, seeded
    random weights) in every format and layout ActorLoader reads (CRPI TD3 and SAC state dicts,
    CleanRL TD3 / DDPG tuple checkpoints and SAC actors, nn.Sequential, SB3 / sb3-contrib zips,
    an RL Zoo folder with vecnormalize.pkl and config.yml, TorchScript, safetensors), plus broken
    ones for the error tests (bad chains, NaN, VecNormalize pickles of the wrong class, size or
    values).
(b) src/test/resources/reference/<fixture>.json: fixed observations with the raw output y of the
    last layer and the action, computed by PyTorch (and by Stable-Baselines3's own predict() for
    the SB3 zips), for every loadable fixture, for the two external CRPI actors in
    <shared>/policies/crpi and for the three RL Zoo agents in <shared>/policies/zoo (with the
    statistics SB3 unpickles from vecnormalize.pkl, and SB3's per-episode returns on seeds 0..9,
    which ZooAgentsIT compares spikerl eval with). Only outputs are written here, never the
    external actors.

Everything is seeded; rerunning rewrites the same numbers (zip timestamps of SB3 files differ).
"""
import argparse
import hashlib
import json
import pickle
import sys
import tempfile
from pathlib import Path

import gymnasium as gym
import numpy as np
import torch
from torch import nn

import stable_baselines3
import sb3_contrib
from sb3_contrib import TQC
from stable_baselines3 import A2C, DDPG, PPO, SAC, TD3
from stable_baselines3.common.running_mean_std import RunningMeanStd
from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from export_vecnormalize import export as export_vecnormalize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "src/test/resources/fixtures"
REFERENCE = ROOT / "src/test/resources/reference"

OBS, HIDDEN, ACT = 5, 8, 2
# Asymmetric bounds so that a head using high as max_action alone would be caught.
LOW = np.array([-1.0, -0.5], dtype=np.float32)
HIGH = np.array([1.0, 2.0], dtype=np.float32)
N_OBS = 8


class TinyBoxEnv(gym.Env):
    """A Box env of the fixture sizes; SB3 needs one to build a model. Never stepped."""

    def __init__(self):
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, (OBS,), np.float32)
        self.action_space = gym.spaces.Box(LOW, HIGH, dtype=np.float32)

    def reset(self, seed=None, options=None):
        super().reset(seed=seed)
        return np.zeros(OBS, np.float32), {}

    def step(self, action):
        return np.zeros(OBS, np.float32), 0.0, False, False, {}


class CrpiStyleActor(nn.Module):
    """Same layer names as the CRPI actors: l1..l3, ReLU between them."""

    def __init__(self, obs, hidden, act):
        super().__init__()
        self.l1 = nn.Linear(obs, hidden)
        self.l2 = nn.Linear(hidden, hidden)
        self.l3 = nn.Linear(hidden, act)

    def forward(self, x):
        return self.l3(torch.relu(self.l2(torch.relu(self.l1(x)))))


def crpi_state_dict(module):
    """A state dict with the CRPI key names, including neuronN.thre / neuronN.act_buffer."""
    sd = dict(module.state_dict())
    for i in (1, 2):
        sd[f"neuron{i}.thre"] = torch.zeros(1)
        sd[f"neuron{i}.act_buffer"] = torch.zeros(HIDDEN)
    return sd


def observations(seed, n, size, scale):
    rng = np.random.default_rng(seed)
    obs = rng.normal(0.0, scale, (n, size))
    obs[0] = 0.0  # the all-zero observation: bias-only path
    return obs


def tanh_head(y, low, high):
    scale = (high.astype(np.float64) - low) / 2.0
    bias = (high.astype(np.float64) + low) / 2.0
    return np.tanh(y.astype(np.float64)) * scale + bias


def write_reference(name, **fields):
    fields = {"generated_by": "envs/make_fixtures.py", "torch": torch.__version__,
              "stable_baselines3": stable_baselines3.__version__,
              "sb3_contrib": sb3_contrib.__version__, **fields}
    (REFERENCE / f"{name}.json").write_text(json.dumps(fields, indent=1) + "\n")


def as_lists(a):
    return [[float(v) for v in row] for row in np.asarray(a)]


def layer_sizes(weights):
    return [[int(w.shape[1]), int(w.shape[0])] for w in weights]


def seeded_actor(seed):
    torch.manual_seed(seed)
    m = CrpiStyleActor(OBS, HIDDEN, ACT)
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0.0, 0.6)
    return m


def state_dict_fixtures():
    # CRPI-style names, float32.
    m = seeded_actor(1)
    torch.save(crpi_state_dict(m), FIXTURES / "statedict_crpi_style.pt")
    reference_for_module("statedict_crpi_style", "statedict_crpi_style.pt", m, [m.l1, m.l2, m.l3], 101)

    # nn.Sequential names (0, 2, 4) with every tensor a view into one flat storage, so the loader
    # must honour storage offsets.
    torch.manual_seed(2)
    seq = nn.Sequential(nn.Linear(OBS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                        nn.Linear(HIDDEN, ACT))
    params = list(seq.parameters())
    flat = torch.randn(sum(p.numel() for p in params)) * 0.6
    offset = 0
    with torch.no_grad():
        for p in params:
            p.data = flat[offset:offset + p.numel()].view_as(p)
            offset += p.numel()
    sd = seq.state_dict()
    assert sd["4.bias"].storage_offset() > 0 and sd["4.bias"].untyped_storage().data_ptr() == flat.untyped_storage().data_ptr()
    torch.save(sd, FIXTURES / "statedict_sequential_shared.pt")
    reference_for_module("statedict_sequential_shared", "statedict_sequential_shared.pt", seq,
                         [seq[0], seq[2], seq[4]], 102)

    # float64 and float16 storages: the loader converts them to float32. The reference is the
    # float32 network with the converted weights (what the Java forward computes).
    for dtype, name, seed in ((torch.float64, "statedict_float64", 3), (torch.float16, "statedict_float16", 4)):
        m = seeded_actor(seed)
        sd = {k: v.to(dtype) for k, v in crpi_state_dict(m).items()}
        torch.save(sd, FIXTURES / f"{name}.pt")
        with torch.no_grad():
            for k, v in m.state_dict().items():  # shares storage with the parameters
                v.copy_(sd[k].float())
        reference_for_module(name, f"{name}.pt", m, [m.l1, m.l2, m.l3], 100 + seed)

    # Broken ones.
    m = seeded_actor(5)
    sd = crpi_state_dict(m)
    sd["l2.weight"] = sd["l2.weight"].clone()
    sd["l2.weight"][3, 4] = float("nan")
    torch.save(sd, FIXTURES / "statedict_nan.pt")

    sd = crpi_state_dict(seeded_actor(6))
    sd["l1.weight"] = sd["l1.weight"].t().contiguous().t()  # same values, column-major strides
    assert not sd["l1.weight"].is_contiguous()
    torch.save(sd, FIXTURES / "statedict_noncontiguous.pt")

    torch.manual_seed(7)
    torch.save({"encoder.conv.weight": torch.randn(4, 1, 3, 3), "encoder.conv.bias": torch.randn(4),
                "decoder.weight": torch.randn(2, 16)}, FIXTURES / "statedict_unknown.pt")

    torch.manual_seed(8)
    torch.save({"l1.weight": torch.randn(HIDDEN, OBS), "l1.bias": torch.randn(HIDDEN),
                "l2.weight": torch.randn(HIDDEN, 7), "l2.bias": torch.randn(HIDDEN),
                "l3.weight": torch.randn(ACT, HIDDEN), "l3.bias": torch.randn(ACT)},
               FIXTURES / "statedict_badchain.pt")


def reference_for_module(name, fixture, module, linears, seed, norm=None, fmt="torch-state-dict", layout=None,
                         output=None, act=None, bounds_stored=False):
    """y is the last Linear's output (output(x), default module(x)); the action the module's own
    head (act(x)) or, by default, tanh(y) with the fixture bounds."""
    obs = observations(seed, N_OBS, OBS, 1.5)
    x = obs if norm is None else norm(obs)
    xt = torch.as_tensor(x, dtype=torch.float32)
    with torch.no_grad():
        y = (output or module)(xt).numpy()
        action = act(xt).numpy() if act is not None else tanh_head(y, LOW, HIGH)
    write_reference(name, fixture=fixture, format=fmt, layout=layout,
                    layers=layer_sizes([l.weight for l in linears]),
                    head={"type": "tanh", "low": LOW.tolist(), "high": HIGH.tolist()},
                    options={} if bounds_stored else {"action_low": LOW.tolist(), "action_high": HIGH.tolist()},
                    observations=as_lists(obs), y=as_lists(y), action=as_lists(action))


class CrpiSacActor(nn.Module):
    """The CRPI repository's SAC actor: fc1, fc2, fc_mu, fc_std; deterministic action
    tanh(fc_mu(h)) * max_action (fc_std only feeds the Gaussian's spread)."""

    def __init__(self, obs, hidden, act):
        super().__init__()
        self.fc1 = nn.Linear(obs, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc_mu = nn.Linear(hidden, act)
        self.fc_std = nn.Linear(hidden, act)

    def mean(self, x):
        return self.fc_mu(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


class CleanRlActor(nn.Module):
    """CleanRL's TD3 / DDPG actor (td3_continuous_action.py): fc1, fc2, fc_mu and the buffers
    action_scale, action_bias; forward = tanh(fc_mu(h)) * action_scale + action_bias. With
    sac=True, CleanRL's SAC actor: fc_mean and fc_logstd instead of fc_mu, same buffers,
    deterministic action tanh(fc_mean(h)) * action_scale + action_bias."""

    def __init__(self, obs, hidden, act, low, high, sac=False):
        super().__init__()
        self.sac = sac
        self.fc1 = nn.Linear(obs, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        if sac:
            self.fc_mean = nn.Linear(hidden, act)
            self.fc_logstd = nn.Linear(hidden, act)
        else:
            self.fc_mu = nn.Linear(hidden, act)
        self.register_buffer("action_scale", torch.tensor((high - low) / 2.0, dtype=torch.float32))
        self.register_buffer("action_bias", torch.tensor((high + low) / 2.0, dtype=torch.float32))

    def y(self, x):
        h = torch.relu(self.fc2(torch.relu(self.fc1(x))))
        return self.fc_mean(h) if self.sac else self.fc_mu(h)

    def forward(self, x):
        return torch.tanh(self.y(x)) * self.action_scale + self.action_bias


class CleanRlQ(nn.Module):
    """CleanRL's QNetwork: fc1 on [obs, action], fc2, fc3 -> 1."""

    def __init__(self, obs, hidden, act):
        super().__init__()
        self.fc1 = nn.Linear(obs + act, hidden)
        self.fc2 = nn.Linear(hidden, hidden)
        self.fc3 = nn.Linear(hidden, 1)


def layout_fixtures():
    """The research-code layouts: CRPI SAC, CleanRL TD3 / DDPG checkpoints, CleanRL SAC actor."""
    torch.manual_seed(61)
    sac = CrpiSacActor(OBS, HIDDEN, ACT)
    randomise([sac], 62)
    torch.save(sac.state_dict(), FIXTURES / "statedict_crpi_sac.pt")
    reference_for_module("statedict_crpi_sac", "statedict_crpi_sac.pt", sac, [sac.fc1, sac.fc2, sac.fc_mu], 161,
                         layout="crpi-sac", output=sac.mean)

    for name, n_q, seed in (("cleanrl_td3", 2, 63), ("cleanrl_ddpg", 1, 65)):
        torch.manual_seed(seed)
        actor = CleanRlActor(OBS, HIDDEN, ACT, LOW, HIGH)
        randomise([actor.fc1, actor.fc2, actor.fc_mu], seed + 1)
        qs = [CleanRlQ(OBS, HIDDEN, ACT) for _ in range(n_q)]
        # CleanRL: torch.save((actor.state_dict(), qf1.state_dict(), qf2.state_dict()), model_path)
        torch.save(tuple([actor.state_dict()] + [q.state_dict() for q in qs]), FIXTURES / f"{name}.cleanrl_model")
        reference_for_module(name, f"{name}.cleanrl_model", actor, [actor.fc1, actor.fc2, actor.fc_mu], seed + 100,
                             layout="cleanrl-td3", output=actor.y, act=actor, bounds_stored=True)

    # fc1, fc2, fc_mu alone: CRPI SAC without fc_std or CleanRL without its buffers; the loader
    # must refuse it rather than guess the head.
    sd = {k: v for k, v in sac.state_dict().items() if not k.startswith("fc_std.")}
    torch.save(sd, FIXTURES / "statedict_fc_ambiguous.pt")

    torch.manual_seed(67)
    actor = CleanRlActor(OBS, HIDDEN, ACT, LOW, HIGH, sac=True)
    randomise([actor.fc1, actor.fc2, actor.fc_mean, actor.fc_logstd], 68)
    torch.save(actor.state_dict(), FIXTURES / "cleanrl_sac_actor.pt")
    reference_for_module("cleanrl_sac_actor", "cleanrl_sac_actor.pt", actor, [actor.fc1, actor.fc2, actor.fc_mean],
                         167, layout="cleanrl-sac", output=actor.y, act=actor, bounds_stored=True)


def randomise(modules, seed, std=0.6):
    """SB3 initialises small outputs (PPO's action_net gain 0.01); larger weights exercise the heads."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for mod in modules:
            for p in mod.parameters():
                p.copy_(torch.randn(p.shape, generator=g) * std)


def sb3_fixtures():
    env = TinyBoxEnv()
    arch = [HIDDEN, HIDDEN]
    made = {}
    for seed, (name, cls, kwargs) in enumerate( (("sb3_td3", TD3, dict(net_arch=arch)),
                              ("sb3_ddpg", DDPG, dict(net_arch=arch)),
                              ("sb3_sac", SAC, dict(net_arch=arch)),
                              ("sb3_ppo_relu", PPO, dict(net_arch=dict(pi=arch, vf=arch), activation_fn=nn.ReLU)),
                              ("sb3_ppo_tanh", PPO, dict(net_arch=dict(pi=arch, vf=arch))),
                              ("sb3_ppo_vecnorm", PPO, dict(net_arch=dict(pi=arch, vf=arch), activation_fn=nn.ReLU)),
                              ("sb3_a2c_relu", A2C, dict(net_arch=dict(pi=arch, vf=arch), activation_fn=nn.ReLU)),
                              ("sb3_tqc", TQC, dict(net_arch=arch)),
                              ("zoo_ppo", PPO, dict(net_arch=dict(pi=arch, vf=arch), activation_fn=nn.ReLU))),
                                     start=21):
        on_policy = cls in (PPO, A2C)
        extra = dict(n_steps=8) if on_policy else dict(buffer_size=10, learning_starts=0)
        if cls is PPO:
            extra["batch_size"] = 8
        model = cls("MlpPolicy", env, policy_kwargs=kwargs, seed=11, device="cpu", **extra)
        pol = model.policy
        if on_policy:
            randomise([pol.mlp_extractor.policy_net, pol.action_net], seed)
        elif cls in (SAC, TQC):
            randomise([pol.actor.latent_pi, pol.actor.mu], seed)
        else:
            randomise([pol.actor.mu], seed)
        if name == "zoo_ppo":
            # The RL Zoo's layout as downloaded: ENV.zip, ENV/vecnormalize.pkl, ENV/config.yml.
            zoo = FIXTURES / "zoo/ppo/TinyBox-v0_1"
            (zoo / "TinyBox-v0").mkdir(parents=True, exist_ok=True)
            model.save(zoo / "TinyBox-v0.zip")
        else:
            model.save(FIXTURES / f"{name}.zip")
        made[name] = model

    for name, model in made.items():
        if name == "sb3_ppo_tanh":
            continue  # refused by the loader; no reference
        pol = model.policy
        obs = observations(200 + len(name), N_OBS, OBS, 1.5)
        x = obs
        options = {}
        if name == "sb3_ppo_vecnorm":
            # Statistics as VecNormalize would hold them after training; clip_obs small enough
            # that some of the observations are clipped.
            venv = VecNormalize(DummyVecEnv([TinyBoxEnv]), clip_obs=2.5)
            rng = np.random.default_rng(31)
            venv.obs_rms.mean = rng.normal(0.0, 1.0, OBS)
            venv.obs_rms.var = rng.uniform(0.05, 3.0, OBS)
            with tempfile.TemporaryDirectory() as tmp:
                pkl = Path(tmp) / "vec_normalize.pkl"
                venv.save(pkl)
                export_vecnormalize(pkl, FIXTURES / f"{name}.vecnormalize.json")
            x = venv.normalize_obs(obs)
            options = {"norm_sidecar": f"{name}.vecnormalize.json (found next to the zip)"}
        if name == "zoo_ppo":
            venv = zoo_vecnormalize()
            x = venv.normalize_obs(obs)
            options = {"normalization": "TinyBox-v0/vecnormalize.pkl (found beside the zip)"}
        xt = torch.as_tensor(x, dtype=torch.float32)
        with torch.no_grad():
            if isinstance(model, (PPO, A2C)):
                y = pol.action_net(pol.mlp_extractor.forward_actor(xt)).numpy()
                linears = [m for m in pol.mlp_extractor.policy_net if isinstance(m, nn.Linear)] + [pol.action_net]
                head = "clip"
            elif isinstance(model, (SAC, TQC)):
                y = pol.actor.mu(pol.actor.latent_pi(xt)).numpy()
                linears = [m for m in pol.actor.latent_pi if isinstance(m, nn.Linear)] + [pol.actor.mu]
                head = "tanh"
            else:  # TD3 and DDPG: mu ends with nn.Tanh, y is the input of that Tanh
                y = pol.actor.mu[:-1](xt).numpy()
                linears = [m for m in pol.actor.mu if isinstance(m, nn.Linear)]
                head = "tanh"
        action, _ = model.predict(x.astype(np.float32), deterministic=True)
        fixture = "zoo/ppo/TinyBox-v0_1/TinyBox-v0.zip" if name == "zoo_ppo" else f"{name}.zip"
        write_reference(name, fixture=fixture, format="sb3-zip",
                        layers=layer_sizes([l.weight for l in linears]),
                        head={"type": head, "low": LOW.tolist(), "high": HIGH.tolist()},
                        options=options, observations=as_lists(obs), y=as_lists(y), action=as_lists(action))


def zoo_vecnormalize():
    """VecNormalize statistics as training would leave them, with a small clip_obs so that some
    fixture observations are clipped."""
    venv = VecNormalize(DummyVecEnv([TinyBoxEnv]), clip_obs=3.0, epsilon=1e-6)
    rng = np.random.default_rng(71)
    venv.obs_rms.mean = rng.normal(0.0, 1.0, OBS)
    venv.obs_rms.var = rng.uniform(0.05, 3.0, OBS)
    venv.obs_rms.count = 12345.0
    return venv


def vecnormalize_fixtures():
    """The zoo folder's vecnormalize.pkl and config.yml, the same statistics pickled with
    protocol 5 (Python 3.14's default, numpy's out-of-band-capable form), and broken pickles."""
    zoo = FIXTURES / "zoo/ppo/TinyBox-v0_1/TinyBox-v0"
    venv = zoo_vecnormalize()
    venv.save(zoo / "vecnormalize.pkl")  # pickle.dump, default protocol (4 on Python 3.11)
    (zoo / "config.yml").write_text(
        "!!python/object/apply:collections.OrderedDict\n"
        "- - - n_envs\n    - 1\n  - - normalize\n    - true\n  - - policy\n    - MlpPolicy\n")
    venv.venv = None
    with open(FIXTURES / "vecnormalize_protocol5.pkl", "wb") as f:
        pickle.dump(venv, f, protocol=5)

    # A zoo folder whose config says normalize: true but whose statistics are missing.
    lost = FIXTURES / "zoo/ppo/Lost-v0_1"
    (lost / "Lost-v0").mkdir(parents=True, exist_ok=True)
    (lost / "Lost-v0.zip").write_bytes((FIXTURES / "zoo/ppo/TinyBox-v0_1/TinyBox-v0.zip").read_bytes())
    (lost / "Lost-v0/config.yml").write_text((zoo / "config.yml").read_text())

    # Wrong class: a RunningMeanStd pickled alone.
    rms = RunningMeanStd(shape=(OBS,))
    with open(FIXTURES / "vecnormalize_wrong_class.pkl", "wb") as f:
        pickle.dump(rms, f)
    # Statistics for 3 observations (the fixture actors take 5).
    short = VecNormalize(DummyVecEnv([TinyBoxEnv]))
    short.obs_rms = RunningMeanStd(shape=(3,))
    short.save(FIXTURES / "vecnormalize_length3.pkl")
    # NaN in the variance.
    bad = zoo_vecnormalize()
    bad.obs_rms.var[2] = float("nan")
    bad.save(FIXTURES / "vecnormalize_nan.pkl")


def torchscript_fixtures():
    torch.manual_seed(41)
    seq = nn.Sequential(nn.Linear(OBS, HIDDEN), nn.ReLU(), nn.Linear(HIDDEN, HIDDEN), nn.ReLU(),
                        nn.Linear(HIDDEN, ACT))
    randomise([seq], 42)
    torch.jit.script(seq).save(str(FIXTURES / "torchscript_mlp.pt"))
    reference_for_module("torchscript_mlp", "torchscript_mlp.pt", seq, [seq[0], seq[2], seq[4]], 141,
                         fmt="torchscript")
    torch.jit.freeze(torch.jit.script(seq.eval())).save(str(FIXTURES / "torchscript_frozen.pt"))


def safetensors_fixtures():
    from safetensors.torch import save_file

    m = seeded_actor(51)
    tensors = {f"{l}.{p}": getattr(getattr(m, l), p).detach().contiguous()
               for l in ("l1", "l2", "l3") for p in ("weight", "bias")}
    save_file(tensors, str(FIXTURES / "safetensors_actor.safetensors"))
    rng = np.random.default_rng(52)
    mean, var, eps, clip = rng.normal(0.0, 1.0, OBS), rng.uniform(0.05, 3.0, OBS), 1e-8, 2.5
    sidecar = {
        "spikerl_actor": 1,
        "layers": ["l1", "l2", "l3"],
        "activation": "relu",
        "head": {"type": "tanh", "low": LOW.tolist(), "high": HIGH.tolist()},
        "obs_norm": {"obs_mean": mean.tolist(), "obs_var": var.tolist(), "epsilon": eps, "clip_obs": clip},
    }
    (FIXTURES / "safetensors_actor.actor.json").write_text(json.dumps(sidecar, indent=1) + "\n")

    def norm(o):  # VecNormalize's formula, in float64 like numpy
        return np.clip((o - mean) / np.sqrt(var + eps), -clip, clip)

    reference_for_module("safetensors_actor", "safetensors_actor.safetensors", m, [m.l1, m.l2, m.l3], 151,
                         norm=norm, fmt="safetensors")
    ref = json.loads((REFERENCE / "safetensors_actor.json").read_text())
    ref["options"] = {}  # bounds come from the sidecar
    (REFERENCE / "safetensors_actor.json").write_text(json.dumps(ref, indent=1) + "\n")


def crpi_references(shared):
    """Reference outputs of the external CRPI TD3 actors (read from shared; never copied)."""
    for task, obs_size, act_size in (("Hopper-v4", 11, 3), ("Walker2d-v4", 17, 6)):
        path = shared / "policies/crpi" / f"TD3_{task}_actor"
        sd = torch.load(path, map_location="cpu", weights_only=True)
        m = CrpiStyleActor(obs_size, 256, act_size)
        m.load_state_dict({k: v for k, v in sd.items() if not k.startswith("neuron")})
        obs = rollout_observations(task, m, 16, every=25)
        with torch.no_grad():
            y = m(torch.as_tensor(obs, dtype=torch.float32))
            action = (1.0 * torch.tanh(y)).numpy()  # TD3: max_action * tanh, max_action = 1
        write_reference(f"crpi_TD3_{task}", actor=f"policies/crpi/TD3_{task}_actor",
                        sha256=hashlib.sha256(path.read_bytes()).hexdigest(), format="torch-state-dict",
                        layers=layer_sizes([m.l1.weight, m.l2.weight, m.l3.weight]),
                        head={"type": "tanh", "low": [-1.0] * act_size, "high": [1.0] * act_size},
                        options={"action_low": [-1.0] * act_size, "action_high": [1.0] * act_size},
                        observations_from=f"{task} rollout of this actor, reset seed 0, every 25th step",
                        observations=as_lists(obs), y=as_lists(y.numpy()), action=as_lists(action))


def zoo_references(shared):
    """Reference outputs of the three RL Zoo agents in <shared>/policies/zoo (read there, never
    copied): observations from a rollout of SB3's own predict, the raw y of the actor's last
    layer and SB3's action; for PPO also the statistics of vecnormalize.pkl as SB3 unpickles them."""
    zoo = shared / "policies/zoo"
    # The zoo pickled its spaces under gym; gymnasium's have the same pickled state.
    import gymnasium.spaces.box
    sys.modules.setdefault("gym", gym)
    sys.modules.setdefault("gym.spaces", gym.spaces)
    sys.modules.setdefault("gym.spaces.box", gymnasium.spaces.box)
    for algo, cls, task, run in (("sac", SAC, "HalfCheetah-v4", "HalfCheetah-v3"),
                                 ("tqc", TQC, "Walker2d-v4", "Walker2d-v3"),
                                 ("ppo", PPO, "Hopper-v4", "Hopper-v3")):
        path = zoo / algo / f"{run}_1" / f"{run}.zip"
        model = cls.load(path, device="cpu", custom_objects={"learning_rate": 0.0, "lr_schedule": lambda _: 0.0,
                                                             "clip_range": lambda _: 0.0})
        venv = None
        pkl = path.with_suffix("") / "vecnormalize.pkl"
        if pkl.exists():
            with open(pkl, "rb") as f:
                venv = pickle.load(f)
        pol = model.policy
        env = gym.make(task)
        o, _ = env.reset(seed=0)
        seen = []
        for step in range(16 * 25):
            x = venv.normalize_obs(o) if venv is not None else o
            a, _ = model.predict(x.astype(np.float32), deterministic=True)
            if step % 25 == 0:
                seen.append((o, x, a))
            o, _, terminated, truncated, _ = env.step(a)
            if terminated or truncated:
                o, _ = env.reset(seed=step + 1)
        env.close()
        obs = np.array([s[0] for s in seen], dtype=np.float64)
        xt = torch.as_tensor(np.array([s[1] for s in seen]), dtype=torch.float32)
        with torch.no_grad():
            if cls is PPO:
                y = pol.action_net(pol.mlp_extractor.forward_actor(xt)).numpy()
            else:
                y = pol.actor.mu(pol.actor.latent_pi(xt)).numpy()
        low, high = model.action_space.low, model.action_space.high
        extra = {}
        if venv is not None:
            extra["vecnormalize"] = {"file": str(pkl.relative_to(shared)),
                                     "sha256": hashlib.sha256(pkl.read_bytes()).hexdigest(),
                                     "obs_mean": [float(v) for v in venv.obs_rms.mean],
                                     "obs_var": [float(v) for v in venv.obs_rms.var],
                                     "epsilon": float(venv.epsilon), "clip_obs": float(venv.clip_obs)}
        extra["sb3_episodes"] = sb3_episodes(model, venv, task, seeds=range(10))
        write_reference(f"zoo_{algo}_{run}", actor=str(path.relative_to(shared)),
                        sha256=hashlib.sha256(path.read_bytes()).hexdigest(), format="sb3-zip",
                        head={"type": "clip" if cls is PPO else "tanh", "low": low.tolist(), "high": high.tolist()},
                        layers=None, options={}, observations_from=f"{task} rollout of SB3 predict, every 25th step",
                        observations=as_lists(obs), y=as_lists(y),
                        action=as_lists(np.array([s[2] for s in seen])), **extra)


def sb3_episodes(model, venv, task, seeds):
    """Per-episode returns and lengths of SB3's predict(deterministic=True), episode i reset with
    seed i (SPEC 8), observations normalised with the pickle's statistics where there is one; what
    ../shared/policies/zoo/README.md summarises as mean +- std."""
    env = gym.make(task)
    episodes = []
    for seed in seeds:
        o, _ = env.reset(seed=seed)
        ret, length, done = 0.0, 0, False
        while not done:
            x = venv.normalize_obs(o) if venv is not None else o
            a, _ = model.predict(x.astype(np.float32), deterministic=True)
            o, r, terminated, truncated, _ = env.step(a)
            ret += float(r)
            length += 1
            done = terminated or truncated
        episodes.append({"seed": seed, "return": ret, "length": length})
    env.close()
    return episodes


def rollout_observations(task, actor, n, every):
    """Observations the actor really meets (random ones saturate every tanh of these actors)."""
    env = gym.make(task)
    o, _ = env.reset(seed=0)
    seen = [o]
    while len(seen) < n * every:
        with torch.no_grad():
            a = torch.tanh(actor(torch.as_tensor(o, dtype=torch.float32))).numpy()
        o, _, terminated, truncated, _ = env.step(a)
        seen.append(o)
        if terminated or truncated:
            o, _ = env.reset(seed=len(seen))
    env.close()
    return np.array(seen[::every][:n], dtype=np.float64)


def main():
    p = argparse.ArgumentParser(description="Write actor fixtures and PyTorch reference outputs.")
    p.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                   help="directory holding policies/crpi (default: ../shared next to the project)")
    a = p.parse_args()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    REFERENCE.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    state_dict_fixtures()
    layout_fixtures()
    sb3_fixtures()
    vecnormalize_fixtures()
    torchscript_fixtures()
    safetensors_fixtures()
    crpi_references(a.shared)
    zoo_references(a.shared)
    for f in sorted(p for p in FIXTURES.rglob("*") if p.is_file()) + sorted(REFERENCE.iterdir()):
        print(f"{f.stat().st_size:8d}  {f.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
