"""Bridge server: hosts Gymnasium environments for the spikerl Java runtime over Py4J.

Started by org.spikerl.bridge.PythonBridge, never by hand. The start-up handshake:

1. Java starts a Py4J GatewayServer on 127.0.0.1 at an ephemeral port with a fresh random auth
   token, starts this script and writes "<port> <token>" as one line to its stdin. The token is
   never in argv or the environment: both are readable by other local users (ps, /proc).
2. This script connects to that gateway with the token and starts its own callback server on
   127.0.0.1 at an ephemeral port with the same token. It tells Java the port with
   GatewayServer.resetCallbackClient (Py4J's documented way to use callback port 0), then
   registers an EnvService through the Java entry point's register method.
3. After the handshake, stdin and the original stdout are the data channel: resets and steps
   arrive as binary frames on stdin and their results leave as frames on the original stdout
   (serve_data). Py4J keeps the control calls (make, close, versions) and the test hooks. The
   pipes belong to this process and its parent alone, need no port, token or file, and cost
   less per step than Py4J's text protocol over TCP (docs/throughput.md). File descriptor 1 is
   pointed at stderr, so anything printed goes to Java's output tail, not into the channel.
4. The data thread reads stdin until end of file. Java keeps the pipe open for the bridge's
   whole life, so end of file means the bridge was closed or the JVM died (SIGKILL included):
   the process exits at once. PR_SET_PDEATHSIG is not used: it fires when the *thread* that
   started the child exits, which in a JVM can be any short-lived worker thread.

Data crosses as packed little-endian bytes: float64 observations, actions and rewards, int64
seeds, uint8 masks and flags. A request frame is op (u8: 1 reset, 2 step), handle, base, start,
count (i32 each) and the payload length (u32), then the payload: count mask bytes and the seeds
or actions of slots [start, start + count). base is the slot number of this process's slot 0 in
the whole vector env (Java splits one across several processes), used only to name slots in
errors. A reply frame is status (u8: 0 ok, 1 error), the length (u32) and the result bytes or
the one-line error message (UTF-8). The Py4J calls resetBatch and stepBatch do the same over Py4J;
Java splits their batches to keep each message under 8 KB (Py4J 0.10.9.x stalls about 40 ms per
call above that, py4j issue 516).

Environments are made with gymnasium.make(env_id, **kwargs) and nothing else: the default
wrappers (TimeLimit, OrderEnforcing, PassiveEnvChecker) and no clipping of actions (SPEC 2: the
environment does not clip; the actor head produces in-range actions). Actions are passed as the
float64 values Java sent, so the environment sees exactly the policy's action.

Seeding (SPEC 8): Java resets episode i of a run with seed S + i, and each reset here is
env.reset(seed=...). That seeds the environment's np_random, which draws the initial-state noise
of the MuJoCo tasks. Nothing here samples the action space, so no other seed is needed.

Service method names follow the Java interface org.spikerl.bridge.PyEnvService, because Py4J
calls a Python proxy by the Java method name.

--test-hooks (integration tests only) enables debugSleep, for call timeouts, and registers
spikerl-test/NanObservation-v0, whose observation turns NaN at step 3, and
spikerl-test/LateNanObservation-v0, where only episodes reset with seed >= 2 do so (earlier ones
run to the 10-step time limit with reward 1 per step): a run that fails after finishing episodes,
and spikerl-test/SlowStep-v0, whose steps take 60 s (for the data channel's call timeout).
It also delays the callback server's listen() by LISTEN_DELAY_S, the race described at
wait_until_listening, so that tests exercise the start-up wait for it.
"""

import os

if __name__ == "__main__":
    # The original stdout becomes the data channel before anything (an import) can print to it;
    # fd 1, and so sys.stdout and print, now go to stderr.
    DATA_OUT = os.dup(1)
    os.dup2(2, 1)

import argparse
import difflib
import functools
import json
import logging
import math
import platform
import select
import socket
import struct
import sys
import threading
import time

import gymnasium
import mujoco
import numpy as np
import py4j.version
from gymnasium import spaces
from py4j.java_gateway import CallbackServer, CallbackServerParameters, GatewayParameters, JavaGateway

LOOPBACK = "127.0.0.1"
F64 = np.dtype("<f8")
I64 = np.dtype("<i8")
U8 = np.dtype("u1")


