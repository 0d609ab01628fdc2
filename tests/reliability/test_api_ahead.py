"""Issue 29's Verify, against the real reference server: the API is ahead of
the SDK (its spec has a field and an enum value that users-sdk's does not),
and a walk of 10,000 users keeps both in every user and says so once.

The server is started from an evolved copy of openapi.yaml; the SDK keeps
its own. The users are stored through the server's own rules in process
(as its seed users are): creating 10,000 over HTTP would only make the test
slow, and the walk, the part under test, is real HTTP through the SDK.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from users_server import RunningServer, Settings, serve_in_thread

from users_sdk import UsersClient

ROOT = Path(__file__).resolve().parents[2]
# Names no other test uses: the SDK says each once per process.
FIELD = "x_walk_nickname"
ROLE = "x_walk_auditor"
USERS = 10_000


def _evolved(spec: dict[str, Any]) -> dict[str, Any]:
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    for name in ("User", "UserCreate"):
        schemas[name]["properties"][FIELD] = {"type": ["string", "null"]}
    schemas["UserRole"]["enum"].append(ROLE)
    return spec


@pytest.fixture(scope="module")
def server_ahead(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path = tmp_path_factory.mktemp("ahead") / "openapi.yaml"
    original = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(_evolved(original), sort_keys=False), encoding="utf-8")
    settings = Settings(port=0, deterministic=True, test_mode=True, spec=path)
    with serve_in_thread(settings) as running:
        state = running.state
        for number in range(USERS - 2):  # the owner and the viewer are seeded
            body = {
                "email": f"user{number:05}@example.com",
                FIELD: f"nick {number}",
                "role": ROLE if number % 2 else "member",
            }
            state.users.create(state.bodies.create.model_validate(body).model_dump())
        yield running


def test_a_walk_ahead_of_the_spec_keeps_what_the_api_added_and_says_so_once(
    server_ahead: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings()
    with (
        caplog.at_level(logging.INFO, logger="users_sdk"),
        UsersClient(base_url=server_ahead.base_url, token=settings.owner_token) as client,
    ):
        users = list(client.users.list(limit=100))
    assert len(users) == USERS
    created = [user for user in users if user.email.startswith("user")]
    assert all(user.to_dict()[FIELD] == f"nick {int(user.email[4:9])}" for user in created)
    assert {user.role for user in created} == {"member", ROLE}  # the new value, a plain str
    drift = [r for r in caplog.records if r.name == "users_sdk" and FIELD in r.getMessage()]
    assert len(drift) == 1, [r.getMessage() for r in drift]
    assert drift[0].levelno == logging.INFO
    assert "regenerate" in drift[0].getMessage()
    roles = [r for r in caplog.records if r.name == "users_sdk" and ROLE in r.getMessage()]
    assert len(roles) == 1
    assert "nick " not in caplog.text  # names only, never a field's value
