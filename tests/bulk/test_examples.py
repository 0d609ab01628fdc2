"""Every example in examples/bulk/ runs against the real server, and runs again
without creating, inviting or exporting anything twice."""

from __future__ import annotations

import collections
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest

from users_sdk import AsyncUsersClient, UsersClient, bulk

from .conftest import ServerControl

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "bulk"
TESTED = {"bulk_onboarding", "bulk_invitations", "bulk_export_by_domain"}


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bulk_examples.{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_bulk_example_is_tested() -> None:
    assert {path.stem for path in EXAMPLES.glob("*.py")} == TESTED


def test_onboarding(
    client: UsersClient, server: ServerControl, capsys: pytest.CaptureFixture[str]
) -> None:
    example = load("bulk_onboarding")
    first = example.main(client)
    again = example.main(client)

    contractors = ["chen.wu@company.example", "eli.king@company.example"]
    assert first == {
        "created": 4, "replayed": 0, "failed": ["not-an-email"], "deactivated": contractors,
    }  # fmt: skip
    assert again == {**first, "created": 0, "replayed": 4}
    invitations = collections.Counter(m["email"] for m in server.invitations())
    assert set(invitations.values()) == {1}
    assert len(invitations) == 4
    statuses = {
        u.email: u.status for u in bulk.export_users(client, email_domain="company.example")
    }
    assert statuses == {
        "alex.smith@company.example": "invited", "bea.jones@company.example": "invited",
        "chen.wu@company.example": "deactivated", "eli.king@company.example": "deactivated",
    }  # fmt: skip
    out = capsys.readouterr().out
    # Refused by the SDK before it was sent (its email is not an address).
    assert "Row 4 (not-an-email) not imported: email must be an email address" in out


def test_onboarding_reads_a_csv_file(client: UsersClient) -> None:
    example = load("bulk_onboarding")
    csv_file = io.StringIO("email,team\nzoe@company.example,contractors\n")
    result = example.main(client, csv_file)
    assert result["created"] == 1
    assert result["deactivated"] == ["zoe@company.example"]


@pytest.mark.anyio
async def test_invitations(
    async_client: AsyncUsersClient, server: ServerControl, capsys: pytest.CaptureFixture[str]
) -> None:
    example = load("bulk_invitations")
    first = await example.main(async_client)
    again = await example.main(async_client)

    team = example.TEAM_SIZE
    assert first == again == {"invited": team, "failed": ["user1@company.example"]}
    invitations = collections.Counter(m["email"] for m in server.invitations())
    assert invitations == {f"user{n}@company.example": 1 for n in range(1, team + 1)}
    out = capsys.readouterr().out
    assert "Skipped user1@company.example: " in out
    assert f"Created {team}, already there 0, failed 1" in out
    assert f"Created 0, already there {team}, failed 1" in out


def test_export_by_domain(client: UsersClient, tmp_path: Path) -> None:
    example = load("bulk_export_by_domain")
    emails = example.main(client, tmp_path)
    assert emails == [f"staff{n:03d}@company.example" for n in range(250)]
    assert not (tmp_path / "company.jsonl.cursor").exists()


def test_an_interrupted_export_resumes_from_its_checkpoint(
    client: UsersClient, tmp_path: Path
) -> None:
    example = load("bulk_export_by_domain")
    bulk.import_users(client, [{"email": f"s{n:03d}@company.example"} for n in range(250)],
                      import_id="resume")  # fmt: skip
    path = tmp_path / "out.jsonl"
    # The first run wrote one page and its checkpoint, then died.
    first = next(bulk.export_pages(client, email_domain="company.example", sort="email:asc"))
    path.write_text("".join(json.dumps(u.to_dict()) + "\n" for u in first.users))
    assert first.resume_cursor is not None
    (tmp_path / "out.jsonl.cursor").write_text(first.resume_cursor)

    assert example.export_domain(client, "company.example", path) == 150
    lines = [json.loads(line)["email"] for line in path.read_text().splitlines()]
    assert lines == [f"s{n:03d}@company.example" for n in range(250)]
