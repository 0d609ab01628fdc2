"""The project's generation step (scripts/sdk_codegen) on spec constructs the
committed spec does not use yet: what it builds must equal what the generated
`from_dict` builds, and what it cannot describe must stop `make generate`
with a message that names it (never a traceback, never a silent difference).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import generate  # noqa: E402

pytestmark = pytest.mark.slow
SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def evolved(edit: Callable[[dict[str, Any]], None], tmp_path: Path) -> Path:
    spec = copy.deepcopy(SPEC)
    edit(spec)
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def add_user_fields(spec: dict[str, Any]) -> None:
    spec["components"]["schemas"]["User"]["properties"].update(
        {
            "x_birthday": {"type": ["string", "null"], "format": "date"},
            "x_external_id": {"type": "string", "format": "uuid"},
            "x_logins": {"type": "array", "items": {"type": "string", "format": "date-time"}},
            "x_backup_role": {
                "anyOf": [{"$ref": "#/components/schemas/UserRole"}, {"type": "null"}]
            },
            "x_score": {"type": "number"},
            "x_backup_email": {"type": ["string", "null"], "format": "email"},
        }
    )


PROBE = """
import json, sys, uuid
from users_api_client.models import User
from users_api_client.sdk.builders import UNBUILT, USER
from users_api_client.sdk import structs
user = json.loads(sys.argv[1])
samples = {
    "every field": user,
    "nulls": {**user, "x_birthday": None, "x_backup_role": None},
    "optional ones absent": {k: v for k, v in user.items() if not k.startswith("x_")},
}
out = {"unbuilt": list(UNBUILT)}
for name, data in samples.items():
    expected = User.from_dict(dict(data))
    fields = [f for f in type(expected).__attrs_attrs__]
    for path, built in (("builder", USER.build(dict(data))),
                        ("struct", structs.decode_user(json.dumps(data).encode()))):
        out[f"{name}, {path}"] = {
            "built": built is not None,
            "equal": built == expected,
            "types": [f.name for f in fields
                      if type(getattr(built, f.name)) is not type(getattr(expected, f.name))],
        }
print(json.dumps(out))
"""


def test_new_kinds_of_fields_are_built_as_from_dict_builds_them(tmp_path: Path) -> None:
    destination = tmp_path / "generated"
    destination.mkdir()
    generate.generate_into(destination, evolved(add_user_fields, tmp_path))
    cassette = ROOT / "cassettes" / "test_users" / "test_get_and_me[sync].yaml"
    user = next(
        json.loads(i["response"]["body"]["string"])
        for i in yaml.safe_load(cassette.read_text(encoding="utf-8"))["interactions"]
        if i["request"]["method"] == "GET" and "/v1/users/usr_" in i["request"]["uri"]
    )
    user.update(
        x_birthday="2000-02-03",
        x_external_id="12345678-1234-5678-1234-567812345678",
        x_logins=["2026-01-02T03:04:05Z", "2026-01-03T00:00:00+02:00"],
        x_backup_role="admin",
        x_score=2,
        x_backup_email="ada@backup.example",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(user)],
        capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(destination), "PATH": ""},
    )  # fmt: skip
    found = json.loads(result.stdout)
    assert found.pop("unbuilt") == []  # every one of these kinds has a fast builder
    for name, outcome in found.items():
        assert outcome == {"built": True, "equal": True, "types": []}, name


def add_email_fields(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    schemas["UserCreate"]["properties"]["x_work_email"] = {"type": "string", "format": "email"}
    schemas["UserUpdate"]["properties"]["x_work_email"] = {
        "type": ["string", "null"],
        "format": "email",
    }


PARAMS_PROBE = """
import json, typing
from users_api_client.sdk import params
print(json.dumps({
    "create": params.CREATE_USER_BODY["x_work_email"],
    "update": params.UPDATE_USER_BODY["x_work_email"],
    "facts": params.KINDS["email"],
    "create_type": str(typing.get_type_hints(params.UserCreateParams)["x_work_email"]),
    "update_type": str(typing.get_type_hints(params.UserUpdateParams)["x_work_email"]),
}))
"""


def test_an_email_field_reaches_params_as_its_own_kind(tmp_path: Path) -> None:
    """`format: email` is a kind of its own (scripts/sdk_codegen/kinds.py): the
    facade checks it by the check KINDS names, and a caller passes a str."""
    destination = tmp_path / "generated"
    destination.mkdir()
    generate.generate_into(destination, evolved(add_email_fields, tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", PARAMS_PROBE],
        capture_output=True, text=True, check=True,
        env={"PYTHONPATH": str(destination), "PATH": ""},
    )  # fmt: skip
    found = json.loads(result.stdout)
    # Kind(kind, nullable, required, many, items, secret, minimum, maximum, default)
    assert found["create"][:3] == ["email", False, False]
    assert found["update"][:3] == ["email", True, False]
    assert found["facts"] == ["email", "email", "EMAIL"]  # check, query check, metavar
    assert found["create_type"] == "<class 'str'>"
    assert found["update_type"] == "str | None"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda spec: spec["components"]["schemas"].update(
                {"Kind": {"type": "string", "enum": ["a", "b"]}}
            ),
            "schema 'Kind': the name is taken by the generated support code",
        ),
        (
            lambda spec: spec["components"]["schemas"]["UserCreate"]["properties"].update(
                {"timeout": {"type": "integer"}}
            ),
            "UserCreate: 'timeout' is also an argument of the facade's methods",
        ),
        (
            lambda spec: spec["components"]["schemas"]["User"]["properties"].update(
                {"x_either": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}
            ),
            "User.x_either: allOf, anyOf and oneOf are not supported",
        ),
    ],
    ids=["a schema named like an internal", "a field named like a method argument", "oneOf"],
)
def test_what_it_cannot_describe_stops_generation_naming_it(
    edit: Callable[[dict[str, Any]], None], message: str, tmp_path: Path
) -> None:
    destination = tmp_path / "generated"
    destination.mkdir()
    with pytest.raises(generate.GenerationError, match=message.replace("(", r"\(")):
        generate.generate_into(destination, evolved(edit, tmp_path))