class BridgeError(Exception):
    """A failure reported to Java; PythonBridge shows the message (one line) to the user."""

    def __init__(self, message):
        super().__init__(" ".join(str(message).split()))


def reported(method):
    """Turns any exception escaping a service method into a one-line BridgeError."""

    @functools.wraps(method)
    def call(*args):
        try:
            return method(*args)
        except BridgeError:
            raise
        except Exception as e:  # noqa: BLE001 - anything else is reported, not swallowed
            raise BridgeError(f"{type(e).__name__}: {e}") from None

    return call


def box_description(env_id, role, space):
    """The JSON form of a Box space; any other space is refused with a message naming it."""
    if not isinstance(space, spaces.Box):
        raise BridgeError(
            f"{env_id}: {role} space is {space}; spikerl supports only Box observation and action spaces"
        )
    return {
        "shape": [int(n) for n in space.shape],
        "low": [float(x) for x in np.asarray(space.low, dtype=np.float64).reshape(-1)],
        "high": [float(x) for x in np.asarray(space.high, dtype=np.float64).reshape(-1)],
    }


def close_ids(env_id, limit=5):
    """Registered ids that look like env_id (edit distance, ignoring case)."""
    ids = sorted(gymnasium.registry.keys())
    by_lower = {i.lower(): i for i in ids}
    matches = difflib.get_close_matches(env_id.lower(), list(by_lower), n=limit, cutoff=0.6)
    return [by_lower[m] for m in matches]


def make_env(env_id, kwargs):
    try:
        return gymnasium.make(env_id, **kwargs)
    except gymnasium.error.UnregisteredEnv as e:
        close = close_ids(env_id)
        hint = f"; close ids: {', '.join(close)}" if close else ""
        raise BridgeError(f"unknown environment id '{env_id}' ({e}){hint}") from None


def slot_error(slot, message):
    e = BridgeError(message)
    e.slot = slot
    return e


class EnvGroup:
    """num_envs copies of one environment, addressed by slot, with each slot's episode state."""

    def __init__(self, env_id, envs):
        self.env_id = env_id
        self.envs = envs
        self.base = 0  # slot number of envs[0] in Java's vector env, for messages
        self.env_step_s = 0.0  # wall time inside env.step, for the loop benchmark's shares
        self.env_steps = 0
        self.obs_size = int(np.prod(envs[0].observation_space.shape))
        self.act_shape = envs[0].action_space.shape
        self.act_size = int(np.prod(self.act_shape))
        self.episode_seed = [None] * len(envs)
        self.episode_step = [0] * len(envs)
        self.ended = [True] * len(envs)  # no step before the first reset

    def check_range(self, start, count):
        if count < 1 or start < 0 or start + count > len(self.envs):
            raise BridgeError(f"{self.env_id}: slot range [{start}, {start + count}) outside 0..{len(self.envs)}")

    def check_length(self, name, data, expected):
        if len(data) != expected:
            raise BridgeError(f"{self.env_id}: {name} has {len(data)} bytes, expected {expected}")

    def store_observation(self, out, row, slot, obs):
        flat = np.asarray(obs, dtype=np.float64).reshape(-1)
        if flat.size != self.obs_size:
            raise BridgeError(
                f"{self.env_id} slot {self.base + slot} step {self.episode_step[slot]}: observation has "
                f"{flat.size} values, expected {self.obs_size}"
            )
        # A finite sum means every value is finite (a NaN or an infinity makes the sum NaN or
        # infinite); only a sum that is not (an overflow, or a bad value) needs the value check.
        if not math.isfinite(flat.sum()) and not np.isfinite(flat).all():
            bad = np.flatnonzero(~np.isfinite(flat)).tolist()
            bad = str(bad) if len(bad) <= 10 else f"{bad[:10]} and {len(bad) - 10} more"
            raise BridgeError(
                f"{self.env_id} slot {self.base + slot} (episode seed {self.episode_seed[slot]}) step "
                f"{self.episode_step[slot]}: observation has NaN or Inf at indices {bad}"
            )
        out[row] = flat

    def reset(self, start, count, mask, seeds):
        self.check_range(start, count)
        self.check_length("mask", mask, count)
        self.check_length("seeds", seeds, count * I64.itemsize)
        mask = np.frombuffer(mask, dtype=U8)
        seeds = np.frombuffer(seeds, dtype=I64)
        obs_out = np.zeros((count, self.obs_size), dtype=F64)
        for row in range(count):
            if not mask[row]:
                continue
            slot = start + row
            seed = int(seeds[row])
            obs, _info = self.envs[slot].reset(seed=seed)
            self.episode_seed[slot] = seed
            self.episode_step[slot] = 0
            self.ended[slot] = False
            self.store_observation(obs_out, row, slot, obs)
        return obs_out.tobytes()

    def step(self, start, count, mask, actions):
        """Steps the masked slots of [start, start + count) one after the other; see step_rows."""
        self.check_range(start, count)
        self.check_length("mask", mask, count)
        self.check_length("actions", actions, count * self.act_size * F64.itemsize)
        mask = np.frombuffer(mask, dtype=U8)
        actions = np.frombuffer(actions, dtype=F64).reshape(count, self.act_size)
        out = (np.zeros((count, self.obs_size), dtype=F64), np.zeros(count, dtype=F64),
               np.zeros(count, dtype=U8), np.zeros(count, dtype=U8))
        self.step_rows(start, [row for row in range(count) if mask[row]], actions, out)
        obs_out, rewards, terminated, truncated = out
        return obs_out.tobytes() + rewards.tobytes() + terminated.tobytes() + truncated.tobytes()

    def step_rows(self, start, rows, actions, out):
        """Steps slot start + row for each row; raises BridgeError naming the slot on bad data."""
        obs_out, rewards, terminated, truncated = out
        for row in rows:
            slot = start + row
            if self.ended[slot]:
                raise slot_error(slot,
                    f"{self.env_id} slot {self.base + slot}: step before reset or after the episode ended "
                    f"(step {self.episode_step[slot]}); reset the slot first"
                )
            action = np.array(actions[row]).reshape(self.act_shape)
            t0 = time.perf_counter()
            obs, reward, term, trunc, _info = self.envs[slot].step(action)
            self.env_step_s += time.perf_counter() - t0
            self.env_steps += 1
            self.episode_step[slot] += 1
            reward = float(reward)
            if not math.isfinite(reward):
                raise slot_error(slot,
                    f"{self.env_id} slot {self.base + slot} (episode seed {self.episode_seed[slot]}) step "
                    f"{self.episode_step[slot]}: reward is {reward}"
                )
            try:
                self.store_observation(obs_out, row, slot, obs)
            except BridgeError as e:
                raise slot_error(slot, str(e)) from None
            rewards[row] = reward
            terminated[row] = bool(term)
            truncated[row] = bool(trunc)
            self.ended[slot] = bool(term or trunc)

    def close(self):
        for env in self.envs:
            env.close()


