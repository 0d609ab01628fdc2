"""Every example in examples/ runs, against recorded cassettes."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest

from users_sdk import UsersClient

from .conftest import ROOT, ServerControl

pytestmark = [pytest.mark.vcr, pytest.mark.block_network]

EXAMPLES = ROOT / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples.{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# What each example's main() returns, checked against what it should be.
EXPECTED: dict[str, Any] = {
    "onboarding": lambda user: user.status == "invited" and user.username == "asmith",
    "user_manager": lambda result: (
        result
        == {
            "members": ["ben@team.example", "cai@team.example"],
            "deactivated": "deactivated",
        }
    ),
    "bulk_invite": lambda result: (
        result
        == {
            "invited": ["user1@company.example", "user2@company.example"],
            "failed": ["user1@company.example"],
        }
    ),
    "users_by_email_domain": lambda emails: (
        emails
        == [
            "kim@company.example",
            "lee@company.example",
        ]
    ),
    "filter_by_role": lambda result: (
        result
        == {
            "admins": ["owner@example.com", "root@roles.example"],
            "regular": ["jo@roles.example"],
        }
    ),
    "current_user": lambda me: me.role == "owner",
    "password_reset": lambda reused_token_refused: reused_token_refused is True,
}


def test_every_example_is_tested() -> None:
    assert {path.stem for path in EXAMPLES.glob("*.py")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example(
    name: str, users_client: UsersClient, server: ServerControl, capsys: pytest.CaptureFixture[str]
) -> None:
    result = load(name).main(users_client)
    assert EXPECTED[name](result), result
    assert capsys.readouterr().out.strip()  # it told the reader what happened
