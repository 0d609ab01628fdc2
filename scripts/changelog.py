"""CHANGELOG.md has a section for the version being built (`make dist` checks it).

The heading convention (docs/releasing.md):

    ## Unreleased (0.2.0)      while 0.2.0 is being made: every change lands here
    ## 0.2.0 (2026-12-01)      once it is released: the same section, dated

A build of a development version needs either; a release build
(`make dist RELEASE=1`) needs the dated one, and no "Unreleased" section for
the version left beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"
VERSION_FILE = ROOT / "facade" / "users_sdk" / "_version.py"
_DATE = r"\d{4}-\d{2}-\d{2}"


def version(text: str | None = None) -> str:
    """`__version__` of facade/users_sdk/_version.py (the one place it lives)."""
    text = VERSION_FILE.read_text(encoding="utf-8") if text is None else text
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if found is None:
        raise ValueError(f'no `__version__ = "..."` line in {VERSION_FILE}')
    return found.group(1)


def problems(version: str, changelog: str, *, release: bool) -> list[str]:
    """What is wrong with `changelog` for building `version`; [] if nothing."""
    escaped = re.escape(version)
    unreleased = re.search(rf"^## Unreleased \({escaped}\)\s*$", changelog, re.MULTILINE)
    dated = re.search(rf"^## {escaped} \({_DATE}\)\s*$", changelog, re.MULTILINE)
    if release and dated is None:
        return [
            f"CHANGELOG.md has no release heading `## {version} (YYYY-MM-DD)`: "
            f"date the `## Unreleased ({version})` section as you release it."
        ]
    if release and unreleased is not None:
        return [
            f"CHANGELOG.md still has `## Unreleased ({version})`: a release has one "
            "dated section for its version."
        ]
    if unreleased is None and dated is None:
        return [
            f"CHANGELOG.md has no section for version {version} (from {VERSION_FILE.name}): "
            f"add `## Unreleased ({version})` above the last release, or bump the version "
            "in _version.py to the one the changelog describes."
        ]
    return []