class EnvService:
    """The object Java calls (see org.spikerl.bridge.PyEnvService for the contract)."""

    class Java:
        implements = ["org.spikerl.bridge.PyEnvService"]

    def __init__(self, test_hooks):
        self._test_hooks = test_hooks
        self._groups = {}
        self._next_handle = 1
        self._lock = threading.Lock()

    def _group(self, handle):
        group = self._groups.get(handle)
        if group is None:
            raise BridgeError(f"no environment with handle {handle} (closed or never made)")
        return group

    @reported
    def ping(self, value):
        return value

    @reported
    def versions(self):
        return json.dumps(
            {
                "python": platform.python_version(),
                "gymnasium": gymnasium.__version__,
                "mujoco": mujoco.__version__,
                "numpy": np.__version__,
                "py4j": py4j.version.__version__,
            }
        )

    @reported
    def envIds(self):
        return "\n".join(sorted(gymnasium.registry.keys()))

    @reported
    def make(self, env_id, num_envs, kwargs_json):
        kwargs = json.loads(kwargs_json) if kwargs_json else {}
        if not isinstance(kwargs, dict):
            raise BridgeError(f"{env_id}: make kwargs must be a JSON object, got {kwargs_json}")
        if num_envs < 1:
            raise BridgeError(f"{env_id}: number of environments must be >= 1, got {num_envs}")
        envs = [make_env(env_id, kwargs)]
        try:
            spec = {
                "id": env_id,
                "num_envs": num_envs,
                "observation": box_description(env_id, "observation", envs[0].observation_space),
                "action": box_description(env_id, "action", envs[0].action_space),
                "max_episode_steps": int(envs[0].spec.max_episode_steps or 0),
            }
            while len(envs) < num_envs:
                envs.append(gymnasium.make(env_id, **kwargs))
        except BaseException:
            for env in envs:
                env.close()
            raise
        with self._lock:
            handle = self._next_handle
            self._next_handle += 1
            self._groups[handle] = EnvGroup(env_id, envs)
        spec["handle"] = handle
        return json.dumps(spec)

    @reported
    def resetBatch(self, handle, start, count, mask, seeds):
        return self._group(handle).reset(start, count, mask, seeds)

    @reported
    def stepBatch(self, handle, start, count, mask, actions):
        return self._group(handle).step(start, count, mask, actions)

    @reported
    def timings(self, handle):
        group = self._group(handle)
        return json.dumps({"env_step_s": group.env_step_s, "env_steps": group.env_steps})

    @reported
    def close(self, handle):
        with self._lock:
            group = self._groups.pop(handle, None)
        if group is not None:
            group.close()

    @reported
    def shutdown(self):
        with self._lock:
            groups = list(self._groups.values())
            self._groups.clear()
        for group in groups:
            group.close()

    @reported
    def debugSleep(self, seconds):
        if not self._test_hooks:
            raise BridgeError("debugSleep is a test hook; the bridge was started without --test-hooks")
        time.sleep(seconds)
        return seconds


