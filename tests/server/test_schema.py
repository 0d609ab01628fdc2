"""What the server reads from openapi.yaml, and the specs it refuses to serve."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
import yaml
from users_server import Settings, create_app, run_server
from users_server.command import main, parse_args
from users_server.spec import Limits, SpecError, load_schema, locate_spec, location
from users_server.store.user_table import UserTable

from .helpers import OWNER

Edit = Callable[[dict[str, Any]], None]
REPOSITORY_SPEC = Path(__file__).resolve().parents[2] / "openapi.yaml"
ORIGINAL = yaml.safe_load(REPOSITORY_SPEC.read_text(encoding="utf-8"))


def write_spec(path: Path, edit: Edit) -> Path:
    spec = copy.deepcopy(ORIGINAL)
    edit(spec)
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def user_properties(spec: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = spec["components"]["schemas"]["User"]["properties"]
    return properties


KNOWN_USER_FIELDS = {
    "id", "email", "display_name", "first_name", "last_name", "username", "role", "status",
    "phone", "department", "groups", "permissions", "metadata", "account_id",
    "is_service_user", "last_login_at", "created_at", "updated_at", "version",
}  # fmt: skip


def test_the_repository_spec() -> None:
    """What the loader reads from the spec: these fields at least (a superset,
    so that an additive change of the spec needs no edit here)."""
    schema = load_schema()
    assert schema.path == REPOSITORY_SPEC
    read = [(f.name, f.kind, f.nullable, f.required) for f in schema.user]
    assert [field for field in read if field[0] in KNOWN_USER_FIELDS] == [
        ("id", "text", False, True),
        ("email", "email", False, True),
        ("display_name", "text", False, True),
        ("first_name", "text", True, True),
        ("last_name", "text", True, True),
        ("username", "text", True, True),
        ("role", "enum", False, True),
        ("status", "enum", False, True),
        ("phone", "text", True, True),
        ("department", "text", True, True),
        ("groups", "list", False, True),
        ("permissions", "list", False, True),
        ("metadata", "map", False, True),
        ("account_id", "text", True, True),
        ("is_service_user", "flag", False, True),
        ("last_login_at", "instant", True, True),
        ("created_at", "instant", False, True),
        ("updated_at", "instant", False, True),
        ("version", "integer", False, True),
    ]
    assert set(schema.roles) >= {"owner", "admin", "member", "viewer"}
    assert set(schema.statuses) >= {"invited", "active", "suspended", "deactivated"}
    create = {prop.name: prop for prop in schema.user_create}
    assert create["email"].required
    assert create["email"].limits == Limits(max_length=254, email=True)
    assert create["username"].limits.pattern == "^[A-Za-z0-9_.-]+$"
    assert create["role"].limits.enum == schema.roles  # through the $ref to UserRole
    assert (create["groups"].max_items, create["groups"].limits) == (
        100,
        Limits(min_length=1, max_length=100),
    )
    assert (create["metadata"].max_items, create["metadata"].limits) == (50, Limits(max_length=500))
    assert (create["send_invite"].has_default, create["send_invite"].default) == (True, False)
    assert not any(prop.required for prop in schema.user_update)


def raw_list_parameter(name: str) -> dict[str, Any]:
    """listUsers' parameter `name` in the YAML, its `$ref` followed by hand."""
    for raw in ORIGINAL["paths"]["/v1/users"]["get"]["parameters"]:
        ref = raw.get("$ref", "")
        parameter: dict[str, Any] = (
            ORIGINAL["components"]["parameters"][ref.rsplit("/", 1)[-1]] if ref else raw
        )
        if parameter["name"] == name:
            return parameter
    raise KeyError(name)


