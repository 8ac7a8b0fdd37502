"""Train a TD3 actor with Stable-Baselines3, checkpointing so that a stopped run resumes.

Runs in the training venv (envs/bootstrap-train.sh). Three sub-commands:

  train   train (or resume) until --total-steps; a checkpoint (model, replay buffer, progress) is
          written atomically every --checkpoint-every steps and when the process is stopped with
          SIGTERM/SIGINT. Rerunning the same command continues from the last checkpoint.
  export  copy the final model into policies/<name>/ and write its model card (JSON + Markdown),
          with the ANN return over 10 episodes (seeds 0..9) from Stable-Baselines3's own
          evaluation (evaluate_policy, one episode per seed).
  card    add the return measured by `./spikerl eval` (its summary.json) to an exported card.
  index   rewrite the actors table of policies/README.md from the model cards.

Hyperparameters are rl-baselines3-zoo's TD3 MuJoCo defaults (hyperparams/td3.yml, anchor
`mujoco-defaults`: 1e6 steps, learning_starts 10000, normal action noise std 0.1, train_freq 1,
gradient_steps 1, learning_rate 1e-3, batch_size 256) except the network, which is 256-256 ReLU
(the zoo uses [400, 300]) so that our actors have the same shape as the external CRPI actors.

A resumed run is not bit-identical to an uninterrupted one: the replay buffer and the networks
are restored, but the random generators restart from the seed plus the step count.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import sys
import time
from pathlib import Path

ZOO_MUJOCO_DEFAULTS = {
    "learning_starts": 10_000,
    "noise_std": 0.1,
    "train_freq": 1,
    "gradient_steps": 1,
    "learning_rate": 1e-3,
    "batch_size": 256,
    "buffer_size": 1_000_000,
    "gamma": 0.99,
    "tau": 0.005,
    "policy_delay": 2,
    "target_policy_noise": 0.2,
    "target_noise_clip": 0.5,
    "net_arch": [256, 256],
    "activation": "ReLU",
}
ZOO_SOURCE = "rl-baselines3-zoo hyperparams/td3.yml, MuJoCo defaults (net_arch changed to [256, 256])"


def default_run_dir(env_id: str, seed: int) -> Path:
    # Outside the work tree, so a fresh checkout of the repository does not wipe a running job.
    root = Path(os.environ.get("SPIKERL_TRAIN_DIR", Path.home() / ".cache" / "spikerl" / "train"))
    return root / f"{env_id}__td3__{seed}"


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def library_versions() -> dict:
    import gymnasium
    import mujoco
    import numpy
    import stable_baselines3
    import torch

    return {
        "python": platform.python_version(),
        "stable_baselines3": stable_baselines3.__version__,
        "torch": torch.__version__,
        "gymnasium": gymnasium.__version__,
        "mujoco": mujoco.__version__,
        "numpy": numpy.__version__,
    }


class Checkpointer:
    """Writes model + replay buffer + progress into run_dir/checkpoint atomically (dir swap)."""

    def __init__(self, run_dir: Path):
        self.dir = run_dir / "checkpoint"
        self.progress_file = self.dir / "progress.json"

    def exists(self) -> bool:
        return self.progress_file.exists()

    def progress(self) -> dict:
        return json.loads(self.progress_file.read_text())

    def save(self, model, progress: dict) -> None:
        tmp = self.dir.with_name("checkpoint.tmp")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        model.save(tmp / "model.zip")
        model.save_replay_buffer(tmp / "replay_buffer.pkl")
        (tmp / "progress.json").write_text(json.dumps(progress, indent=2))
        old = self.dir.with_name("checkpoint.old")
        if old.exists():
            shutil.rmtree(old)
        if self.dir.exists():
            os.replace(self.dir, old)
        os.replace(tmp, self.dir)
        if old.exists():
            shutil.rmtree(old)


def evaluate_seeds(model, env_id: str, seeds) -> list:
    """SB3's evaluate_policy, one deterministic episode per seed (episode i reset with seed i)."""
    import gymnasium as gym
    from stable_baselines3.common.evaluation import evaluate_policy
    from stable_baselines3.common.vec_env import DummyVecEnv

    returns = []
    for s in seeds:
        venv = DummyVecEnv([lambda: gym.make(env_id)])
        venv.seed(int(s))
        rets, lens = evaluate_policy(model, venv, n_eval_episodes=1, deterministic=True,
                                     return_episode_rewards=True)
        venv.close()
        returns.append((float(rets[0]), int(lens[0])))
    return returns