class NanObservationEnv(gymnasium.Env):
    """Test hook: a tiny Box environment whose observation turns NaN from step 3 on in episodes
    reset with seed >= nan_from_seed (or with no seed)."""

    observation_space = spaces.Box(-np.inf, np.inf, (2,), np.float64)
    action_space = spaces.Box(-1.0, 1.0, (1,), np.float32)

    def __init__(self, nan_from_seed=0, reward=0.0):
        self.nan_from_seed = nan_from_seed
        self.reward = reward

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        self.goes_nan = seed is None or seed >= self.nan_from_seed
        return np.zeros(2), {}

    def step(self, action):
        self.t += 1
        nan = self.goes_nan and self.t >= 3
        return np.full(2, np.nan if nan else float(self.t)), self.reward, False, False, {}


class SlowStepEnv(NanObservationEnv):
    """Test hook: every step sleeps 60 s, for the call timeout of the data channel."""

    def step(self, action):
        time.sleep(60)
        return super().step(action)


TEST_ENVS = {
    "spikerl-test/NanObservation-v0": (NanObservationEnv, {}),
    "spikerl-test/LateNanObservation-v0": (NanObservationEnv, {"nan_from_seed": 2, "reward": 1.0}),
    "spikerl-test/SlowStep-v0": (SlowStepEnv, {}),
}


def register_test_envs():
    for env_id, (entry_point, kwargs) in TEST_ENVS.items():
        gymnasium.register(id=env_id, entry_point=entry_point, max_episode_steps=10, kwargs=kwargs)


LISTEN_DELAY_S = 0.5


def delay_callback_listen():
    """Test hook: the callback server thread starts listening LISTEN_DELAY_S late."""
    run = CallbackServer.run

    def late_run(self):
        time.sleep(LISTEN_DELAY_S)
        run(self)

    CallbackServer.run = late_run


def wait_until_listening(server_socket, timeout_s=60.0):
    """Returns once the callback server socket accepts connections.

    Py4J 0.10.9 binds the callback server socket in start() but calls listen() later, on the
    server's own thread. Telling Java the port before that lets Java's first call find the port
    closed (connection refused), which happened under load. SO_ACCEPTCONN says whether listen()
    has run.
    """
    deadline = time.monotonic() + timeout_s
    while not server_socket.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
        if time.monotonic() > deadline:
            fail(f"the callback server did not start listening within {timeout_s:.0f} s")
        time.sleep(0.001)


def read_handshake():
    """Reads "<port> <token>\\n" from stdin byte by byte, so nothing after it is buffered away."""
    line = bytearray()
    while not line.endswith(b"\n"):
        chunk = os.read(0, 1)
        if not chunk:
            fail("no handshake on stdin; this script is started by the Java runtime (PythonBridge), not by hand")
        line += chunk
    parts = line.decode("ascii").split()
    if len(parts) != 2 or not parts[0].isdigit():
        fail("malformed handshake on stdin; expected '<port> <token>'")
    return int(parts[0]), parts[1]


REQUEST = struct.Struct("<BiiiiI")  # op, handle, base, start, count, payload length
REPLY = struct.Struct("<BI")  # status, payload length
OP_RESET, OP_STEP = 1, 2
MAX_POLL_SPIN_US = 100_000  # BridgeOptions.MAX_POLL_SPIN


