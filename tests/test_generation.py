"""`make generate` / `make check-generated`: deterministic, drift-detecting, fail-safe."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "scripts" / "generate.py"
GENERATED = ROOT / "generated"

sys.path.insert(0, str(ROOT / "scripts"))
import generate  # noqa: E402


def run_generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(GENERATE), *args], capture_output=True, text=True, check=False
    )


def snapshot(tree: Path) -> dict[str, bytes]:
    return {
        path.relative_to(tree).as_posix(): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def fresh_generation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("fresh") / "generated"
    destination.mkdir()
    generate.generate_into(destination)
    return destination


def test_committed_generated_tree_is_what_the_spec_generates(fresh_generation: Path) -> None:
    assert generate.differences(fresh_generation, GENERATED) == []


def test_generation_is_deterministic(fresh_generation: Path, tmp_path: Path) -> None:
    again = tmp_path / "generated"
    again.mkdir()
    generate.generate_into(again)
    assert snapshot(again) == snapshot(fresh_generation)


def test_every_generated_module_says_do_not_edit(fresh_generation: Path) -> None:
    modules = list(fresh_generation.rglob("*.py"))
    assert len(modules) > 20
    for module in modules:
        assert "DO NOT EDIT" in module.read_text(encoding="utf-8").splitlines()[0], module
    assert "do not edit" in (fresh_generation / "README.md").read_text(encoding="utf-8")
    assert (fresh_generation / "users_api_client" / "py.typed").exists()


def test_check_fails_naming_the_files_a_spec_change_touches(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    document["paths"]["/v1/users/{user_id}"]["get"]["description"] = "Looked up by its id."
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")

    result = run_generate("--check", "--spec", str(spec))

    assert result.returncode == 1
    assert "changed: users_api_client/api/users/get_user.py" in result.stdout
    assert "changed: README.md" in result.stdout  # the recorded spec checksum
    assert "create_user.py" not in result.stdout


def test_check_names_files_edited_by_hand_and_stale_files(tmp_path: Path) -> None:
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED, copy)
    (copy / "users_api_client" / "errors.py").write_text("# edited by hand\n", encoding="utf-8")
    (copy / "users_api_client" / "models" / "left_over.py").write_text("\n", encoding="utf-8")

    result = run_generate("--check", "--generated", str(copy))

    assert result.returncode == 1
    assert "changed: users_api_client/errors.py" in result.stdout
    assert "stale:   users_api_client/models/left_over.py" in result.stdout


def test_regenerate_replaces_stale_files(tmp_path: Path) -> None:
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED, copy)
    stale = copy / "users_api_client" / "models" / "left_over.py"
    stale.write_text("\n", encoding="utf-8")

    result = run_generate("--generated", str(copy))

    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert snapshot(copy) == snapshot(GENERATED)


def test_invalid_spec_fails_with_the_generator_message_and_changes_nothing(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "openapi.yaml"
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    listed = document["paths"]["/v1/users"]["get"]["responses"]["200"]["content"]
    listed["application/json"]["schema"] = {"$ref": "#/components/schemas/NoSuchSchema"}
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    copy = tmp_path / "generated"
    shutil.copytree(GENERATED, copy)
    before = snapshot(copy)

    for args in ([], ["--check"]):
        result = run_generate(*args, "--spec", str(spec), "--generated", str(copy))
        assert result.returncode == 1
        assert "openapi-python-client 0.29.1 failed" in result.stderr
        assert "NoSuchSchema" in result.stderr  # the generator's own explanation
    assert snapshot(copy) == before
    assert not (tmp_path / ".generated.incoming").exists()


def test_unparseable_spec_fails_too(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: [unclosed\n", encoding="utf-8")
    result = run_generate("--check", "--spec", str(spec))
    assert result.returncode == 1
    assert "failed" in result.stderr
