"""Every operationId of openapi.yaml is reached by a facade method.

When the spec gains an operation, this test names it until a facade method
sends it (or it is listed in NOT_IN_FACADE with a reason).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import yaml

from users_sdk import UsersAPIError, UsersClient
from users_sdk.resources.users import Users

ROOT = Path(__file__).resolve().parents[2]
HTTP_METHODS = ("get", "put", "post", "patch", "delete")

# operationId -> why the facade deliberately does not offer it.
NOT_IN_FACADE: dict[str, str] = {}

# One call per public method of Users; a new method must be added here.
CALLS: dict[str, Callable[[Users], Any]] = {
    "create": lambda users: users.create(email="ada@example.com"),
    "get": lambda users: users.get("usr_1"),
    "me": lambda users: users.me(),
    "update": lambda users: users.update("usr_1", phone=None),
    "delete": lambda users: users.delete("usr_1"),
    "invite": lambda users: users.invite("usr_1"),
    "reset_password": lambda users: users.reset_password("ada@example.com"),
    "set_password": lambda users: users.set_password("token", "a long passphrase"),
    "list": lambda users: users.list(),
}


Operations = dict[str, tuple[str, re.Pattern[str]]]


def spec_operations(spec_path: Path = ROOT / "openapi.yaml") -> Operations:
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    operations = {}
    for path, item in spec["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for method in HTTP_METHODS:
            if method in item:
                operations[item[method]["operationId"]] = (method.upper(), pattern)
    return operations


def reached_operations(operations: Operations) -> set[str]:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(418)

    client = UsersClient(
        base_url="http://coverage.test",
        token="t",
        max_retries=0,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    for call in CALLS.values():
        with contextlib.suppress(UsersAPIError):
            call(client.users)
    reached = set()
    for request in sent:
        for operation_id, (method, pattern) in operations.items():
            # Literal paths (/v1/users/me) win over templates, as in OpenAPI.
            if request.method == method and pattern.match(request.url.path):
                reached.add(operation_id)
                break
    return reached


def _literal_first(operations: Operations) -> Operations:
    return dict(sorted(operations.items(), key=lambda item: "[^/]+" in item[1][1].pattern))


def test_every_public_method_of_users_is_exercised() -> None:
    public = {name for name in vars(Users) if not name.startswith("_")} - {"with_raw_response"}
    assert public == set(CALLS)


def test_every_operation_is_reached_by_the_facade() -> None:
    operations = _literal_first(spec_operations())
    missing = set(operations) - reached_operations(operations) - set(NOT_IN_FACADE)
    named = [f"{op} ({operations[op][0]} {operations[op][1].pattern})" for op in sorted(missing)]
    assert not missing, (
        f"operations of openapi.yaml no facade method reaches: {', '.join(named)}. "
        "Add a method to facade/users_sdk/resources/, or list it in NOT_IN_FACADE with a reason."
    )
    assert not set(NOT_IN_FACADE) - set(operations), "NOT_IN_FACADE names unknown operations"


def test_an_operation_added_to_the_spec_is_named(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    spec["paths"]["/v1/users/{user_id}/suspend"] = {
        "post": {"operationId": "suspendUser", "responses": {"200": {"description": "ok"}}}
    }
    evolved = tmp_path / "openapi.yaml"
    evolved.write_text(yaml.safe_dump(spec), encoding="utf-8")
    operations = _literal_first(spec_operations(evolved))
    assert set(operations) - reached_operations(operations) == {"suspendUser"}
