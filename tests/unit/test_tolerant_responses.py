"""strict_responses: by default a response missing a required field, or with
one of the wrong type, is an UnexpectedResponseError naming the model and the
field; with strict_responses=False the call goes on, the field is None (or the
date-time string as sent), and one UsersSDKWarning per model and field says
so, without the value (users_sdk._tolerance).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from users_api_client.sdk.builders import PROBLEM, SHAPES
from users_sdk import ConfigurationError, UnexpectedResponseError, UsersSDKWarning, _tolerance
from users_sdk._parsing import _parse
from users_sdk._version import __version__

from .conftest import Recorder, json_response, user_json

# Looks like a credential: it must never reach a warning.
SECRET = "sk_live_51HxSECRETvalue0123456789"


@pytest.fixture(autouse=True)
def fresh_warnings() -> Iterator[None]:
    """Each test starts with no field warned about, as a new process would."""
    saved = set(_tolerance._warned)
    _tolerance._warned.clear()
    yield
    _tolerance._warned.clear()
    _tolerance._warned.update(saved)


def without(field: str, **overrides: Any) -> dict[str, Any]:
    user = user_json(**overrides)
    del user[field]
    return user


def page_of(*users: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(users), "limit": 20, "next_cursor": None, "previous_cursor": None}


# -- the default: strict ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "named"),
    [
        (without("email"), "User: the required field 'email' is missing"),
        (user_json(version="three"), "User: field 'version' should be an integer, got str"),
        (user_json(is_service_user="false"), "User: field 'is_service_user' should be a boolean"),
    ],
)
def test_by_default_a_broken_field_is_an_error_naming_the_model_and_field(
    make_client: Any, body: dict[str, Any], named: str
) -> None:
    with pytest.raises(UnexpectedResponseError) as caught:
        make_client(Recorder(json_response(200, body))).users.get("usr_1")
    assert named in str(caught.value)


# -- strict_responses=False ------------------------------------------------------


def test_a_missing_required_field_becomes_none_with_one_warning(make_client: Any) -> None:
    # A field no spec rehearsal adds (tests/spec_evolution adds timezone, locale, pronouns).
    body = without("email", x_not_in_any_spec="kept")
    client = make_client(
        Recorder(json_response(200, body), json_response(200, body)), strict_responses=False
    )
    with pytest.warns(UsersSDKWarning) as caught:
        user = client.users.get("usr_1")
    assert user.email is None
    assert (user.id, user.display_name, user.version) == ("usr_0001", "Ada Lovelace", 1)
    assert user.additional_properties == {"x_not_in_any_spec": "kept"}  # still kept
    assert len(caught) == 1
    message = str(caught[0].message)
    for part in ("User.email", "the required field is missing", "set it to None",
                 f"users-sdk {__version__}", "regenerate", "upgrade users-sdk",
                 "report it to the API's owner"):  # fmt: skip
        assert part in message, part
    assert caught[0].filename == __file__  # points at the call, not into the SDK

    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        second = client.users.get("usr_1")
    assert second.email is None
    assert again == []  # once per model and field in a process


@pytest.mark.parametrize(
    ("field", "value", "expected", "kept"),
    [
        ("version", "three", "expected an integer, got a string", None),
        ("is_service_user", "false", "expected a boolean, got a string", None),
        ("groups", "engineering", "expected an array, got a string", None),
        ("metadata", ["team"], "expected an object, got an array", None),
        ("phone", 442079460000, "expected a string or null, got an integer", None),
        ("role", 3, "expected a string, got an integer", None),
        # The JSON type the spec gives, in a form the model cannot parse: kept.
        ("created_at", "yesterday", "expected an RFC 3339 date-time", "yesterday"),
        ("last_login_at", "last week", "expected an RFC 3339 date-time", "last week"),
    ],
)
def test_a_mistyped_field_becomes_none_or_keeps_a_string_of_the_right_json_type(
    make_client: Any, field: str, value: Any, expected: str, kept: Any
) -> None:
    client = make_client(Recorder(json_response(200, user_json(**{field: value}))),
                         strict_responses=False)  # fmt: skip
    with pytest.warns(UsersSDKWarning, match=f"User.{field}: {expected}"):
        user = client.users.get("usr_1")
    assert getattr(user, field) == kept
    assert user.email == "ada@example.com"  # the other fields are as sent
    assert user.to_dict()[field] == kept  # written back as it is held


@pytest.mark.parametrize("field", ["created_at", "metadata"])
def test_to_dict_writes_a_repaired_date_time_or_object_as_null(
    make_client: Any, field: str
) -> None:
    """The generated to_dict() (scripts/templates/property_templates) writes back
    what the tolerant mode left in a required date-time or object field."""
    client = make_client(Recorder(json_response(200, without(field))), strict_responses=False)
    with pytest.warns(UsersSDKWarning, match=f"User.{field}: the required field is missing"):
        user = client.users.get("usr_1")
    written = user.to_dict()
    assert written[field] is None
    assert written["email"] == "ada@example.com"


def test_the_warning_never_holds_the_value(make_client: Any) -> None:
    body = without(
        "email", version=SECRET, created_at=SECRET, first_name={"token": SECRET}, groups=SECRET
    )
    client = make_client(Recorder(json_response(200, body)), strict_responses=False)
    with pytest.warns(UsersSDKWarning) as caught:
        user = client.users.get("usr_1")
    assert len(caught) == 5
    assert {str(w.message).split(": ")[1] for w in caught} == {
        "User.email", "User.first_name", "User.groups", "User.created_at", "User.version"
    }  # fmt: skip
    for warning in caught:
        assert SECRET not in str(warning.message)
        assert "SECRET" not in str(warning.message)
    assert user.created_at == SECRET  # a string where a date-time string belongs: kept
    assert (user.version, user.first_name, user.groups) == (None, None, None)


def test_a_page_with_one_broken_user_keeps_the_others(make_client: Any) -> None:
    good = user_json(id="usr_1")
    broken = without("display_name", id="usr_2", version="2")
    body = page_of(good, broken, user_json(id="usr_3"))
    with pytest.raises(UnexpectedResponseError, match="User: field 'version'"):
        make_client(Recorder(json_response(200, body))).users.list()

    client = make_client(Recorder(json_response(200, body)), strict_responses=False)
    with pytest.warns(UsersSDKWarning) as caught:
        page = client.users.list()
    assert [user.id for user in page.items] == ["usr_1", "usr_2", "usr_3"]
    assert (page.items[1].display_name, page.items[1].version) == (None, None)
    assert (
        page.items[0].to_dict()
        == make_client(Recorder(json_response(200, good))).users.get("usr_1").to_dict()
    )
    assert page.items[2].display_name == "Ada Lovelace"
    assert sorted(str(w.message).split(": ")[1] for w in caught) == [
        "User.display_name", "User.version"
    ]  # fmt: skip


def test_the_page_itself_stays_strict(make_client: Any) -> None:
    """A cursor read as None would end a listing early without a word."""
    body = {**page_of(user_json()), "next_cursor": 42}
    client = make_client(Recorder(json_response(200, body)), strict_responses=False)
    with pytest.raises(UnexpectedResponseError, match="next_cursor must be a string"):
        client.users.list()


def test_a_body_that_is_no_object_is_still_an_error(make_client: Any) -> None:
    client = make_client(Recorder(json_response(200, ["a", "list"])), strict_responses=False)
    with pytest.raises(UnexpectedResponseError, match="expected a User object"):
        client.users.get("usr_1")


def test_a_response_that_matches_the_spec_warns_nothing(make_client: Any) -> None:
    client = make_client(Recorder(json_response(200, user_json())), strict_responses=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        user = client.users.get("usr_1")
    assert caught == []
    strict = make_client(Recorder(json_response(200, user_json()))).users.get("usr_1")
    assert user.to_dict() == strict.to_dict()


def test_only_the_client_derived_with_options_is_tolerant(make_client: Any) -> None:
    body = without("email")
    recorder = Recorder(*(json_response(200, body) for _ in range(3)))
    strict = make_client(recorder)
    tolerant = strict.with_options(strict_responses=False)
    with pytest.warns(UsersSDKWarning):
        assert tolerant.users.get("usr_1").email is None
    with pytest.raises(UnexpectedResponseError, match="'email'"):
        strict.users.get("usr_1")
    # A client derived from the tolerant one stays tolerant, unless told.
    with pytest.raises(UnexpectedResponseError, match="'email'"):
        tolerant.with_options(strict_responses=True).users.get("usr_1")
    assert "strict_responses=False" in repr(tolerant)
    assert "strict_responses" not in repr(strict)


def test_raw_responses_parse_as_their_client_says(make_client: Any) -> None:
    client = make_client(Recorder(json_response(200, without("email"))), strict_responses=False)
    raw = client.users.with_raw_response.get("usr_1")
    with pytest.warns(UsersSDKWarning, match="User.email"):
        assert raw.parse().email is None


@pytest.mark.anyio
async def test_the_async_client_is_tolerant_too(make_async_client: Any) -> None:
    body = without("email")
    recorder = Recorder(json_response(200, body), json_response(200, page_of(user_json(), body)))
    client = make_async_client(recorder, strict_responses=False)
    with pytest.warns(UsersSDKWarning, match="User.email"):
        user = await client.users.get("usr_1")
    assert user.email is None
    page = await client.users.list()  # warned already: no second warning
    assert [u.email for u in page.items] == ["ada@example.com", None]
    strict = client.with_options(strict_responses=True)
    assert "strict_responses" not in repr(strict)


@pytest.mark.parametrize("value", ["false", 0, 1, None, "yes"])
def test_strict_responses_must_be_a_bool(make_client: Any, value: Any) -> None:
    with pytest.raises(ConfigurationError, match="strict_responses must be True or False"):
        make_client(Recorder(), strict_responses=value)
    client = make_client(Recorder())
    with pytest.raises(ConfigurationError, match="strict_responses must be True or False"):
        client.with_options(strict_responses=value)


# -- the general path on its own: optional fields, attribute names ---------------


def test_an_optional_field_and_a_renamed_attribute_are_repaired_by_attribute() -> None:
    """Problem's `type` is the attribute `type_`; `detail` is optional."""
    response = httpx2.Response(200, request=httpx2.Request("GET", "http://users.test/"))
    body = {"title": "Oops", "status": 500, "detail": 5, "request_id": "req_1"}
    with pytest.warns(UsersSDKWarning) as caught:
        problem = _parse(PROBLEM, body, response, False)
    assert (problem.type_, problem.detail, problem.title, problem.request_id) == (
        None, None, "Oops", "req_1"
    )  # fmt: skip
    assert sorted(str(w.message).split(": ")[1] for w in caught) == [
        "Problem.detail", "Problem.type (attribute type_)"
    ]  # fmt: skip
    with pytest.raises(UnexpectedResponseError, match="field 'detail' should be a string"):
        _parse(PROBLEM, body, response, True)


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_shape_names_its_attributes_and_stand_ins_from_dict_accepts(name: str) -> None:
    import attrs

    shape = SHAPES[name]
    attributes = {f.name for f in attrs.fields(shape.model)} - {"additional_properties"}
    assert set(shape.attributes.values()) == attributes
    assert set(shape.attributes) == set(shape.json_types)
    assert set(shape.stand_ins) <= set(shape.json_types)
    shape.model.from_dict(dict(shape.stand_ins))  # the stand-ins of the required fields