def test_the_list_users_query_and_the_password_bodies() -> None:
    """listUsers' query parameters (through their `$ref`s) and the password bodies, as read.

    Compared with the YAML itself, so that a change of a bound needs no edit here.
    """
    schema = load_schema()
    query = {prop.name: prop for prop in schema.list_users.parameters}
    assert set(query) >= {
        "limit", "cursor", "sort", "role", "status", "q", "email_domain", "group",
        "created_after", "created_before", "account_id",
    }  # fmt: skip
    assert schema.list_users.unreadable == {}
    limit, raw_limit = query["limit"], raw_list_parameter("limit")["schema"]
    assert (limit.kind, limit.limits.minimum, limit.limits.maximum, limit.default) == (
        "integer",
        raw_limit["minimum"],
        raw_limit["maximum"],
        raw_limit["default"],
    )
    for name in ("cursor", "sort", "q", "email_domain", "group", "account_id"):
        raw = raw_list_parameter(name)["schema"]
        assert query[name].kind == "text"
        assert query[name].limits.max_length == raw["maxLength"], name
        assert query[name].limits.min_length == raw.get("minLength"), name
    assert schema.list_users.default("sort") == raw_list_parameter("sort")["schema"]["default"]
    assert schema.list_users.default("q", "fallback") == "fallback"
    assert (query["role"].kind, query["role"].limits.enum) == ("list", schema.roles)
    assert (query["status"].kind, query["status"].limits.enum) == ("list", schema.statuses)
    assert query["created_after"].kind == query["created_before"].kind == "instant"
    raw_bodies = ORIGINAL["components"]["schemas"]
    for props, name in (
        (schema.password_reset_request, "PasswordResetRequest"),
        (schema.password_set, "PasswordSet"),
    ):
        raw_props = raw_bodies[name]["properties"]
        assert [prop.name for prop in props] == list(raw_props)
        for prop in props:
            assert prop.required == (prop.name in raw_bodies[name]["required"])
            assert prop.limits.min_length == raw_props[prop.name].get("minLength")
            assert prop.limits.max_length == raw_props[prop.name].get("maxLength")
    assert {prop.name: prop.limits.email for prop in schema.password_reset_request}["email"]


def test_the_spec_is_read_once_per_version(tmp_path: Path) -> None:
    path = write_spec(tmp_path / "openapi.yaml", lambda spec: None)
    assert load_schema(path) is load_schema(path)


def test_a_nullable_ref_through_any_of(tmp_path: Path) -> None:
    def edit(spec: dict[str, Any]) -> None:
        user_properties(spec)["clearance"] = {
            "anyOf": [{"$ref": "#/components/schemas/UserRole"}, {"type": "null"}]
        }

    schema = load_schema(write_spec(tmp_path / "s.yaml", edit))
    clearance = schema.user[-1]
    assert (clearance.kind, clearance.nullable, clearance.limits.enum) == (
        "enum",
        True,
        schema.roles,
    )
    assert set(schema.roles) >= {"owner", "admin", "member", "viewer"}


def test_string_formats_are_the_generators_kinds_stored_as_text(tmp_path: Path) -> None:
    """date, uuid, binary: the SDK generator's words for them; the server keeps them
    as text (no format check), as it did when it called them all `text`."""
    formats = {"birthday": "date", "badge_id": "uuid", "avatar": "binary", "secret": "password"}

    def edit(spec: dict[str, Any]) -> None:
        for name in ("User", "UserUpdate"):
            properties = spec["components"]["schemas"][name]["properties"]
            for field, format_ in formats.items():
                properties[field] = {"type": ["string", "null"], "format": format_}

    path = write_spec(tmp_path / "s.yaml", edit)
    kinds = {prop.name: prop.kind for prop in load_schema(path).user}
    assert {field: kinds[field] for field in formats} == {
        "birthday": "date",
        "badge_id": "uuid",
        "avatar": "binary",
        "secret": "text",
    }
    sent = {field: f"any {field}" for field in formats}
    with run_server(Settings(port=0, spec=path)) as url:
        me = httpx2.get(f"{url}/v1/users/me", headers=OWNER).json()
        changed = httpx2.patch(f"{url}/v1/users/{me['id']}", json=sent, headers=OWNER)
    assert changed.status_code == 200, changed.text
    assert {field: changed.json()[field] for field in formats} == sent


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ({"type": "number"}, "a number schema is not supported"),
        ({"type": "array", "items": {"type": "object"}}, "only non-null strings"),
        ({"type": ["string", "integer"]}, "expected one type besides null"),
        ({"$ref": "other.yaml#/User"}, "only local #/components/ refs"),
        ({"$ref": "#/components/schemas/Nothing"}, "points at nothing"),
        ({"type": "string", "enum": [1, 2]}, "only an enum of strings"),
    ],
)
def test_unsupported_schemas_are_refused_at_start(
    tmp_path: Path, field: dict[str, Any], message: str
) -> None:
    path = write_spec(tmp_path / "s.yaml", lambda spec: user_properties(spec).update(odd=field))
    with pytest.raises(SpecError, match=message):
        create_app(Settings(spec=path))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ('x"; DROP TABLE users; --', "plain identifier"),
        ("Nickname", "plain identifier"),
        ("email_key", "the server keeps a column"),
    ],
)
def test_field_names_must_be_plain_columns(tmp_path: Path, name: str, message: str) -> None:
    path = write_spec(
        tmp_path / "s.yaml", lambda spec: user_properties(spec).update({name: {"type": "string"}})
    )
    with pytest.raises(SpecError, match=message):
        UserTable(load_schema(path).user)


