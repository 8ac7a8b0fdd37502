#!/usr/bin/env python3
"""Renders recorded episodes of a Gymnasium MuJoCo task to an animated GIF, side by side.

Java (`spikerl eval --video DIR`) runs the episodes through the bridge as usual and records each
controller's actions; this script replays them offscreen: the environment is made with
render_mode="rgb_array", reset with the episode's seed and stepped with the recorded actions, so
the frames show the same trajectory (MuJoCo is deterministic for a seed and an action sequence).
Several episodes (e.g. the ANN and its SNN on the same seed) are drawn next to each other, each
labelled, the shorter one holding its last frame.

Headless rendering uses OSMesa (MUJOCO_GL=osmesa, PYOPENGL_PLATFORM=osmesa, set here unless set
already; EGL needs a GPU), which needs Debian's libosmesa6: apt-get install libosmesa6.

Usage: python envs/spikerl_video.py SPEC.json
  SPEC: {"env": "Hopper-v4", "seed": 0, "out": "video.gif", "every": 4, "size": 240,
         "episodes": [{"label": "ANN", "actions": [[...], ...]}, ...]}
Prints one JSON line: {"out": ..., "frames": N, "steps": [...]}.
"""
import json
import os
import sys

os.environ.setdefault("MUJOCO_GL", "osmesa")
os.environ.setdefault("PYOPENGL_PLATFORM", "osmesa")

OSMESA_HINT = ("offscreen rendering needs OSMesa: install Debian's libosmesa6 "
               "(apt-get install libosmesa6)")


def fail(message):
    print(json.dumps({"error": message}))
    sys.exit(2)


def episode_frames(env_id, seed, actions, every, size):
    import gymnasium
    import numpy as np
    env = gymnasium.make(env_id, render_mode="rgb_array", width=size, height=size)
    try:
        env.reset(seed=seed)
        frames = [env.render()]
        steps = 0
        for i, a in enumerate(actions):
            _, _, terminated, truncated, _ = env.step(np.asarray(a, dtype=np.float64))
            steps += 1
            if (i + 1) % every == 0 or terminated or truncated:
                frames.append(env.render())
            if terminated or truncated:
                break
        return frames, steps
    finally:
        env.close()


def labelled(frame, text):
    from PIL import Image, ImageDraw
    img = Image.fromarray(frame)
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 8 * len(text) + 8, 16], fill=(255, 255, 255))
    draw.text((4, 2), text, fill=(0, 0, 0))
    return img


def main(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    try:
        rendered = [episode_frames(spec["env"], spec["seed"], e["actions"], spec.get("every", 4),
                                   spec.get("size", 240)) for e in spec["episodes"]]
    except Exception as e:  # mujoco raises several kinds when no OpenGL backend loads
        text = f"{type(e).__name__}: {e}"
        if "osmesa" in text.lower() or "opengl" in text.lower() or "gl" in type(e).__name__.lower():
            fail(f"cannot render {spec['env']} offscreen ({text.splitlines()[0]}); {OSMESA_HINT}")
        fail(f"cannot render {spec['env']}: {text.splitlines()[0]}")
    import numpy as np
    from PIL import Image
    n = max(len(frames) for frames, _ in rendered)
    out_frames = []
    for k in range(n):
        row = []
        for (frames, _), e in zip(rendered, spec["episodes"]):
            row.append(np.asarray(labelled(frames[min(k, len(frames) - 1)], e["label"])))
        out_frames.append(Image.fromarray(np.hstack(row)))
    out_frames[0].save(spec["out"], save_all=True, append_images=out_frames[1:], duration=40, loop=0)
    print(json.dumps({"out": spec["out"], "frames": n, "steps": [s for _, s in rendered]}))


if __name__ == "__main__":
    main(sys.argv[1])
