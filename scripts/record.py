"""`make record`: re-record every cassette from the reference server.

Starts the reference server in its deterministic and test modes on a free
loopback port, runs the record/replay tests with --record-mode=rewrite, and
stops the server, also when recording fails. Recording twice gives the same
bytes (tests/integration/test_cassettes.py proves it).

    python scripts/record.py                      # into cassettes/
    python scripts/record.py --output /tmp/again  # somewhere else, to compare
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from users_server import Settings  # noqa: E402
from users_server.background import run_server  # noqa: E402

# The suites whose cassettes live in cassettes/.
RECORDED_SUITES = ["tests/integration"]  # test_examples.py runs examples/ too


def record(output: Path, pytest_args: list[str]) -> int:
    settings = Settings(port=0, deterministic=True, test_mode=True)
    with run_server(settings) as base_url:
        env = {
            **os.environ,
            "USERS_API_BASE_URL": base_url,
            "USERS_API_TOKEN": settings.owner_token,
            "USERS_SDK_CASSETTE_DIR": str(output),
            "PYTHONPATH": os.pathsep.join(
                [str(ROOT / "server"), os.environ.get("PYTHONPATH", "")]
            ).rstrip(os.pathsep),
        }
        env.pop("USERS_API_KEY", None)
        print(f"recording from the reference server at {base_url} into {output}", flush=True)
        command = [
            sys.executable, "-m", "pytest", *RECORDED_SUITES, "-m", "vcr", "--record-mode=rewrite",
            "-p", "no:cacheprovider", "-q", *pytest_args,
        ]  # fmt: skip
        return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "cassettes")
    args, pytest_args = parser.parse_known_args()
    return record(args.output.resolve(), pytest_args)


if __name__ == "__main__":
    sys.exit(main())
