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
