"""The code blocks of README.md and of the documentation (docs/**/*.md), so
that tests can run or parse every one of them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
_FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def pages() -> list[Path]:
    """README.md, then every page of the site, in a stable order."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def page(relative: str) -> Path:
    return ROOT / relative


def python_blocks(path: Path = README) -> list[str]:
    return _BLOCK.findall(path.read_text(encoding="utf-8"))


def fenced_blocks(path: Path) -> list[tuple[str, str]]:
    """(language, text) of every fenced block of a page."""
    return _FENCE.findall(path.read_text(encoding="utf-8"))


def section(path: Path, heading: str) -> str:
    """The text of one `## heading` section of a page (up to the next `## `)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def is_pytest_snippet(block: str) -> bool:
    """Blocks that belong in a user's test suite; tests/test_testing_plugin.py runs them."""
    return "import pytest" in block


def script_blocks(path: Path = README) -> list[str]:
    return [block for block in python_blocks(path) if not is_pytest_snippet(block)]


def pytest_snippets(path: Path) -> list[str]:
    return [block for block in python_blocks(path) if is_pytest_snippet(block)]


def pytest_files(path: Path | None = None) -> dict[str, str]:
    """The pytest snippets of the testing guide by the file each names on its
    first line (`# tests/conftest.py`)."""
    files = {}
    for block in pytest_snippets(path or page("docs/guides/testing.md")):
        first = block.splitlines()[0]
        assert re.fullmatch(r"# tests/\w+\.py", first), first
        files[first.removeprefix("# tests/")] = block
    return files