def test_a_field_that_may_be_absent_but_not_null_is_left_out(tmp_path: Path) -> None:
    """Not required and not nullable: the spec allows no null, so no value means no key."""
    path = write_spec(
        tmp_path / "s.yaml", lambda spec: user_properties(spec).update(badge={"type": "string"})
    )
    with run_server(Settings(port=0, spec=path)) as url:
        me = httpx2.get(f"{url}/v1/users/me", headers=OWNER).json()
    assert "badge" not in me
    assert list(me)[-1] == "version"


def test_a_file_database_gains_the_columns_of_new_fields(tmp_path: Path) -> None:
    database = str(tmp_path / "users.db")
    with run_server(Settings(port=0, database=database)) as url:
        created = httpx2.post(f"{url}/v1/users", json={"email": "ada@example.com"}, headers=OWNER)
        user_id = created.json()["id"]

    def add_x_nickname(spec: dict[str, Any]) -> None:
        for name in ("User", "UserUpdate"):
            spec["components"]["schemas"][name]["properties"]["x_nickname"] = {
                "type": ["string", "null"]
            }

    evolved = write_spec(tmp_path / "evolved.yaml", add_x_nickname)
    with (
        run_server(Settings(port=0, database=database, spec=evolved)) as url,
        httpx2.Client(base_url=url) as client,
    ):
        path = f"/v1/users/{user_id}"
        assert "x_nickname" not in client.get(path, headers=OWNER).json()  # optional, no value
        patched = client.patch(path, json={"x_nickname": "Countess"}, headers=OWNER)
        assert patched.json()["x_nickname"] == "Countess"


def test_a_file_database_cannot_gain_a_required_column(tmp_path: Path) -> None:
    database = str(tmp_path / "users.db")
    create_app(Settings(database=database)).state.server.close()

    def require_tier(spec: dict[str, Any]) -> None:
        user_properties(spec)["tier"] = {"type": "string"}
        spec["components"]["schemas"]["User"]["required"].append("tier")

    evolved = write_spec(tmp_path / "evolved.yaml", require_tier)
    with pytest.raises(SpecError, match=r"predates the required field User\.tier"):
        create_app(Settings(database=database, spec=evolved))


def test_the_spec_flag_and_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_args(["--spec", "evolved.yaml"]).spec == Path("evolved.yaml")
    monkeypatch.setenv("USERS_SERVER_SPEC", "from-env.yaml")
    assert parse_args([]).spec == Path("from-env.yaml")


def test_a_missing_spec_stops_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--port", "0", "--spec", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot start: cannot read the spec" in capsys.readouterr().err


def test_a_checkout_serves_the_repository_spec() -> None:
    """Found as a file above server/, with no import of users_sdk (which starts this server)."""
    assert locate_spec() == REPOSITORY_SPEC


def test_a_wheel_serves_the_spec_installed_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / "site-packages" / "users_sdk" / "openapi.yaml"
    installed.parent.mkdir(parents=True)
    installed.write_text("openapi: 3.1.0\n", encoding="utf-8")
    monkeypatch.setattr(location, "CANDIDATES", (installed, REPOSITORY_SPEC))
    assert locate_spec() == installed


def test_no_spec_to_find_names_the_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(location, "CANDIDATES", (tmp_path / "a.yaml", tmp_path / "b.yaml"))
    with pytest.raises(SpecError, match="--spec or USERS_SERVER_SPEC") as raised:
        load_schema()
    assert str(tmp_path / "a.yaml") in str(raised.value)
