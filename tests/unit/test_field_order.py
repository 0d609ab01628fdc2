"""The order of a user's fields in every output (users_sdk._records): the
order of the User schema's `properties` in the spec, then fields the spec
does not know in the order received. Tested as a rule: on the committed spec,
and on a spec with fields inserted at the start, the middle and the end.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from users_sdk import Invitation, User
from users_sdk._records import field_order, in_field_order, to_record

from .conftest import user_json

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from sdk_codegen.spec import Spec  # noqa: E402

SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def by_the_rule(spec: dict[str, Any], schema: str, received: list[str]) -> list[str]:
    """The rule, from a spec: its properties in order, then the unknown ones received."""
    properties = list(spec["components"]["schemas"][schema]["properties"])
    return properties + [name for name in received if name not in properties]


def as_attrs_writes_it(spec: dict[str, Any], schema: str, extra: list[str]) -> list[str]:
    """The keys of a generated model's to_dict(): the unknown fields first, then
    the required fields, then the optional ones (attrs wants them in that order)."""
    node = spec["components"]["schemas"][schema]
    required = set(node.get("required", []))
    properties = list(node["properties"])
    return [
        *extra,
        *(name for name in properties if name in required),
        *(name for name in properties if name not in required),
    ]


@pytest.mark.parametrize(("model", "schema"), [(User, "User"), (Invitation, "Invitation")])
def test_the_generated_order_is_the_spec_order(model: type, schema: str) -> None:
    assert list(field_order(model)) == by_the_rule(SPEC, schema, [])


def test_a_user_record_has_the_spec_order_then_unknown_fields_as_received() -> None:
    data = {"zeta_new": 1, **user_json(), "alpha_new": {"a": 1}}
    record = to_record(User.from_dict(data))
    # An optional field the data leaves out is left out of the record, not moved.
    assert list(record) == [n for n in by_the_rule(SPEC, "User", list(data)) if n in data]
    assert list(record)[-2:] == ["zeta_new", "alpha_new"]  # as received, not sorted
    assert record["alpha_new"] == {"a": 1}


def inserted(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with new User fields at the start (optional), in the middle
    (required) and at the end (optional)."""
    spec = copy.deepcopy(spec)
    user = spec["components"]["schemas"]["User"]
    items = list(user["properties"].items())
    middle = len(items) // 2
    nullable = {"type": ["string", "null"]}
    user["properties"] = dict(
        [("aa_first", nullable), *items[:middle], ("mm_middle", {"type": "string"}),
         *items[middle:], ("zz_last", nullable)]
    )  # fmt: skip
    user["required"] = [*user["required"], "mm_middle"]
    return spec


def test_the_rule_on_a_spec_with_fields_inserted_at_the_start_middle_and_end() -> None:
    spec = inserted(SPEC)
    properties = list(spec["components"]["schemas"]["User"]["properties"])
    assert properties[0] == "aa_first"
    assert properties[-1] == "zz_last"
    # What `make generate` would record as the order (each model's Shape):
    generated = [field.json_name for field in Spec(spec).models["User"].fields]
    assert generated == properties
    # A record of that model, from its to_dict() order, with one unknown field:
    received = as_attrs_writes_it(spec, "User", ["from_a_newer_server"])
    assert received[0] == "from_a_newer_server"  # not the order the rule gives
    assert received.index("aa_first") > received.index("version")
    record = in_field_order(generated, dict.fromkeys(received))
    assert list(record) == [*properties, "from_a_newer_server"]
    assert list(record) == by_the_rule(spec, "User", received)


def test_an_absent_optional_field_is_left_out_not_moved() -> None:
    record = in_field_order(["a", "b", "c"], {"c": 3, "x": 0, "a": 1})
    assert list(record) == ["a", "c", "x"]


def test_a_model_the_spec_does_not_answer_with_is_refused() -> None:
    with pytest.raises(TypeError, match="not a response model"):
        field_order(dict)
