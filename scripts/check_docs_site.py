"""After `make docs`: the built API reference names every public name.

Reads site/reference/**/*.html and fails, naming each missing one, unless
every name of `users_sdk.__all__`, `users_sdk.testing.__all__` and
`users_sdk.bulk.__all__` has its own entry there (an anchor
`users_sdk.<name>`, as mkdocstrings writes one per documented object).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANCHOR = re.compile(r'\bid="([^"]+)"')


def public_names() -> list[str]:
    import users_sdk
    import users_sdk.bulk
    import users_sdk.testing

    return [
        f"{module.__name__}.{name}"
        for module in (users_sdk, users_sdk.testing, users_sdk.bulk)
        for name in module.__all__
    ]


def anchors(site: Path) -> set[str]:
    found: set[str] = set()
    for page in (site / "reference").rglob("*.html"):
        found.update(ANCHOR.findall(page.read_text(encoding="utf-8")))
    return found


def missing(site: Path) -> list[str]:
    present = anchors(site)
    return [name for name in public_names() if name not in present]


def main() -> int:
    site = ROOT / (sys.argv[1] if len(sys.argv) > 1 else "site")
    if not (site / "reference").is_dir():
        print(f"{site}/reference does not exist: run `make docs` first", file=sys.stderr)
        return 2
    absent = missing(site)
    if absent:
        print(
            "the API reference does not document: "
            + ", ".join(absent)
            + "; add a `::: <name>` to a page of docs/reference/",
            file=sys.stderr,
        )
        return 1
    print(f"the API reference documents all {len(public_names())} public names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
