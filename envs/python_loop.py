"""Pure-Python reference loop: a TD3 actor in numpy against Gymnasium, no bridge, no torch.

    python envs/python_loop.py --env Hopper-v4 --policy PATH --episodes 10 --seed 0

Reads a PyTorch torch.save state dict (zip archive: data.pkl plus raw storages data/N) with
zipfile and a restricted unpickler, runs the actor in float32 like PyTorch on CPU:
h1 = ReLU(W1 o + b1), h2 = ReLU(W2 h1 + b2), action = tanh(W3 h2 + b3) * scale + bias with
scale = (high - low) / 2 and bias = (high + low) / 2 from the action space (SPEC 2; for the
symmetric boxes of the MuJoCo tasks that is max_action * tanh with max_action = high). Actions
are not clipped (the environment does not clip either).

Episode i is reset with seed S + i and runs until terminated or truncated (TimeLimit of
gymnasium.make: 1000 steps for the MuJoCo tasks), SPEC 8. Prints one JSON line:
env, episodes, seed, returns, lengths, mean_return, std_return (population std, like
Stable-Baselines3's evaluate_policy), steps_per_s (environment steps per second of wall time over
the evaluation loop only, actor included, start-up and loading excluded), loop_s, actor_s, and
with --env-alone env_alone: the same episodes replayed with the recorded actions and no actor
(steps, loop_s, steps_per_s), the cost of the simulation and Gymnasium's wrappers alone.
"""

import argparse
import json
import pickle
import sys
import time
import zipfile

import gymnasium
import numpy as np

# Storage classes a state dict may name, and the numpy dtype of their raw little-endian bytes.
STORAGE_DTYPES = {
    "FloatStorage": "<f4",
    "DoubleStorage": "<f8",
    "HalfStorage": "<f2",
    "LongStorage": "<i8",
    "IntStorage": "<i4",
    "ShortStorage": "<i2",
    "CharStorage": "i1",
    "ByteStorage": "u1",
    "BoolStorage": "?",
}


class StorageType:
    def __init__(self, name):
        self.name = name
        self.dtype = np.dtype(STORAGE_DTYPES[name])


def rebuild_tensor(storage, offset, size, stride, requires_grad=False, hooks=None, metadata=None):
    """numpy stand-in for torch._utils._rebuild_tensor_v2: a strided view of the storage, copied."""
    itemsize = storage.dtype.itemsize
    view = np.lib.stride_tricks.as_strided(
        storage[offset:], shape=tuple(size), strides=tuple(s * itemsize for s in stride)
    )
    return np.array(view)


class StateDictUnpickler(pickle.Unpickler):
    """Unpickles data.pkl of a torch.save archive, allowing only what a state dict of tensors needs."""

    def __init__(self, file, archive, prefix):
        super().__init__(file)
        self.archive = archive
        self.prefix = prefix
        self.storages = {}

    def find_class(self, module, name):
        if (module, name) == ("collections", "OrderedDict"):
            import collections

            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return rebuild_tensor
        if module == "torch" and name in STORAGE_DTYPES:
            return StorageType(name)
        raise pickle.UnpicklingError(f"unexpected global {module}.{name} in a state dict")

    def persistent_load(self, pid):
        # ('storage', storage type, key, location, number of elements); location (e.g. cuda:0)
        # does not matter here: every tensor is read to host memory.
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        _, storage_type, key, _location, numel = pid
        if key not in self.storages:
            raw = self.archive.read(f"{self.prefix}data/{key}")
            data = np.frombuffer(raw, dtype=storage_type.dtype)
            if data.size != numel:
                raise pickle.UnpicklingError(f"storage {key}: {data.size} elements, expected {numel}")
            self.storages[key] = data
        return self.storages[key]


def load_state_dict(path):
    with zipfile.ZipFile(path) as archive:
        pickles = [n for n in archive.namelist() if n.endswith("data.pkl")]
        if len(pickles) != 1:
            raise ValueError(f"{path}: expected one data.pkl in the torch.save archive, found {len(pickles)}")
        prefix = pickles[0][: -len("data.pkl")]
        names = set(archive.namelist())
        if f"{prefix}byteorder" in names and archive.read(f"{prefix}byteorder").strip() != b"little":
            raise ValueError(f"{path}: big-endian storages are not supported")
        with archive.open(pickles[0]) as f:
            return StateDictUnpickler(f, archive, prefix).load()


