"""Keras 3 on JAX and on TensorFlow as runners of `suite.py`.

Each backend runs in its own environment and process (`setup_peers.sh`
makes them under `bench/.peers/`), started once per suite run and driven
line by line, so that its steady-state epochs run in turn with the
in-process runners' epochs and share their machine noise:

    first NAME   build a fresh model for workload NAME, run its first
                 epoch (with XLA compilation) and four more; reply
                 {"first", "fit5", "rss"}
    epoch NAME   one more epoch of that model; reply {"seconds"}
    ready -      reply {} once the worker has imported and warmed up (the
                 suite waits for it, so that no worker's start-up runs
                 beside a measurement)

Replies are one JSON line after `PREFIX` on the worker's stdout; an error
replies {"error"} and the suite leaves that peer out from then on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

from harness import first_epochs
from harness import timed

PEERS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".peers")
PREFIX = "@@peer "


def find(args) -> dict:
    """backend -> Python of an environment with Keras on that backend:
    the `--peer` values, else the environments `setup_peers.sh` made."""
    found = dict(p.split("=", 1) for p in args.peer)
    for backend in ("jax", "tensorflow"):
        python = os.path.join(PEERS_DIR, backend, "bin", "python")
        if not (args.peer or args.no_peers) and os.path.exists(python):
            found[backend] = python
    return found


class Peer:
    """A worker process running Keras on one backend."""

    def __init__(self, backend: str, python: str, args) -> None:
        self.name = f"keras {backend}"
        suite = os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "suite.py"
        )
        command = [python, suite, "--worker", backend]
        command += ["--threads", str(args.threads)]
        command += ["--quick"] * args.quick + [
            "--keep-caches"
        ] * args.keep_caches
        self.log = tempfile.TemporaryFile(mode="w+")
        self.failed: str | None = None
        try:
            self.proc: subprocess.Popen | None = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                text=True,
            )
        except OSError as error:
            self.proc = None
            self._fail(f"cannot start {python}: {error}")

    def ask(self, command: str) -> dict | None:
        """The reply to `command`, or None once the peer has failed."""
        if self.failed is not None or self.proc is None:
            return None
        try:
            self.proc.stdin.write(command + "\n")
            self.proc.stdin.flush()
            for line in self.proc.stdout:
                if line.startswith(PREFIX):
                    reply = json.loads(line[len(PREFIX) :])
                    if "error" in reply:
                        return self._fail(reply["error"])
                    return reply
        except (BrokenPipeError, OSError) as error:
            return self._fail(str(error))
        self.log.seek(0)
        tail = self.log.read().strip().splitlines()[-1:]
        return self._fail(f"the process ended: {tail}")

    def _fail(self, reason: str) -> None:
        self.failed = reason
        print(f"  {self.name}: left out ({reason})", flush=True)
        return None

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)


def serve(works: list, make_epoch) -> None:
    """The worker's side: answer `first`/`epoch` lines from stdin.
    `make_epoch(work)` gives a fresh model's one-epoch callable."""
    by_name = {work.name: work for work in works}
    epochs: dict = {}
    for line in sys.stdin:
        command, name = line.split()
        try:
            if command == "ready":
                reply = {}
            elif command == "first":
                epochs = {name: None}  # the previous workload's model goes
                work = by_name[name]
                epochs[name], reply = first_epochs(
                    lambda: make_epoch(work), work.kind == "fit"
                )
            else:
                reply = {"seconds": timed(epochs[name])}
        except Exception as error:  # reported to the suite, which goes on
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(PREFIX + json.dumps(reply), flush=True)
