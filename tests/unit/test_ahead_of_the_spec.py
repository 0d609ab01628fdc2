"""When the API is ahead of the SDK: fields and enum values the spec does not
have take the typed decode (users_sdk._typed_decode) after it has learned
them, into the very models the builders give, and are logged once.

The samples are made from the spec (test_builders), with a field added to
every object and every enum value replaced by one the spec does not list.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from users_sdk import _drift, _parsing
from users_sdk._version import __version__

from .test_builders import RESPONSE_MODELS, SHAPES, SPEC, same, sample

structs = pytest.importorskip("users_api_client.sdk.structs", reason="msgspec is not installed")
from users_sdk._typed_decode import TypedDecoder  # noqa: E402 (needs msgspec)

NEW_FIELD = "x_added_later"
NEW_VALUE = "added_later"


@pytest.fixture(autouse=True)
def fresh_drift() -> Iterator[None]:
    """Each test starts with nothing noted, as a new process would."""
    saved = dict(_drift._seen)
    _drift._seen.clear()
    yield
    _drift._seen.clear()
    _drift._seen.update(saved)


def ahead(data: Any, model: str, *, fields: bool, values: bool) -> Any:
    """`data` (JSON for `model`) as a newer API sends it, all the way down."""
    spec_model = SPEC.models[model]
    out = dict(data)
    for field in spec_model.fields:
        value = out.get(field.json_name)
        kind = field.value
        if value is None:
            continue
        if kind.kind == "enum" and values:
            out[field.json_name] = NEW_VALUE
        elif kind.kind == "model" and kind.model and not SPEC.models[kind.model].free_form:
            out[field.json_name] = ahead(value, kind.model, fields=fields, values=values)
        elif kind.kind == "list" and kind.items is not None and kind.items.kind == "model":
            inner = kind.items.model
            assert inner is not None
            out[field.json_name] = [ahead(v, inner, fields=fields, values=values) for v in value]
    if fields:
        out[NEW_FIELD] = {"nested": [1, "two"]}
    return out


DRIFTS = {
    "none": {"fields": False, "values": False},
    "unknown fields": {"fields": True, "values": False},
    "unknown enum values": {"fields": False, "values": True},
    "both": {"fields": True, "values": True},
}


@pytest.mark.parametrize("drift", DRIFTS)
@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_the_typed_decode_and_the_builders_give_equal_models(name: str, drift: str) -> None:
    data = ahead(sample(SPEC.models[name]), name, **DRIFTS[drift])
    body = json.dumps(data).encode()
    typed = TypedDecoder(structs.STRUCTS).decode(name, body)
    assert typed is not None, data  # the typed path took it: no builders
    built = SHAPES[name].build(json.loads(body))
    assert built is not None
    assert same(typed, built)
    assert typed.to_dict() == built.to_dict()


def test_what_is_learned_is_then_taken_at_once_and_kept_only_where_sent() -> None:
    decoder = TypedDecoder(structs.STRUCTS)
    user = sample(SPEC.models["User"])
    page = {"items": [ahead(user, "User", fields=True, values=True), user],
            "limit": 2, "next_cursor": None, "previous_cursor": None}  # fmt: skip
    first = decoder.decode("UserPage", json.dumps(page).encode())
    assert first is not None
    assert first.items[0].additional_properties == {NEW_FIELD: {"nested": [1, "two"]}}
    assert first.items[1].additional_properties == {}
    learned = len(_drift.seen())
    # The derived Struct takes the next page in one typed decode: nothing new to learn.
    decoder._learn = None  # type: ignore[assignment,method-assign]
    again = decoder.decode("UserPage", json.dumps(page).encode())
    assert same(again, first)
    assert len(_drift.seen()) == learned
    # A spec-matching response still gives a spec-matching model.
    plain = decoder.decode("User", json.dumps(user).encode())
    assert plain is not None
    assert plain.additional_properties == {}


def test_a_wrong_type_goes_to_the_builders_without_a_walk() -> None:
    """Learning is for what msgspec calls an unknown field or enum value: a
    body refused for a wrong type it meets first is not decoded again and
    walked, which would cost every such body ~1.8x json.loads and learn
    nothing. Its unknown field is still kept, by the builders or the general
    path."""
    data = {**ahead(sample(SPEC.models["User"]), "User", fields=True, values=False)}
    data["id"] = 7  # msgspec meets this first
    decoder = TypedDecoder(structs.STRUCTS)
    assert decoder.decode("User", json.dumps(data).encode()) is None
    assert _drift.seen() == []
    data["id"] = "usr_1"  # now only the drift: learned
    assert decoder.decode("User", json.dumps(data).encode()) is not None
    assert [d.field for d in _drift.seen()] == [NEW_FIELD]


def test_drift_is_logged_once_per_model_and_field_at_info(
    caplog: pytest.LogCaptureFixture,
) -> None:
    decoder = TypedDecoder(structs.STRUCTS)
    user = ahead(sample(SPEC.models["User"]), "User", fields=True, values=True)
    user["a_secret_field"] = "hunter2-value-never-logged"
    with caplog.at_level(logging.INFO, logger="users_sdk"):
        for _ in range(3):
            assert decoder.decode("User", json.dumps(user).encode()) is not None
        # Another process-wide decoder (a second client) says nothing new either.
        assert TypedDecoder(structs.STRUCTS).decode("User", json.dumps(user).encode())
    messages = [r.getMessage() for r in caplog.records if r.name == "users_sdk"]
    assert all(r.levelno == logging.INFO for r in caplog.records)
    enums = list(SHAPES["User"].enums)
    assert len(messages) == 2 + len(enums)
    field_lines = [m for m in messages if "'a_secret_field'" in m]
    assert len(field_lines) == 1
    line = field_lines[0]
    assert "User" in line
    assert __version__ in line
    assert "regenerate" in line
    assert "upgrade" in line
    assert "hunter2" not in "\n".join(messages)  # names only, never a field's value
    for enum in enums:
        assert sum(f"'{NEW_VALUE}' of User.{enum}" in m for m in messages) == 1


def test_the_facade_parses_a_drifted_page_through_the_typed_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import httpx2

    from users_api_client.sdk.operations import LIST_USERS

    monkeypatch.setattr(_parsing, "_TYPED", TypedDecoder(structs.STRUCTS))
    user = ahead(sample(SPEC.models["User"]), "User", fields=True, values=True)
    body = {"items": [user] * 3, "limit": 3, "next_cursor": "c1", "previous_cursor": None}
    response = httpx2.Response(200, json=body)
    monkeypatch.setattr(_parsing, "SHAPES", {})  # the builders' path would fail
    items, next_cursor, _ = _parsing.parse_page(LIST_USERS.page, response)
    assert next_cursor == "c1"
    assert [u.additional_properties for u in items] == [{NEW_FIELD: {"nested": [1, "two"]}}] * 3