class NumpyActor:
    """The TD3 actor 'in-256-256-act' of the state dict (keys l1, l2, l3), float32."""

    def __init__(self, state, action_space):
        try:
            self.layers = [
                (state[f"l{i}.weight"].astype(np.float32), state[f"l{i}.bias"].astype(np.float32)) for i in (1, 2, 3)
            ]
        except KeyError as e:
            raise ValueError(f"state dict has no {e.args[0]} (expected keys l1, l2, l3 .weight/.bias)") from None
        low = np.asarray(action_space.low, dtype=np.float32)
        high = np.asarray(action_space.high, dtype=np.float32)
        self.scale = (high - low) / np.float32(2)
        self.bias = (high + low) / np.float32(2)
        if self.layers[-1][0].shape[0] != low.size:
            raise ValueError(f"actor has {self.layers[-1][0].shape[0]} outputs, action space has {low.size}")

    def __call__(self, obs):
        h = np.asarray(obs, dtype=np.float32)
        for w, b in self.layers[:-1]:
            h = np.maximum(w @ h + b, np.float32(0))
        w, b = self.layers[-1]
        return np.tanh(w @ h + b) * self.scale + self.bias


def evaluate(env, actor, episodes, seed, record=None):
    """Returns per-episode returns and lengths, steps/s, and seconds spent in the actor.

    With a list as record, appends each episode's actions to it (for replay_actions).
    """
    returns, lengths = [], []
    steps = 0
    actor_s = 0.0
    clock = time.perf_counter
    start = clock()
    for i in range(episodes):
        obs, _ = env.reset(seed=seed + i)
        total, length, done = 0.0, 0, False
        actions = []
        while not done:
            t0 = clock()
            action = actor(obs)
            actor_s += clock() - t0
            if record is not None:
                actions.append(action)
            obs, reward, terminated, truncated, _ = env.step(action)
            total += float(reward)
            length += 1
            done = terminated or truncated
        returns.append(total)
        lengths.append(length)
        steps += length
        if record is not None:
            record.append(actions)
    seconds = clock() - start
    return returns, lengths, steps / seconds, seconds, actor_s


def replay_actions(env, recorded, seed):
    """The environment alone: episode i reset with seed + i and stepped with its recorded actions,
    so the simulation follows the same trajectories without an actor. Returns steps and seconds."""
    clock = time.perf_counter
    steps = 0
    start = clock()
    for i, actions in enumerate(recorded):
        env.reset(seed=seed + i)
        for action in actions:
            env.step(action)
        steps += len(actions)
    return steps, clock() - start


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, help="Gymnasium id with version, e.g. Hopper-v4")
    parser.add_argument("--policy", required=True, help="torch.save state dict of the actor")
    parser.add_argument("--episodes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0, help="episode i is reset with seed + i")
    parser.add_argument("--env-alone", action="store_true",
                        help="also time the environment alone, replaying the evaluation's actions (env_alone)")
    args = parser.parse_args(argv)
    if args.episodes < 1:
        parser.error("--episodes must be >= 1")

    env = gymnasium.make(args.env)
    actor = NumpyActor(load_state_dict(args.policy), env.action_space)
    recorded = [] if args.env_alone else None
    returns, lengths, steps_per_s, seconds, actor_s = evaluate(env, actor, args.episodes, args.seed, recorded)
    extra = {}
    if args.env_alone:
        steps, alone_s = replay_actions(env, recorded, args.seed)
        extra["env_alone"] = {"steps": steps, "loop_s": alone_s, "steps_per_s": steps / alone_s}
    env.close()
    print(
        json.dumps(
            {
                **extra,
                "env": args.env,
                "episodes": args.episodes,
                "seed": args.seed,
                "returns": returns,
                "lengths": lengths,
                "mean_return": float(np.mean(returns)),
                "std_return": float(np.std(returns)),
                "steps_per_s": steps_per_s,
                "loop_s": seconds,
                "actor_s": actor_s,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
