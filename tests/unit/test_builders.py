"""The model builders `make generate` writes (users_api_client.sdk.builders)
give exactly what the generated `from_dict` gives, for every response model
and every kind of field in openapi.yaml: required and optional (Unset),
nullable, nested models, lists of models, enums and date-times.

The samples are made from the spec, so a field a regeneration adds is covered
with no change here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import attrs
import httpx2
import pytest

from users_api_client.sdk import builders
from users_api_client.types import UNSET, Unset
from users_sdk import _parsing

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from sdk_codegen.kinds import KINDS  # noqa: E402
from sdk_codegen.spec import Model, Spec, Value  # noqa: E402

SPEC = Spec.load(ROOT / "openapi.yaml")
SHAPES = {shape.model.__name__: shape for shape in vars(builders).values()
          if isinstance(shape, builders.Shape)}  # fmt: skip
RESPONSE = httpx2.Response(200, request=httpx2.Request("GET", "http://users.test/v1/x"))


def sample_value(value: Value, *, nulls: bool, optional: bool) -> Any:
    if nulls and value.nullable:
        return None
    example = KINDS[value.kind].example  # each kind's own (kinds.py)
    if example is not None:
        return example
    if value.kind == "enum":
        assert value.enum is not None
        return SPEC.enums[value.enum].values[-1]
    if value.kind == "model":
        assert value.model is not None
        return sample(SPEC.models[value.model], nulls=nulls, optional=optional)
    assert value.kind == "list"
    assert value.items is not None
    return [sample_value(value.items, nulls=nulls, optional=optional)] * 2


def sample(model: Model, *, nulls: bool = False, optional: bool = True) -> dict[str, Any]:
    """JSON for `model`: every field (or only the required ones), nulls where allowed."""
    return {
        field.json_name: sample_value(field.value, nulls=nulls, optional=optional)
        for field in model.fields
        if optional or field.required
    }


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same type all the way down (a str is not a datetime)."""
    if type(a) is not type(b):
        return False
    if attrs.has(type(a)):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in attrs.fields(type(a)))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


VARIANTS = {
    "every field": {"nulls": False, "optional": True},
    "required fields only": {"nulls": False, "optional": False},
    "nulls where allowed": {"nulls": True, "optional": True},
}
RESPONSE_MODELS = [model.name for model in SPEC.response_models() if not model.free_form]


def test_every_response_model_of_the_spec_has_a_builder() -> None:
    assert set(SHAPES) == {model.name for model in SPEC.response_models()}
    # A model with a field the builders cannot build is left to from_dict,
    # slower: this names it, so that the generation step learns that kind.
    assert builders.UNBUILT == ()
    assert {"User", "UserPage", "Invitation", "Problem", "FieldError"} <= set(RESPONSE_MODELS)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_the_builder_agrees_with_from_dict(name: str, variant: str) -> None:
    shape = SHAPES[name]
    data = sample(SPEC.models[name], **VARIANTS[variant])
    built = shape.build(json.loads(json.dumps(data)))
    assert built is not None, data
    assert same(built, shape.model.from_dict(json.loads(json.dumps(data))))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_optional_fields_left_out_are_unset(name: str) -> None:
    model = SPEC.models[name]
    built = SHAPES[name].build(sample(model, optional=False))
    for field in model.fields:
        if not field.required:
            assert isinstance(getattr(built, field.python_name), Unset), field.json_name


@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_fields_the_spec_does_not_know_are_kept(name: str) -> None:
    data = {**sample(SPEC.models[name]), "x_added_later": {"a": [1]}, "x_score": 3}
    built = SHAPES[name].build(data)
    assert built is not None
    assert built.additional_properties == {"x_added_later": {"a": [1]}, "x_score": 3}
    assert built.to_dict() == {**SHAPES[name].model.from_dict(data).to_dict()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [n for n in RESPONSE_MODELS if SHAPES[n].enums])
def test_enum_values_the_spec_does_not_know_are_kept(name: str) -> None:
    shape = SHAPES[name]
    data = {**sample(SPEC.models[name]), **dict.fromkeys(shape.enums, "added_later")}
    built = shape.build(dict(data))
    assert built is not None
    for field in shape.enums:
        assert getattr(built, field) == "added_later"
    # The general path (from_dict with a placeholder) gives the same model.
    assert same(built, _parsing._parse(shape, dict(data), RESPONSE, True))


