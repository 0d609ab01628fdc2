"""A rehearsed spec evolution: regenerate from a changed spec in a copy of the
project and prove what the facade promises (run alone: `make spec-evolution`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from users_sdk import UsersClient

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "scripts"))
import spec_rehearsal  # noqa: E402

pytestmark = [pytest.mark.spec_evolution, pytest.mark.slow]


@pytest.fixture(scope="module")
def additive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return spec_rehearsal.prepare(HERE / "additive.overlay.yaml", tmp_path_factory.mktemp("add"))


@pytest.fixture(scope="module")
def additive_checks(additive: Path) -> dict[str, spec_rehearsal.Check]:
    return {check.name: check for check in spec_rehearsal.rehearse(additive)}


def test_the_copy_really_runs_the_regenerated_code(additive: Path) -> None:
    assert spec_rehearsal.imported_from(additive).split() == [
        str(additive / "generated" / "users_api_client" / "__init__.py"),
        str(additive / "facade" / "users_sdk" / "__init__.py"),
    ]
    models = additive / "generated" / "users_api_client" / "models"
    assert "timezone: None | str | Unset" in (models / "user.py").read_text(encoding="utf-8")
    assert '"pending_approval"' in (models / "user_status.py").read_text(encoding="utf-8")
    assert (
        additive / "generated" / "users_api_client" / "api" / "users" / "suspend_user.py"
    ).exists()
    assert "timezone" in (
        additive / "generated/users_api_client/api/users/list_users.py"
    ).read_text(encoding="utf-8")


def test_facade_unit_tests_and_cassette_replays_pass_unchanged(
    additive_checks: dict[str, spec_rehearsal.Check],
) -> None:
    check = additive_checks["facade unit tests and cassette replays"]
    assert check.passed, check.output[-3000:]
    assert " passed" in check.output


def test_public_api_snapshot_is_unchanged(additive_checks: dict[str, spec_rehearsal.Check]) -> None:
    check = additive_checks["public API snapshot"]
    assert check.passed, check.output[-3000:]


def test_spec_coverage_names_the_new_operation(
    additive_checks: dict[str, spec_rehearsal.Check],
) -> None:
    check = additive_checks["spec coverage"]
    assert not check.passed
    assert "no facade method reaches: suspendUser (POST ^/v1/users/[^/]+/suspend$)" in check.output


def test_the_old_facade_keeps_the_new_field_and_enum_value() -> None:
    """A response of the evolved API, replayed through this (old) facade."""
    overlay = yaml.safe_load((HERE / "additive.overlay.yaml").read_text(encoding="utf-8"))
    new_field = next(
        a["update"] for a in overlay["actions"] if a["target"].endswith("User.properties")
    )
    (field_name,) = new_field
    cassette = ROOT / "cassettes" / "test_users" / "test_get_and_me[sync].yaml"
    recorded = next(
        json.loads(i["response"]["body"]["string"])
        for i in yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
        if i["request"]["method"] == "GET" and "/v1/users/usr_" in i["request"]["uri"]
    )
    evolved = {**recorded, "status": "pending_approval", field_name: "Europe/London"}

    def evolved_server(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=evolved, headers={"x-request-id": "req_1"})

    transport = httpx.MockTransport(evolved_server)
    with UsersClient(base_url="http://evolved.test", token="t",
                     http_client=httpx.Client(transport=transport)) as client:  # fmt: skip
        user = client.users.get(recorded["id"])
    assert user.status == "pending_approval"
    assert user.to_dict()[field_name] == "Europe/London"
    assert user.to_dict() == {**evolved, "created_at": user.created_at.isoformat(),
                              "updated_at": user.updated_at.isoformat()}  # fmt: skip


def test_a_breaking_change_fails_loudly_naming_the_field(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    broken = spec_rehearsal.prepare(HERE / "breaking.overlay.yaml", tmp_path_factory.mktemp("br"))
    check = spec_rehearsal.run_pytest(
        broken, "facade unit tests and cassette replays", spec_rehearsal.FACADE_SUITES
    )
    assert not check.passed
    assert "UnexpectedResponseError" in check.output
    assert "the required field 'email_address' is missing" in check.output
