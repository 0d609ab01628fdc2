"""The edges of `users import` and `users export` a review found: each once lost
data, gave the wrong exit code or let a raw Python error out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from users_sdk.cli._checkpoint import Checkpoint, checkpoint_path
from users_sdk.cli._root import State

from .conftest import API_KEY, TOKEN, all_users


def emails(server: str) -> list[str]:
    return sorted(user["email"] for user in all_users(server))


def test_rejects_pointed_at_the_input_is_refused_and_the_input_kept(
    cli: Any, tmp_path: Path
) -> None:
    source = tmp_path / "fixed.csv"
    source.write_text("email,role\nfixed@edge.example,member\n", encoding="utf-8")
    run = cli("users", "import", str(source), "--rejects", str(source))
    assert run.exit_code == 2
    assert "is the file being imported" in run.stderr
    assert source.read_text(encoding="utf-8") == "email,role\nfixed@edge.example,member\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "is empty: a CSV import starts with a header line"),
        ("email,role,email\na@edge.example,member,b@edge.example\n", "'email' appears more"),
        ("email,rolee\na@edge.example,member\n", "unknown column 'rolee'"),
    ],
    ids=["empty", "a column twice", "an unknown column"],
)
def test_a_file_that_would_lose_data_is_refused_before_anything_is_sent(
    cli: Any, server: str, tmp_path: Path, text: str, expected: str
) -> None:
    before = emails(server)
    source = tmp_path / "people.csv"
    source.write_text(text, encoding="utf-8")
    run = cli("users", "import", str(source))
    assert run.exit_code == 2, run.stderr
    assert expected in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert emails(server) == before


def test_an_unknown_field_in_json_lines_is_refused_naming_its_line(
    cli: Any, server: str, tmp_path: Path
) -> None:
    source = tmp_path / "people.jsonl"
    source.write_text('{"email": "a@edge.example"}\n{"email": "b@edge.example", "rol": "x"}\n')
    run = cli("users", "import", str(source))
    assert run.exit_code == 2
    assert "people.jsonl line 2: unknown field 'rol'" in run.stderr
    assert "a@edge.example" not in emails(server)


def test_an_import_that_cannot_reach_the_api_stops_at_once_with_exit_1(
    cli: Any, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text("email\n" + "".join(f"p{n}@edge.example\n" for n in range(40)))
    run = cli("users", "import", str(source), env={"USERS_API_BASE_URL": "http://127.0.0.1:9"})
    assert run.exit_code == 1, run.stderr
    assert "partial" not in run.stderr
    assert run.stdout == ""  # no summary of an import that never started


def test_an_import_with_a_refused_credential_stops_with_exit_1(
    cli: Any, server: str, tmp_path: Path
) -> None:
    source = tmp_path / "people.csv"
    source.write_text("email\n" + "".join(f"p{n}@edge.example\n" for n in range(40)))
    run = cli("users", "import", str(source), env={"USERS_API_TOKEN": "not-the-token"})
    assert run.exit_code == 1, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not [e for e in emails(server) if e.endswith("@edge.example")]


def test_a_finished_export_is_never_resumed_into_a_second_copy(
    cli: Any, server: str, tmp_path: Path
) -> None:
    target = tmp_path / "everyone.jsonl"
    assert cli("users", "export", str(target)).exit_code == 0
    whole = target.read_bytes()
    # A kill between the last page's checkpoint and its removal leaves this behind.
    checkpoint = Checkpoint(format="jsonl", size=len(whole), rows=2, done=True)
    checkpoint.save(checkpoint_path(target))
    run = cli("users", "export", str(target), "--resume")
    assert run.exit_code == 0
    assert "had finished (2 users); nothing to resume" in run.stderr
    assert target.read_bytes() == whole
    assert not checkpoint_path(target).exists()


def test_the_last_page_is_checkpointed_as_done(cli: Any, server: str, tmp_path: Path) -> None:
    target = tmp_path / "everyone.jsonl"
    saved: list[Checkpoint] = []
    original = Checkpoint.save

    def spy(self: Checkpoint, path: Path) -> None:
        saved.append(Checkpoint(**json.loads(json.dumps(self.__dict__))))
        original(self, path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Checkpoint, "save", spy)
        assert cli("users", "export", str(target), "--limit", "1").exit_code == 0
    assert [c.done for c in saved] == [False, False, True]  # before, first page, last page
    assert saved[-1].cursor is None


def test_an_export_into_something_not_a_regular_file_is_a_usage_error(cli: Any) -> None:
    run = cli("users", "export", "/dev/null", "--format", "jsonl")
    assert run.exit_code == 2
    assert "is not a regular file" in run.stderr
    assert "export to - (stdout)" in run.stderr


def test_the_state_of_the_root_options_keeps_credentials_out_of_its_repr() -> None:
    text = repr(State(base_url="http://x", token=TOKEN, api_key=API_KEY))
    assert TOKEN not in text
    assert API_KEY not in text
    assert "http://x" in text
