"""`make record`: re-record every cassette from the reference server.

Starts the reference server in its deterministic and test modes on a free
loopback port, runs the record/replay tests with --record-mode=rewrite, and
stops the server, also when recording fails. Recording twice gives the same
bytes (tests/integration/test_cassettes.py proves it).

It records into a copy of the output folder and puts the copy in place only
when every test passed: a failed recording leaves the cassettes as they were
(the partial recording is deleted; pass --keep-failed to look at it).

    python scripts/record.py                      # into cassettes/
    python scripts/record.py --output /tmp/again  # somewhere else, to compare
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from users_server import Settings, run_server  # noqa: E402

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


def record_atomically(output: Path, pytest_args: list[str], keep_failed: bool) -> int:
    """Record into a copy of `output`; swap it in only if the recording passed."""
    if output.exists() and not output.is_dir():
        print(f"--output {output} is a file, not a folder")
        return 2
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = output.with_name(f".{output.name}-previous")
    if previous.is_dir() and not output.exists():
        # An earlier run stopped between its two renames: put the old cassettes back.
        previous.rename(output)
    # A sibling folder, so that the swap is two renames on one file system. It
    # starts as a copy: a recording of some tests (-k) keeps everyone else's.
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-recording-", dir=output.parent))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; cassettes are not
    code = 1
    try:
        if output.exists():
            shutil.copytree(output, staging, dirs_exist_ok=True)
        code = record(staging, pytest_args)
    finally:
        if code != 0:
            if keep_failed:
                print(f"recording failed; {output} is unchanged, the partial one is in {staging}")
            else:
                shutil.rmtree(staging, ignore_errors=True)
                print(f"recording failed; {output} is unchanged")
    if code != 0:
        return code
    shutil.rmtree(previous, ignore_errors=True)
    if output.exists():
        output.rename(previous)
    try:
        staging.rename(output)
    except OSError:
        if previous.exists():
            previous.rename(output)  # undo the first rename: nothing is lost
        raise
    shutil.rmtree(previous, ignore_errors=True)
    return 0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "cassettes")
    parser.add_argument("--keep-failed", action="store_true", help="keep a failed recording")
    args, pytest_args = parser.parse_known_args()
    return record_atomically(args.output.resolve(), pytest_args, args.keep_failed)


if __name__ == "__main__":
    sys.exit(main())
