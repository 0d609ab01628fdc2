"""Run a benchmark server in a child process, so that its Python code never
competes with the measured client for one interpreter lock.

The child prints one JSON line when it is ready and stops when its standard
input closes; both servers of the benchmarks (canned_server.py and
reference_server.py) follow that protocol.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any


@contextmanager
def serve_in_child(
    argv: list[str],
    *,
    not_ready: Exception,
    stop_timeout: float,
    env: Mapping[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """Start `argv`, yield its ready line (parsed), stop it on exit.

    Raises `not_ready` when the child exits before it says it is ready.
    """
    process = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        if not line:
            raise not_ready
        yield json.loads(line)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