def read_exact(fd, n):
    """n bytes from fd, or None at end of file."""
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        try:
            k = os.readv(fd, [view[got:]])
        except InterruptedError:
            continue
        except OSError:
            return None
        if k == 0:
            return None
        got += k
    return bytes(buf)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def spin_until_readable(poller, spin_s):
    """Polls the data channel, without sleeping, until the next frame has arrived or spin_s seconds
    have passed, yielding the core between polls (to Java, when it is woken on this core).

    Between two steps a worker waits for Java's next actions, tens of microseconds; blocking at once
    let the VM halt the idle core, whose wake-up cost a few hundred (docs/throughput.md)."""
    if spin_s <= 0:
        return
    clock = time.perf_counter
    deadline = clock() + spin_s
    while not poller.poll(0):
        if clock() >= deadline:
            return
        os.sched_yield()


def serve_data(service, fd_in, fd_out, spin_s=0.0):
    """Serves reset and step frames from fd_in until end of file, then ends the process."""
    poller = select.poll()
    poller.register(fd_in, select.POLLIN)
    while True:
        spin_until_readable(poller, spin_s)
        head = read_exact(fd_in, REQUEST.size)
        if head is None:
            os._exit(0)
        op, handle, base, start, count, length = REQUEST.unpack(head)
        payload = read_exact(fd_in, length) if length else b""
        if payload is None:
            os._exit(0)
        try:
            group = service._group(handle)
            group.base = base
            mask, data = payload[:count], payload[count:]
            if op == OP_RESET:
                result = group.reset(start, count, mask, data)
            elif op == OP_STEP:
                result = group.step(start, count, mask, data)
            else:
                raise BridgeError(f"unknown data operation {op}")
            write_all(fd_out, REPLY.pack(0, len(result)) + result)
        except Exception as e:  # noqa: BLE001 - reported to Java as one line, like Py4J calls
            message = str(e) if isinstance(e, BridgeError) else str(BridgeError(f"{type(e).__name__}: {e}"))
            encoded = message.encode("utf-8", "replace")
            write_all(fd_out, REPLY.pack(1, len(encoded)) + encoded)


def fail(message):
    print(f"spikerl_bridge: {message}", file=sys.stderr, flush=True)
    os._exit(2)


class HideReportedErrors(logging.Filter):
    """Py4J logs every exception a proxy method raises; Java already reports those."""

    def filter(self, record):
        return not record.getMessage().startswith("There was an exception while executing the Python Proxy")


def configure_logging():
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("spikerl_bridge %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(HideReportedErrors())
    logger = logging.getLogger("py4j")
    logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False


def main(argv):
    parser = argparse.ArgumentParser(description="spikerl Gymnasium bridge (started by the Java runtime)")
    parser.add_argument("--test-hooks", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--poll-spin-us", type=int, default=0,
                        help="poll the data channel this long (microseconds) before blocking; 0 blocks at once")
    args = parser.parse_args(argv)
    if not 0 <= args.poll_spin_us <= MAX_POLL_SPIN_US:
        fail(f"--poll-spin-us is {args.poll_spin_us}; expected 0..{MAX_POLL_SPIN_US}")
    configure_logging()
    if args.test_hooks:
        register_test_envs()
        delay_callback_listen()
    port, token = read_handshake()
    # The data channel: requests on stdin, replies on the original stdout (DATA_OUT).
    service = EnvService(args.test_hooks)
    threading.Thread(target=serve_data, args=(service, 0, DATA_OUT, args.poll_spin_us / 1e6), name="data",
                     daemon=True).start()

    gateway = JavaGateway(
        gateway_parameters=GatewayParameters(address=LOOPBACK, port=port, auth_token=token, eager_load=True),
        callback_server_parameters=CallbackServerParameters(
            address=LOOPBACK, port=0, auth_token=token, daemonize=True, daemonize_connections=True
        ),
    )
    callback_server = gateway.get_callback_server()
    wait_until_listening(callback_server.server_socket)
    callback_port = callback_server.get_listening_port()
    java_server = gateway.java_gateway_server
    java_server.resetCallbackClient(java_server.getCallbackClient().getAddress(), callback_port)
    gateway.entry_point.register(service)
    threading.Event().wait()  # serve until the watchdog ends the process


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Exception as e:  # noqa: BLE001 - start-up failure: tell Java in one line, then exit
        fail(f"start-up failed: {type(e).__name__}: {e}")
