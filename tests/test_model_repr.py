"""repr() of a generated model reads like its data: its fields in the spec's
order and the unknown fields it kept, without UNSET fields, an empty
additional_properties or a secret (scripts/templates/model.py.jinja).

On models the reference server sent, with and without a field the SDK's spec
does not know, and on every model of the spec for what the template decides.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from users_server import Settings, run_server

from users_api_client import models
from users_sdk import Invitation, Metadata, User, UserPage, UsersClient

ROOT = Path(__file__).resolve().parent.parent
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
OWNER_TOKEN = "owner-token"  # the reference server's development credential
UNKNOWN = "x_repr_nickname"  # a field only the server's (evolved) spec has; no other test uses it


@pytest.fixture(scope="module")
def client() -> Iterator[UsersClient]:
    with (
        run_server(Settings(port=0, test_mode=True)) as base_url,
        UsersClient(base_url=base_url, token=OWNER_TOKEN) as users_client,
    ):
        yield users_client


@pytest.fixture(scope="module")
def client_of_a_server_ahead(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UsersClient]:
    """A server whose spec has a User field the SDK's does not."""
    evolved = copy.deepcopy(SPEC)
    for name in ("User", "UserCreate"):
        evolved["components"]["schemas"][name]["properties"][UNKNOWN] = {"type": "string"}
    path = tmp_path_factory.mktemp("ahead") / "openapi.yaml"
    path.write_text(yaml.safe_dump(evolved, sort_keys=False), encoding="utf-8")
    with (
        run_server(Settings(port=0, test_mode=True, spec=path)) as base_url,
        UsersClient(base_url=base_url, token=OWNER_TOKEN) as users_client,
    ):
        yield users_client


def test_a_user_from_the_server_shows_its_fields_in_the_spec_order(client: UsersClient) -> None:
    user = client.users.create(
        email="repr-ada@example.com", display_name="Ada", metadata={"team": "core"}
    )
    text = repr(user)
    assert text.startswith(
        f"User(id={user.id!r}, email='repr-ada@example.com', display_name='Ada', "
    )
    assert "metadata=Metadata({'team': 'core'})" in text
    assert text.endswith(f"version={user.version})")
    assert "additional_properties" not in text  # empty: nothing kept
    # The fields it has, in the spec's order (one the spec gains, unset here, is left out).
    sent = user.to_dict()
    assert _names(text) == [name for name in SCHEMAS["User"]["properties"] if name in sent]
    invitation = client.users.invite(user.id)
    assert repr(invitation).startswith(
        f"Invitation(user_id={user.id!r}, sent_at=datetime.datetime("
    )
    assert "additional_properties" not in repr(invitation)


def test_an_empty_metadata_is_an_empty_map(client: UsersClient) -> None:
    user = client.users.create(email="repr-bob@example.com")
    assert "metadata=Metadata({})" in repr(user)


def test_a_page_from_the_server_shows_its_items(client: UsersClient) -> None:
    client.users.create(email="repr-page@example.com")
    page = client.request("GET", "/v1/users", params={"limit": 1}, cast_to=UserPage)
    text = repr(page)
    assert text.startswith("UserPage(items=[User(id=")
    assert f"limit=1, next_cursor={page.next_cursor!r}, previous_cursor=None)" in text
    assert "additional_properties" not in text


def test_unknown_fields_the_server_sent_are_shown(client_of_a_server_ahead: UsersClient) -> None:
    user = client_of_a_server_ahead.users.create(
        email="repr-ahead@example.com", extra_body={UNKNOWN: "Ada"}
    )
    assert user.to_dict()[UNKNOWN] == "Ada"
    assert repr(user).endswith(f"version=1, additional_properties={{{UNKNOWN!r}: 'Ada'}})")


def test_unset_optional_fields_are_left_out() -> None:
    update = models.UserUpdate.from_dict({"department": "R&D", "phone": None})
    assert repr(update) == "UserUpdate(phone=None, department='R&D')"  # None is a value
    assert repr(models.UserUpdate()) == "UserUpdate()"
    detail = models.Problem.from_dict({"type": "about:blank", "title": "Not Found", "status": 404})
    assert repr(detail) == "Problem(type_='about:blank', title='Not Found', status=404)"


def test_secrets_are_masked() -> None:
    sent = models.PasswordSet(reset_token="rst_0123456789abcdef", password="a long passphrase")
    assert repr(sent) == "PasswordSet(reset_token='***', password='***')"


def _secret_fields() -> list[tuple[str, str]]:
    """(schema, property) of every field the spec marks secret, or names like a credential."""
    return [
        (schema_name, name)
        for schema_name, schema in SCHEMAS.items()
        for name, node in schema.get("properties", {}).items()
        if node.get("format") == "password"
        or node.get("writeOnly")
        or re.search(r"(password|secret|token|api_key)$", name)
    ]


@pytest.mark.parametrize(("schema_name", "field"), _secret_fields())
def test_no_model_shows_a_secret_field(schema_name: str, field: str) -> None:
    model_class = getattr(models, schema_name)
    fields = dict.fromkeys(SCHEMAS[schema_name].get("required", []), "x")
    fields[field] = "s3cret-value-0123"
    assert "s3cret-value-0123" not in repr(model_class.from_dict(fields))


def test_equality_and_hashing_are_still_attrs_own() -> None:
    def user(**extra: Any) -> User:
        data = {
            "id": "usr_1", "email": "a@example.com", "display_name": "A", "first_name": None,
            "last_name": None, "username": None, "role": "member", "status": "active",
            "phone": None, "department": None, "groups": [], "permissions": [], "metadata": {},
            "account_id": None, "is_service_user": False, "last_login_at": None,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "version": 1, **extra,
        }  # fmt: skip
        return User.from_dict(data)

    assert user() == user()
    assert user() != user(nickname="a")  # additional_properties still take part
    assert User.__hash__ is None  # mutable attrs classes stay unhashable
    assert all(attrs.has(cls) for cls in (User, Metadata, Invitation))
    assert [field.name for field in attrs.fields(User)][-1] == "additional_properties"
    assert isinstance(user().created_at, datetime.datetime)


def _names(text: str) -> list[str]:
    """The top-level field names of a repr (nested models' fields excluded)."""
    body = text[text.index("(") + 1 : -1]
    names, depth, start = [], 0, 0
    for index, character in enumerate(body):
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
        elif character == "," and depth == 0:
            names.append(body[start:index].split("=")[0].strip())
            start = index + 1
    names.append(body[start:].split("=")[0].strip())
    return names