@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_each_required_field_missing_or_mistyped_is_refused(name: str) -> None:
    shape = SHAPES[name]
    model = SPEC.models[name]
    for field in model.fields:
        wrong = [object()] if field.value.kind != "list" else "not a list"
        for data in (
            {k: v for k, v in sample(model).items() if k != field.json_name},
            {**sample(model), field.json_name: wrong},
        ):
            if field.required or field.json_name in data:
                assert shape.build(data) is None, (field.json_name, data)


def test_date_times_are_parsed_with_their_offset() -> None:
    user = SHAPES["User"].build(sample(SPEC.models["User"]))
    assert user is not None
    assert user.created_at.isoformat() == "2026-01-02T03:04:05.123456+02:00"
    assert user.last_login_at == user.created_at


def test_setting_attributes_directly_is_what_the_attrs_init_does() -> None:
    """The builders set attributes on object.__new__(cls): right only for attrs
    classes without validators, converters, on_setattr hooks or init hooks."""
    for shape in SHAPES.values():
        model = shape.model
        assert model.__setattr__ is object.__setattr__, model
        assert not hasattr(model, "__attrs_post_init__"), model
        assert not hasattr(model, "__attrs_pre_init__"), model
        for field in attrs.fields(model):
            assert field.validator is None, (model, field.name)
            assert field.converter is None, (model, field.name)


def test_unset_is_the_generated_sentinel() -> None:
    assert builders.UNSET is UNSET


# ---- the typed decode (users_api_client.sdk.structs, msgspec) ------------------------

structs = pytest.importorskip("users_api_client.sdk.structs", reason="msgspec is not installed")


def struct_decoder(name: str) -> Any:
    return getattr(structs, f"decode_{SPEC.models[name].module}")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_the_struct_decode_agrees_with_from_dict(name: str, variant: str) -> None:
    data = sample(SPEC.models[name], **VARIANTS[variant])
    decoded = struct_decoder(name)(json.dumps(data).encode())
    assert decoded is not None, data
    assert same(decoded, SHAPES[name].model.from_dict(json.loads(json.dumps(data))))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", RESPONSE_MODELS)
def test_the_struct_decode_refuses_what_it_would_lose_or_get_wrong(name: str) -> None:
    """Unknown fields and enum values (the builders keep them), and wrong
    types, give None: the caller then takes the builders' path."""
    model = SPEC.models[name]
    decode = struct_decoder(name)
    assert decode(json.dumps({**sample(model), "x_added_later": 1}).encode()) is None
    for field in model.fields:
        wrong = ["not", "this"] if field.value.kind in ("map", "model") else {"not": "this"}
        bad = {**sample(model), field.json_name: wrong}
        assert decode(json.dumps(bad).encode()) is None, field.json_name
    for field in SHAPES[name].enums:
        unknown = {**sample(model), field: "added_later"}
        assert decode(json.dumps(unknown).encode()) is None, field


@pytest.mark.parametrize(
    "instant",
    [
        "2024-12-31T23:59:59.9999999Z",  # 7 digits: fromisoformat truncates, msgspec rounds
        "2026-01-01T00:00:00.999999999Z",  # RFC 3339 with nanoseconds (Go's RFC3339Nano)
        "2026-01-01T00:00:00.1234567+02:00",
        "2026-01-01t00:00:00z",  # lowercase: fromisoformat refuses it
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00",
    ],
)
def test_the_struct_decode_reads_date_times_as_from_dict_does(instant: str) -> None:
    data = {**sample(SPEC.models["Invitation"]), "sent_at": instant}
    typed = structs.decode_invitation(json.dumps(data).encode())
    try:
        expected = SHAPES["Invitation"].model.from_dict(dict(data))  # type: ignore[attr-defined]
    except ValueError:
        assert typed is None  # the builders, then the general path, decide
    else:
        assert typed is not None
        assert same(typed, expected)
        assert typed.sent_at == expected.sent_at
