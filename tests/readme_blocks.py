"""The code blocks of README.md, so that tests can run every one of them."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks() -> list[str]:
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


def is_pytest_snippet(block: str) -> bool:
    """Blocks that belong in a user's test suite; tests/test_testing_plugin.py runs them."""
    return "import pytest" in block


def script_blocks() -> list[str]:
    return [block for block in python_blocks() if not is_pytest_snippet(block)]


def pytest_snippets() -> list[str]:
    return [block for block in python_blocks() if is_pytest_snippet(block)]


def pytest_files() -> dict[str, str]:
    """The pytest snippets by the file each names on its first line (`# tests/conftest.py`)."""
    files = {}
    for block in pytest_snippets():
        first = block.splitlines()[0]
        assert re.fullmatch(r"# tests/\w+\.py", first), first
        files[first.removeprefix("# tests/")] = block
    return files
