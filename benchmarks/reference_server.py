"""Run the reference server (server/users_server) in a child process for the benchmarks.

The end-to-end figures talk to the real FastAPI + SQLite server. It runs in its
own process, like the canned server, so that its Python code does not compete
with the client's for one interpreter lock.

`start_reference_server()` yields the base URL, or raises ReferenceServerMissing
(with the reason) when `users_server.run_server` cannot be imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from child_process import serve_in_child

ROOT = Path(__file__).resolve().parent.parent
SERVER_PATH = ROOT / "server"
OWNER_TOKEN = "owner-token"


class ReferenceServerMissing(RuntimeError):
    """The reference server cannot be started here; the message says why."""


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(SERVER_PATH), env.get("PYTHONPATH", "")) if p
    )
    return env


def probe() -> str | None:
    """None when the reference server can be imported, else the reason it cannot."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from users_server import Settings, run_server",
        ],
        env=_child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        return None
    last = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
    return f"the reference server is not importable yet ({last})"


@contextmanager
def start_reference_server() -> Iterator[str]:
    reason = probe()
    if reason is not None:
        raise ReferenceServerMissing(reason)
    with serve_in_child(
        [sys.executable, os.path.abspath(__file__)],
        not_ready=ReferenceServerMissing("the reference server exited before it was ready"),
        stop_timeout=10,
        env=_child_env(),
    ) as ready:
        yield str(ready["base_url"])


def main() -> None:
    from users_server import Settings, run_server

    # An in-memory database and port 0 (the OS picks a free port).
    with run_server(Settings(owner_token=OWNER_TOKEN, port=0)) as base_url:
        print(json.dumps({"base_url": base_url}), flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin


if __name__ == "__main__":
    main()
