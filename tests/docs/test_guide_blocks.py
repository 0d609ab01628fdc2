"""Every code block of the documentation (docs/**/*.md) runs, or is parsed:

- Python: each page's blocks run in order, as one script, against the
  reference server from its seeded state (pytest snippets run in
  tests/test_testing_plugin.py, the examples of the docstrings in
  test_docstring_examples.py);
- sh: every `make` target exists and every `pip install` names real extras
  (the `users-sdk` and `users-sdk-server` lines are parsed by the commands'
  own parsers in tests/cli/test_readme_commands.py and tests/server/test_cli.py);
- ini: every option is one the plugin or pytest-recording registers;
- text and unnamed blocks are output and diagrams, not code.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
from doc_blocks import DOCS, ROOT, fenced_blocks, is_pytest_snippet, pages, python_blocks

from .runner import run_blocks

LANGUAGES = {"python", "sh", "ini", "text", ""}
SHELL_COMMANDS = {
    "make", "pip", "users-sdk", "users-sdk-server", "pytest", ".venv/bin/python",
    ".venv/bin/pytest", "git", "$EDITOR", "export", "USERS_API_BASE_URL=https://users.example.com",
}  # fmt: skip


def doc_pages() -> list[Path]:
    return [path for path in pages() if path.is_relative_to(DOCS)]


def test_every_block_has_a_language_the_tests_handle() -> None:
    for path in pages():
        for language, _ in fenced_blocks(path):
            assert language in LANGUAGES, f"{path}: a ```{language} block no test runs"


def test_the_python_blocks_of_every_page_run(tmp_path: Path) -> None:
    blocks = []
    for path in doc_pages():
        scripts = [b for b in python_blocks(path) if not is_pytest_snippet(b)]
        if scripts:
            name = str(path.relative_to(ROOT))
            blocks.append((name, "\n\n".join(scripts), ""))
    assert len(blocks) >= 12
    out = run_blocks(blocks, tmp_path)
    assert "404" in out["docs/guides/errors.md"]  # the NotFoundError example printed its status
    assert "someone changed carol first" in out["docs/guides/retries.md"]
    assert "policy: owner" in out["docs/guides/retries.md"]
    auth = out["docs/guides/authentication.md"]
    assert "provided token: owner" in auth
    assert "viewer: viewer" in auth
    observability = out["docs/guides/observability.md"]
    assert "spans: ['GET /v1/users/me', 'users.me']" in observability
    assert re.search(r"users\.me attempt 1: 200, \d+ ms", observability)
    assert "read tolerantly: " in out["docs/guides/forward-compatibility.md"]
    errors = out["docs/guides/errors.md"]
    assert re.search(r"page request id req_\S+ me request id req_\S+", errors)
    per_task = re.findall(r"@example\.com request id (req_\S+)", errors)
    assert per_task
    assert len(set(per_task)) == len(per_task)  # each task saw its own call's id


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-zA-Z_-]+):", text, re.MULTILINE))


def _shell_lines() -> list[tuple[Path, str]]:
    found = []
    for path in pages():
        for language, block in fenced_blocks(path):
            if language == "sh":
                found += [(path, line) for line in block.splitlines() if line.strip()]
    return found


def test_every_shell_line_is_a_command_the_tests_know() -> None:
    for path, line in _shell_lines():
        words = shlex.split(line, comments=True)
        assert words[0] in SHELL_COMMANDS, f"{path}: {line!r}: no test checks {words[0]!r}"


def test_every_make_target_of_the_docs_exists() -> None:
    targets = _make_targets()
    checked = 0
    for path, line in _shell_lines():
        words = shlex.split(line, comments=True)
        if words[0] == "make" and len(words) > 1 and "=" not in words[1]:
            assert words[1] in targets, f"{path}: {line!r}: no target {words[1]!r}"
            checked += 1
    assert checked >= 10


def test_every_pip_install_names_real_extras() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(pyproject["project"]["optional-dependencies"])
    for path, line in _shell_lines():
        for named in re.findall(r"\[([\w,]+)\]", line.split("#")[0]):
            assert set(named.split(",")) <= extras, f"{path}: {line!r}"


@pytest.fixture
def plugin_config(pytester: pytest.Pytester) -> pytest.Config:
    return pytester.parseconfig()


def test_every_ini_option_of_the_docs_is_registered(plugin_config: pytest.Config) -> None:
    checked = 0
    for path in pages():
        for language, block in fenced_blocks(path):
            if language != "ini":
                continue
            for line in block.splitlines():
                if "=" in line and not line.startswith("#"):
                    name = line.split("=")[0].strip()
                    plugin_config.getini(name)  # ValueError for an unknown option
                    checked += 1
    assert checked >= 4