def cmd_train(args) -> int:
    import gymnasium as gym
    import numpy as np
    import torch
    from stable_baselines3 import TD3
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.noise import NormalActionNoise

    torch.set_num_threads(args.threads)
    run_dir = Path(args.run_dir) if args.run_dir else default_run_dir(args.env, args.seed)
    run_dir.mkdir(parents=True, exist_ok=True)
    ckpt = Checkpointer(run_dir)
    hp = dict(ZOO_MUJOCO_DEFAULTS)
    env = gym.make(args.env)

    if ckpt.exists():
        progress = ckpt.progress()
        if progress["env"] != args.env or progress["seed"] != args.seed:
            print(f"train_actor: {run_dir} holds a run of {progress['env']} seed {progress['seed']}, "
                  f"not {args.env} seed {args.seed}", file=sys.stderr)
            return 2
        model = TD3.load(ckpt.dir / "model.zip", env=env, device="cpu")
        model.load_replay_buffer(ckpt.dir / "replay_buffer.pkl")
        # Fresh but reproducible random streams after a resume (see module docstring).
        model.set_random_seed(args.seed + int(model.num_timesteps))
        print(f"train_actor: resuming {args.env} at step {model.num_timesteps}", flush=True)
    else:
        n_act = env.action_space.shape[0]
        model = TD3(
            "MlpPolicy", env, seed=args.seed, device="cpu", verbose=0,
            learning_rate=hp["learning_rate"], buffer_size=hp["buffer_size"],
            learning_starts=hp["learning_starts"], batch_size=hp["batch_size"], tau=hp["tau"],
            gamma=hp["gamma"], train_freq=hp["train_freq"], gradient_steps=hp["gradient_steps"],
            policy_delay=hp["policy_delay"], target_policy_noise=hp["target_policy_noise"],
            target_noise_clip=hp["target_noise_clip"],
            action_noise=NormalActionNoise(np.zeros(n_act), hp["noise_std"] * np.ones(n_act)),
            policy_kwargs=dict(net_arch=hp["net_arch"], activation_fn=torch.nn.ReLU),
        )
        progress = {"env": args.env, "seed": args.seed, "algorithm": "TD3", "hyperparameters": hp,
                    "hyperparameters_source": ZOO_SOURCE, "wall_time_s": 0.0, "steps": 0,
                    "evaluations": []}
        print(f"train_actor: starting {args.env} seed {args.seed} in {run_dir}", flush=True)

    stop = {"now": False}

    def on_signal(signum, _frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    session_start = time.time()
    wall_before = float(progress["wall_time_s"])

    def checkpoint(evaluate: bool) -> None:
        progress["steps"] = int(model.num_timesteps)
        progress["wall_time_s"] = wall_before + (time.time() - session_start)
        if evaluate:
            # Model selection uses seeds far from the reporting seeds 0..9.
            results = evaluate_seeds(model, args.env, range(10_000, 10_000 + args.eval_episodes))
            mean = float(np.mean([r for r, _ in results]))
            progress["evaluations"].append({"steps": progress["steps"], "episodes": args.eval_episodes,
                                             "mean_return": mean})
            best = progress.get("best_mean_return")
            if best is None or mean > best:
                progress["best_mean_return"] = mean
                progress["best_steps"] = progress["steps"]
                model.save(run_dir / "best_model.tmp.zip")
                os.replace(run_dir / "best_model.tmp.zip", run_dir / "best_model.zip")
            print(f"train_actor: step {progress['steps']} eval mean {mean:.1f} "
                  f"(best {progress['best_mean_return']:.1f} at {progress['best_steps']}) "
                  f"wall {progress['wall_time_s']:.0f}s", flush=True)
        ckpt.save(model, progress)

    class Periodic(BaseCallback):
        def _on_step(self) -> bool:
            if self.model.num_timesteps % args.checkpoint_every == 0:
                checkpoint(evaluate=True)
            return not stop["now"]

    remaining = args.total_steps - int(model.num_timesteps)
    if remaining > 0:
        model.learn(total_timesteps=remaining, callback=Periodic(), reset_num_timesteps=False)
    checkpoint(evaluate=not stop["now"] and int(model.num_timesteps) % args.checkpoint_every != 0)
    done = int(model.num_timesteps) >= args.total_steps
    print(f"train_actor: {'finished' if done else 'stopped'} at step {model.num_timesteps}", flush=True)
    return 0


def cmd_export(args) -> int:
    import numpy as np
    from stable_baselines3 import TD3

    run_dir = Path(args.run_dir) if args.run_dir else default_run_dir(args.env, args.seed)
    ckpt = Checkpointer(run_dir)
    if not ckpt.exists():
        print(f"train_actor: no checkpoint in {run_dir}", file=sys.stderr)
        return 2
    progress = ckpt.progress()
    source = run_dir / "best_model.zip" if args.which == "best" else ckpt.dir / "model.zip"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "model.zip"
    # The shipped zip is SB3's own model file (actor, critics, optimiser state, no replay buffer),
    # copied byte for byte so that exporting the same checkpoint again gives the same SHA-256.
    shutil.copyfile(source, out / "model.tmp.zip")
    os.replace(out / "model.tmp.zip", target)
    model = TD3.load(target, device="cpu")
    results = evaluate_seeds(model, args.env, range(10))
    returns = [r for r, _ in results]
    steps = progress["best_steps"] if args.which == "best" else progress["steps"]
    card = {
        "name": out.name,
        "env": args.env,
        "algorithm": "TD3",
        "library": "stable-baselines3",
        "architecture": {"hidden": progress["hyperparameters"]["net_arch"], "activation": "ReLU",
                         "head": "tanh, scaled to the action bounds"},
        "hyperparameters": progress["hyperparameters"],
        "hyperparameters_source": progress["hyperparameters_source"],
        "seed": progress["seed"],
        "training_steps": int(steps),
        "training_steps_run": int(progress["steps"]),
        "selected": args.which,
        "selection": ({"by": "mean return of evaluate_policy, one episode per seed, on seeds 10000..",
                       "mean_return": progress["best_mean_return"],
                       "evaluations": progress["evaluations"]} if args.which == "best" else None),
        "wall_time_s": round(float(progress["wall_time_s"]), 1),
        "library_versions": library_versions(),
        "file": "model.zip",
        "sha256": sha256(target),
        "evaluation": {
            "episodes": 10, "seeds": list(range(10)), "deterministic": True,
            "sb3_evaluate_policy": {"returns": returns, "lengths": [n for _, n in results],
                                    "mean_return": float(np.mean(returns)),
                                    "std_return": float(np.std(returns))},
        },
        "target_mean_return": args.target,
        "target_reached": bool(np.mean(returns) >= args.target) if args.target else None,
    }
    write_card(out, card)
    print(json.dumps(card["evaluation"]["sb3_evaluate_policy"]))
    return 0


def cmd_card(args) -> int:
    out = Path(args.out)
    card = json.loads((out / "model_card.json").read_text())
    summary = json.loads(Path(args.summary).read_text())
    if summary.get("policy_sha256") != card["sha256"]:
        print(f"train_actor: {args.summary} evaluated another file (sha256 differs)", file=sys.stderr)
        return 2
    sb3_mean = card["evaluation"]["sb3_evaluate_policy"]["mean_return"]
    card["evaluation"]["spikerl_eval"] = {
        "returns": summary["returns"], "lengths": summary["lengths"],
        "mean_return": summary["mean_return"], "std_return": summary["std_return"],
        "relative_difference_to_sb3": abs(summary["mean_return"] - sb3_mean) / abs(sb3_mean),
    }
    write_card(out, card)
    return 0


def write_card(out: Path, card: dict) -> None:
    atomic_write_text(out / "model_card.json", json.dumps(card, indent=2) + "\n")
    ev = card["evaluation"]
    sb3 = ev["sb3_evaluate_policy"]
    lines = [
        f"# {card['name']}: TD3 actor for {card['env']}",
        "",
        "Trained by this project with `envs/train_actor.py` (Stable-Baselines3 TD3 on the CPU).",
        "The machine-readable card is `model_card.json`; this page summarises it.",
        "",
        f"- Environment: `{card['env']}`; algorithm: TD3 ({card['library']} "
        f"{card['library_versions']['stable_baselines3']}, torch {card['library_versions']['torch']}).",
        f"- Actor: ReLU MLP {card['architecture']['hidden']}, tanh head scaled to the action bounds.",
        f"- Hyperparameters: {card['hyperparameters_source']}.",
        f"- Seed {card['seed']}; {card['training_steps']:,} environment steps "
        f"(model selected: {card['selected']}); the run went to {card['training_steps_run']:,} steps "
        f"in {card['wall_time_s'] / 3600:.2f} h wall time on a 2-core CPU machine.",
        f"- File `model.zip`, SHA-256 `{card['sha256']}`.",
        "",
        "| evaluation (10 episodes, seeds 0..9, deterministic) | mean return | std |",
        "|---|---|---|",
        f"| Stable-Baselines3 `evaluate_policy` | {sb3['mean_return']:.1f} | {sb3['std_return']:.1f} |",
    ]
    if "spikerl_eval" in ev:
        sp = ev["spikerl_eval"]
        lines.append(f"| `./spikerl eval` | {sp['mean_return']:.1f} | {sp['std_return']:.1f} |")
        rel = sp["relative_difference_to_sb3"]
        lines += ["", f"The two evaluations differ by {100 * rel:.2f}% "
                      f"({'within' if rel <= 0.01 else 'MORE than'} the 1% asked)."]
    if card.get("target_mean_return"):
        state = "reached" if card["target_reached"] else "NOT reached yet (training continues)"
        lines += ["", f"Target mean return {card['target_mean_return']:.0f}: {state}."]
    atomic_write_text(out / "MODEL_CARD.md", "\n".join(lines) + "\n")


INDEX_BEGIN = "<!-- actors table: written by `train_actor.py index` from the model cards -->"
INDEX_END = "<!-- end of actors table -->"


def cmd_index(args) -> int:
    """Rewrites the actors table of policies/README.md (between the markers) from the cards."""
    root = Path(args.policies)
    readme = root / "README.md"
    text = readme.read_text()
    if INDEX_BEGIN not in text or INDEX_END not in text:
        print(f"train_actor: {readme} lacks the actors-table markers", file=sys.stderr)
        return 2
    rows = ["| folder | env | training steps | mean return, seeds 0..9: SB3 `evaluate_policy` / "
            "`./spikerl eval` (difference) | target |", "|---|---|---|---|---|"]
    for card_file in sorted(root.glob("*/model_card.json")):
        card = json.loads(card_file.read_text())
        ev = card["evaluation"]
        sb3 = ev["sb3_evaluate_policy"]["mean_return"]
        ours = ev.get("spikerl_eval")
        measured = (f"{sb3:.1f} / {ours['mean_return']:.1f} ({100 * ours['relative_difference_to_sb3']:.2f}%)"
                    if ours else f"{sb3:.1f} / not measured")
        verdict = "reached" if card["target_reached"] else "not reached yet"
        rows.append(f"| [`{card_file.parent.name}/`]({card_file.parent.name}/MODEL_CARD.md) | {card['env']} "
                    f"| {card['training_steps']:,} | {measured} | {card['target_mean_return']:.0f}, {verdict} |")
    head, rest = text.split(INDEX_BEGIN, 1)
    _, tail = rest.split(INDEX_END, 1)
    atomic_write_text(readme, head + INDEX_BEGIN + "\n" + "\n".join(rows) + "\n" + INDEX_END + tail)
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("train", "export"):
        s = sub.add_parser(name)
        s.add_argument("--env", required=True)
        s.add_argument("--seed", type=int, default=0)
        s.add_argument("--run-dir", default=None)
        if name == "train":
            s.add_argument("--total-steps", type=int, default=1_000_000)
            s.add_argument("--checkpoint-every", type=int, default=25_000)
            s.add_argument("--eval-episodes", type=int, default=5)
            s.add_argument("--threads", type=int, default=1)
        else:
            s.add_argument("--out", required=True)
            s.add_argument("--which", choices=["best", "last"], default="best")
            s.add_argument("--target", type=float, default=None)
    c = sub.add_parser("card")
    c.add_argument("--out", required=True)
    c.add_argument("--summary", required=True)
    i = sub.add_parser("index")
    i.add_argument("--policies", default=str(Path(__file__).resolve().parent.parent / "policies"))
    args = p.parse_args(argv)
    return {"train": cmd_train, "export": cmd_export, "card": cmd_card, "index": cmd_index}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
