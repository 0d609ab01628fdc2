"""The rules that turn an operation of the spec into a method of the clients
(scripts/sdk_codegen/methods.py, stated in docs/spec-changes.md), on specs
the committed one does not have."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from sdk_codegen.methods import methods  # noqa: E402
from sdk_codegen.spec import Spec, SpecError  # noqa: E402

SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
OK = {"200": {"description": "ok"}}


def with_paths(**paths: dict[str, Any]) -> Spec:
    document = copy.deepcopy(SPEC)
    document["paths"].update(paths)
    return Spec(document)


def named(spec: Spec) -> dict[str, str]:
    return {m.operation.operation_id: f"{m.resource}.{m.name}" for m in methods(spec)}


def test_the_committed_spec() -> None:
    # A subset: a maintainer's new operation adds to it with no edit here.
    assert (
        named(Spec(SPEC)).items()
        >= {
            "listUsers": "users.list",
            "createUser": "users.create",
            "getCurrentUser": "users.me",  # x-sdk-method
            "resetUserPassword": "users.reset_password",
            "setUserPassword": "users.set_password",
            "getUser": "users.get",
            "updateUser": "users.update",
            "deleteUser": "users.delete",
            "inviteUser": "users.invite",
        }.items()
    )


def test_the_noun_of_the_resource_leaves_the_name_singular_or_plural() -> None:
    spec = with_paths(
        **{
            "/v1/audit-events": {
                "get": {"operationId": "listAuditEvents", "tags": ["auditEvents"], "responses": OK}
            },
            "/v1/audit-events/{id}": {
                "get": {"operationId": "getAuditEvent", "tags": ["auditEvents"], "responses": OK}
            },
            "/v1/users/{user_id}/suspend": {
                "post": {"operationId": "suspendUser", "tags": ["users"], "responses": OK}
            },
        }
    )
    names = named(spec)
    assert names["listAuditEvents"] == "audit_events.list"
    assert names["getAuditEvent"] == "audit_events.get"
    assert names["suspendUser"] == "users.suspend"


def test_a_page_is_recognised_from_the_spec() -> None:
    pages = {m.operation.operation_id: m.page for m in methods(Spec(SPEC))}
    page = pages["listUsers"]
    assert page is not None
    assert (page.model, page.item, page.limit) == ("UserPage", "User", "limit")
    for operation_id in ("createUser", "getUser", "getCurrentUser", "updateUser"):
        assert pages[operation_id] is None, operation_id


def test_every_field_required_makes_them_positional() -> None:
    by_id = {m.operation.operation_id: m for m in methods(Spec(SPEC))}
    assert [a.name for a in by_id["setUserPassword"].spread] == ["reset_token", "password"]
    assert by_id["setUserPassword"].body is None
    assert by_id["createUser"].spread == ()
    assert by_id["createUser"].body == "UserCreate"


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (
            {"/v1/x": {"get": {"operationId": "listX", "responses": OK}}},
            "listX: an operation needs a tag",
        ),
        (
            {
                "/v1/users/{user_id}/get": {
                    "get": {
                        "operationId": "getUserAgain",
                        "tags": ["users"],
                        "x-sdk-method": "get",
                        "responses": OK,
                    }
                }
            },
            r"getUserAgain and getUser are both users\.get\(\)",
        ),
        (
            {"/v1/x": {"get": {"operationId": "listX", "tags": ["request"], "responses": OK}}},
            "tag 'request' cannot be a client attribute",
        ),
        (
            {
                "/v1/x": {
                    "get": {
                        "operationId": "listX",
                        "tags": ["x"],
                        "x-sdk-method": "not a name",
                        "responses": OK,
                    }
                }
            },
            "x-sdk-method must be a Python name",
        ),
    ],
)
def test_what_cannot_be_a_method_stops_generation(paths: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        methods(with_paths(**paths))


def test_a_keyword_as_a_name_stops_generation() -> None:
    spec = with_paths(
        **{
            "/v1/users/import": {
                "post": {"operationId": "importUsers", "tags": ["users"], "responses": OK}
            }
        }
    )
    with pytest.raises(
        SpecError, match="'import' cannot be a method name; give it an x-sdk-method"
    ):
        methods(spec)


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (
            {
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": {"type": "string"}}
                        }
                    }
                }
            },
            "the request body must be a named object schema",
        ),
        (
            {"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
            "only an application/json body is supported",
        ),
        (
            {
                "responses": {
                    "200": {
                        "description": "csv",
                        "content": {"text/csv": {"schema": {"type": "string"}}},
                    }
                }
            },
            "a 200 answer of text/csv is not supported yet",
        ),
    ],
)
def test_what_the_step_cannot_describe_is_named(operation: dict[str, Any], message: str) -> None:
    post = {
        "operationId": "importUsers",
        "tags": ["users"],
        "x-sdk-method": "bulk_import",
        "responses": OK,
    }
    with pytest.raises(SpecError, match=message):
        with_paths(**{"/v1/users/import": {"post": {**post, **operation}}})


def test_a_tag_without_models_and_a_required_filter_render_valid_python() -> None:
    from sdk_codegen import render_operations

    spec = with_paths(
        **{
            "/v1/health": {
                "get": {
                    "operationId": "getHealth",
                    "tags": ["health"],
                    "parameters": [
                        {
                            "name": "probe",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {"204": {"description": "healthy"}},
                }
            }
        }
    )
    module = render_operations.render(spec)["resources/health.py"]
    compile(module, "health.py", "exec")
    assert "from ...models import" not in module
    assert "probe: str," in module  # required: no default, no None
    (health,) = [m for m in methods(spec) if m.resource == "health"]
    assert health.name == "get"


def test_only_a_get_is_paginated() -> None:
    document = copy.deepcopy(SPEC)
    listing = copy.deepcopy(document["paths"]["/v1/users"]["get"])
    document["paths"]["/v1/users/search"] = {
        "post": {**listing, "operationId": "searchUsers", "x-sdk-method": "search"}
    }
    pages = {m.name: m.page for m in methods(Spec(document))}
    assert pages["list"] is not None
    assert pages["search"] is None
