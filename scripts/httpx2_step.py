"""The generation step that puts the generated client on httpx2.

openapi-python-client 0.29.1 writes `import httpx`; httpx2 is httpx's
maintained continuation with the same API under a new name, and users_sdk
depends on httpx2 only (a plain install brings no httpx). So every reference to
the `httpx` module in the generated code is renamed `httpx2`, deterministically,
before formatting. Only whole-word references to the module are touched
(`httpx.Client`, `import httpx`, prose such as "httpx Clients"); names that merely
contain it (`httpx_args`, `get_httpx_client`) are part of the generated API and
stay.

Remove this step once the generator emits httpx2 itself: see the generator's
discussion #1455 and draft PR #1461.
"""

from __future__ import annotations

import re
from pathlib import Path

# `httpx` as a word, followed by an attribute access, a space or the end of the line.
_MODULE = re.compile(r"\bhttpx\b(?=[.\s]|$)", re.MULTILINE)


def adapt(package_dir: Path) -> list[Path]:
    """Rename the httpx module to httpx2 in every generated file; returns the changed ones."""
    changed = []
    for path in sorted(package_dir.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        adapted = _MODULE.sub("httpx2", text)
        if adapted != text:
            path.write_text(adapted, encoding="utf-8")
            changed.append(path)
    return changed
