"""One vocabulary for field kinds: the three readers of openapi.yaml say the
same word for the same field.

Three programs read the spec on their own, on purpose (two independent
readings check each other): the generator (scripts/sdk_codegen/spec.py), the
reference server (users_server's spec reader) and the pytest plugin's cassette
contract. Each keeps its reader; the words come from one list, the
generator's kind registry (scripts/sdk_codegen/kinds.py), which `make
generate` carries to users as `users_api_client.sdk.params.KINDS`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from users_api_client.sdk.params import KINDS as GENERATED_KINDS
from users_sdk.testing._cassette_contract import field_kind

from .test_spec_surface import SPEC as DOCUMENT
from .test_spec_surface import resolve

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from sdk_codegen.kinds import KINDS  # noqa: E402
from sdk_codegen.spec import Spec, Value  # noqa: E402

SPEC = Spec.load(ROOT / "openapi.yaml")


def _word(value: Value) -> str:
    """The generator's word for a scalar, or for each item of a list."""
    return value.items.kind if value.kind == "list" and value.items else value.kind


def _parameter_schema(operation_id: str, location: str, name: str) -> dict[str, Any]:
    for path_item in DOCUMENT["paths"].values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or operation.get("operationId") != operation_id:
                continue
            for raw in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
                parameter = resolve(raw)
                if (parameter["in"], parameter["name"]) == (location, name):
                    schema = resolve(parameter["schema"])
                    return resolve(schema["items"]) if schema.get("type") == "array" else schema
    raise LookupError(f"{operation_id}: no {location} parameter {name!r}")


def test_the_generated_vocabulary_is_the_registry() -> None:
    assert set(GENERATED_KINDS) <= set(KINDS)


PARAMETERS = [
    (operation.operation_id, parameter)
    for operation in SPEC.operations
    for parameter in operation.parameters
    if parameter.location in ("query", "header", "path")
]


@pytest.mark.parametrize(
    ("operation_id", "parameter"),
    PARAMETERS,
    ids=[f"{op}({p.location}:{p.name})" for op, p in PARAMETERS],
)
def test_the_plugin_reads_each_parameter_as_the_generator_does(
    operation_id: str, parameter: Any
) -> None:
    schema = _parameter_schema(operation_id, parameter.location, parameter.name)
    word = field_kind(schema)
    assert word in KINDS
    assert word == _word(parameter.value)


def _server_readings() -> list[tuple[str, str, str]]:
    """(where, the server's word, the generator's word) for every property and
    query parameter the reference server reads from the spec."""
    from users_server.spec import load_schema

    schema = load_schema(ROOT / "openapi.yaml")
    by_model = {
        "User": schema.user,
        "UserCreate": schema.user_create,
        "UserUpdate": schema.user_update,
        "PasswordResetRequest": schema.password_reset_request,
        "PasswordSet": schema.password_set,
    }
    readings = []
    for model, properties in by_model.items():
        fields = {field.json_name: field.value for field in SPEC.models[model].fields}
        readings += [(f"{model}.{p.name}", p.kind, fields[p.name].kind) for p in properties]
    list_users = {
        p.name: p.value for p in SPEC.operation(schema.list_users.operation_id).parameters
    }
    readings += [
        (f"listUsers({p.name})", p.kind, list_users[p.name].kind)
        for p in schema.list_users.parameters
    ]
    return readings


def test_the_server_reads_each_field_as_the_generator_does() -> None:
    readings = _server_readings()
    assert len(readings) > 40  # every field of five models and listUsers' parameters
    assert {server for _, server, _ in readings} <= set(KINDS)
    assert [
        (where, server, generator) for where, server, generator in readings if server != generator
    ] == []
