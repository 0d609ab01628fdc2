"""The project's overlay applier (scripts/overlay.py), which the spec
rehearsal uses: Overlay 1.0's update and remove, and the `x-insert-before`
extension that puts an addition at the start or in the middle."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from overlay import OverlayError, apply  # noqa: E402

SPEC: dict[str, Any] = {
    "schema": {"properties": {"a": {"type": "string"}, "b": {}, "c": {}}},
    "enum": ["x", "y", "z"],
}


def actions(*found: dict[str, Any]) -> dict[str, Any]:
    return {"overlay": "1.0.0", "actions": list(found)}


def test_update_merges_into_a_mapping_and_appends_to_an_array() -> None:
    result = apply(
        SPEC,
        actions(
            {"target": "$.schema.properties", "update": {"d": {}, "a": {"maxLength": 3}}},
            {"target": "$['enum']", "update": "w"},
        ),
    )
    assert list(result["schema"]["properties"]) == ["a", "b", "c", "d"]
    assert result["schema"]["properties"]["a"] == {"type": "string", "maxLength": 3}
    assert result["enum"] == ["x", "y", "z", "w"]
    assert SPEC["enum"] == ["x", "y", "z"]  # the spec given is left as it was


@pytest.mark.parametrize(
    ("anchor", "keys", "values"),
    [
        ("a", ["n1", "n2", "a", "b", "c"], ["n1", "n2", "x", "y", "z"]),  # the start
        ("b", ["a", "n1", "n2", "b", "c"], ["x", "n1", "n2", "y", "z"]),  # the middle
    ],
)
def test_x_insert_before_puts_additions_before_a_key_or_value(
    anchor: str, keys: list[str], values: list[str]
) -> None:
    value_anchor = {"a": "x", "b": "y"}[anchor]
    result = apply(
        SPEC,
        actions(
            {"target": "$.schema.properties", "x-insert-before": anchor,
             "update": {"n1": {"type": "string"}, "n2": {}}},
            {"target": "$.enum", "x-insert-before": value_anchor, "update": ["n1", "n2"]},
        ),
    )  # fmt: skip
    assert list(result["schema"]["properties"]) == keys
    assert result["schema"]["properties"]["n1"] == {"type": "string"}
    assert result["enum"] == values


def test_x_insert_before_one_value_into_an_array() -> None:
    result = apply(SPEC, actions({"target": "$.enum", "x-insert-before": "x", "update": "w"}))
    assert result["enum"] == ["w", "x", "y", "z"]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"target": "$.schema.properties", "x-insert-before": "q", "update": {"n": {}}},
         "'q': no such key"),
        ({"target": "$.enum", "x-insert-before": "q", "update": "n"}, "'q': no such value"),
        ({"target": "$.schema.properties", "x-insert-before": "a", "update": {"b": {}}},
         "adds keys, and has ['b']"),
        ({"target": "$.schema.properties", "x-insert-before": "a", "update": ["n"]},
         "needs a mapping"),
        ({"target": "$.schema.properties.a.type", "x-insert-before": "s", "update": "n"},
         "a mapping or an array"),
        ({"target": "$.nowhere", "update": {}}, "matches nothing"),
    ],
)  # fmt: skip
def test_what_cannot_be_inserted_is_an_error_that_says_why(
    action: dict[str, Any], message: str
) -> None:
    with pytest.raises(OverlayError, match=re.escape(message)):
        apply(SPEC, actions(action))
