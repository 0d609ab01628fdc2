"""README.md: the two commands at the top, a truthful install, links that
resolve, and its Python block (the quick start) running against the
reference server. The guides' blocks run in tests/docs/test_guide_blocks.py."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from doc_blocks import README, fenced_blocks, script_blocks
from users_server import Settings, run_server

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_starts_with_the_two_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[2:6] == [
        "```sh",
        "make demo    # the main job: the SDK against a real reference server, with no setup",
        "make test    # the whole test suite: lint, the generated-code check, every test",
        "```",
    ]


def test_the_install_section_installs_only_what_exists() -> None:
    """Nothing is published on PyPI under users-sdk: every pip line installs from
    a clone, a built wheel or a git URL, and names only extras pyproject has."""
    extras = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    )
    text = README.read_text(encoding="utf-8")
    assert "not published on PyPI" in text
    pip_lines = [
        line.split("#")[0].strip()
        for language, block in fenced_blocks(README)
        if language == "sh"
        for line in block.splitlines()
        if line.startswith("pip install")
    ]
    assert len(pip_lines) >= 3
    for line in pip_lines:
        target = line.removeprefix("pip install ").strip().strip('"')
        assert target.startswith((".", "dist/", "users-sdk[")), line
        if target.startswith("users-sdk["):
            assert "@ git+" in target, f"{line}: a bare name would install from PyPI"
        for extra in re.findall(r"\[([\w,]+)\]", target):
            assert set(extra.split(",")) <= extras, line
    # The server is in every wheel; only its dependencies are an extra.
    assert "not in the wheel" not in text


def test_every_link_of_the_readme_resolves() -> None:
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [link for link in links if not link.startswith("http")]
    assert len(local) >= 15
    for link in local:
        assert (ROOT / link).exists(), link


def test_the_quick_start_runs_against_the_reference_server(tmp_path: Path) -> None:
    blocks = script_blocks()
    assert len(blocks) == 1  # the quick start; everything else is in the guides
    script = tmp_path / "readme_blocks.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    with run_server(Settings(port=0, test_mode=True)) as base_url:
        env = {
            **os.environ,
            "USERS_API_BASE_URL": base_url,
            "USERS_API_TOKEN": Settings().owner_token,
        }
        env.pop("USERS_API_KEY", None)
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120
        )
    assert result.returncode == 0, result.stderr
    assert "ada@example.com" in result.stdout
