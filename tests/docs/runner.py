"""Runs code blocks in one child process against one reference server,
each block (or page) from the server's seeded state: `POST /_test/reset`
before each. Prints `=== <name>` before each, so output can be split."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from users_server import Settings, run_server

# The child: for each (name, code, preamble) it resets the server, then runs
# the code, compiled with top-level await allowed (as `python -m asyncio`
# and notebooks do) when it awaits.
CHILD = r"""
import ast, asyncio, json, os, sys, httpx2
blocks = json.load(open(sys.argv[1], encoding="utf-8"))
base = os.environ["USERS_API_BASE_URL"]
for name, code, preamble in blocks:
    httpx2.post(base + "/_test/reset").raise_for_status()
    print("=== " + name, flush=True)
    namespace = {"__name__": "__main__"}
    exec(preamble, namespace)
    compiled = compile(code, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)
    if asyncio.iscoroutine(result):
        asyncio.run(result)
"""


def run_blocks(blocks: list[tuple[str, str, str]], tmp_path: Path) -> dict[str, str]:
    """{name: stdout} of each block; fails with the child's stderr if one raised."""
    data = tmp_path / "blocks.json"
    data.write_text(json.dumps(blocks), encoding="utf-8")
    child = tmp_path / "child.py"
    child.write_text(CHILD, encoding="utf-8")
    settings = Settings(port=0, test_mode=True, deterministic=True)
    with run_server(settings) as base_url:
        env = {
            **os.environ,
            "USERS_API_BASE_URL": base_url,
            "USERS_API_TOKEN": settings.owner_token,
        }
        env.pop("USERS_API_KEY", None)
        result = subprocess.run(
            [sys.executable, str(child), str(data)],
            capture_output=True, text=True, env=env, timeout=300, check=False,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    outputs: dict[str, str] = {}
    for chunk in result.stdout.split("=== ")[1:]:
        name, _, text = chunk.partition("\n")
        outputs[name] = text
    return outputs
