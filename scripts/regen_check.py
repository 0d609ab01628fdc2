"""`make regen-check`: what a maintainer runs after editing openapi.yaml.

Regenerates generated/, runs the guards (spec validation, public API snapshot,
spec coverage, the facade's unit tests), re-records every cassette against the
reference server, and prints what changed: generated files, public API,
cassettes. It changes files (like `make generate` and `make record` would) but
commits nothing; review the report and `git diff`, then commit.
"""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_snapshot  # noqa: E402

GUARDS = ["tests/test_spec.py", "tests/guards", "tests/unit"]


def run(*command: str) -> int:
    print(f"\n$ {' '.join(command)}", flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def git_changes(path: str) -> list[str]:
    result = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", path],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return [line for line in result.stdout.splitlines() if "__pycache__" not in line]


def api_diff() -> list[str]:
    committed = api_snapshot.SNAPSHOT.read_text(encoding="utf-8").splitlines()
    live = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "api_snapshot.py")],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    return list(difflib.unified_diff(committed, live, "committed", "regenerated", lineterm="", n=0))


def main() -> int:
    python = sys.executable
    failures = []
    if run(python, "scripts/generate.py"):
        print("\nRegeneration failed: fix openapi.yaml (the generator said why above).")
        return 1
    if run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *GUARDS):
        failures.append("guards (see the pytest output above)")
    if run(python, "scripts/record.py"):
        failures.append("re-recording (a cassette test failed against the reference server)")

    print("\n==== What changed")
    generated = git_changes("generated")
    print(f"generated/: {len(generated)} file(s)")
    print("  " + "\n  ".join(generated) if generated else "  (none)")
    diff = api_diff()
    print(f"public API: {'changed' if diff else 'unchanged'}")
    if diff:
        print("  " + "\n  ".join(diff[2:]))
        print("  If this is deliberate: make api-snapshot, and note it in CHANGELOG.md.")
    cassettes = git_changes("cassettes")
    print(f"cassettes/: {len(cassettes)} file(s)")
    print("  " + "\n  ".join(cassettes) if cassettes else "  (none)")
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    print("\nOK: review `git diff`, then commit openapi.yaml, generated/ and cassettes/ together.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
