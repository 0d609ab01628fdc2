"""The contract itself: valid OpenAPI 3.1, and the operations the SDK promises."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

ROOT = Path(__file__).resolve().parent.parent
HTTP_METHODS = ("get", "put", "post", "patch", "delete")

# operationId -> (method, path, success status), as the contract table says.
CONTRACT = {
    "listUsers": ("get", "/v1/users", "200"),
    "createUser": ("post", "/v1/users", "201"),
    "getCurrentUser": ("get", "/v1/users/me", "200"),
    "getUser": ("get", "/v1/users/{user_id}", "200"),
    "updateUser": ("patch", "/v1/users/{user_id}", "200"),
    "deleteUser": ("delete", "/v1/users/{user_id}", "204"),
    "inviteUser": ("post", "/v1/users/{user_id}/invite", "202"),
    "resetUserPassword": ("post", "/v1/users/reset-password", "202"),
    "setUserPassword": ("post", "/v1/users/set-password", "204"),
}
PUBLIC_OPERATIONS = {"resetUserPassword", "setUserPassword"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    return loaded


def operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                found[item[method]["operationId"]] = (method, path, item[method])
    return found


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] == "Users API"
    validate(spec)


def test_validator_rejects_a_broken_copy(spec: dict[str, Any]) -> None:
    # Proves the validation above can fail: a response without a description is invalid.
    broken = copy.deepcopy(spec)
    del broken["paths"]["/v1/users"]["get"]["responses"]["200"]["description"]
    with pytest.raises(OpenAPIValidationError):
        validate(broken)


def test_every_operation_of_the_contract_is_there(spec: dict[str, Any]) -> None:
    found = operations(spec)
    assert set(CONTRACT) <= set(found)  # the API may grow; these must stay
    for operation_id, (method, path, success) in CONTRACT.items():
        assert found[operation_id][:2] == (method, path), operation_id
        assert success in found[operation_id][2]["responses"], operation_id


def test_all_paths_are_under_v1(spec: dict[str, Any]) -> None:
    assert all(path.startswith("/v1/") for path in spec["paths"])


def test_every_operation_is_documented_for_the_generated_docstrings(
    spec: dict[str, Any],
) -> None:
    for operation_id, (_, _, operation) in operations(spec).items():
        assert operation.get("summary"), operation_id
        assert len(operation.get("description", "")) > 40, operation_id
        body = operation.get("requestBody")
        if body:
            assert body["content"]["application/json"].get("examples"), operation_id


def test_security_is_bearer_or_api_key_except_for_password_endpoints(
    spec: dict[str, Any],
) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert (schemes["apiKeyAuth"]["in"], schemes["apiKeyAuth"]["name"]) == ("header", "X-API-Key")
    # Two alternatives in the list: either one is enough.
    assert spec["security"] == [{"bearerAuth": []}, {"apiKeyAuth": []}]
    for operation_id, (_, _, operation) in operations(spec).items():
        if operation_id in PUBLIC_OPERATIONS:
            assert operation["security"] == [], operation_id
        else:
            assert "security" not in operation, operation_id


def test_every_response_carries_a_request_id_and_errors_are_problems(
    spec: dict[str, Any],
) -> None:
    for operation_id, (_, _, operation) in operations(spec).items():
        for status, response in operation["responses"].items():
            response = resolve(spec, response)
            where = f"{operation_id} {status}"
            assert "X-Request-ID" in response.get("headers", {}), where
            if int(status) >= 400:
                content = response["content"]
                assert list(content) == ["application/problem+json"], where
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }, where
            if status == "429":
                assert "Retry-After" in response["headers"], where


def test_listed_errors_match_the_contract(spec: dict[str, Any]) -> None:
    expected = {
        "listUsers": {"400", "401", "403", "422", "429"},
        "createUser": {"401", "403", "409", "422", "429"},
        "getCurrentUser": {"401"},
        "getUser": {"401", "403", "404"},
        "updateUser": {"401", "403", "404", "409", "412", "422"},
        "deleteUser": {"401", "403", "404", "409"},
        "inviteUser": {"401", "403", "404", "409"},
        "resetUserPassword": {"409", "422", "429"},  # 409: an Idempotency-Key reused
        "setUserPassword": {"400", "409", "422"},
    }
    found = operations(spec)
    for operation_id, statuses in expected.items():
        assert statuses <= set(found[operation_id][2]["responses"]), operation_id


def test_headers_the_sdk_relies_on(spec: dict[str, Any]) -> None:
    found = operations(spec)
    created = found["createUser"][2]["responses"]["201"]["headers"]
    assert {"Location", "ETag"} <= set(created)
    for operation_id in ("getUser", "updateUser"):
        assert "ETag" in found[operation_id][2]["responses"]["200"]["headers"]
    parameter_refs = {
        operation_id: {p.get("$ref", p.get("name")) for p in operation.get("parameters", [])}
        for operation_id, (_, _, operation) in found.items()
    }
    assert "#/components/parameters/IdempotencyKey" in parameter_refs["createUser"]
    assert "#/components/parameters/IfMatch" in parameter_refs["updateUser"]


def test_user_schema_has_every_field_of_the_union(spec: dict[str, Any]) -> None:
    """The union of the seed vendors' fields is covered: a superset, so that an
    additive change of the spec needs no edit here."""
    schemas = spec["components"]["schemas"]
    user = schemas["User"]
    assert set(user["properties"]) >= {
        "id", "email", "display_name", "first_name", "last_name", "username", "role",
        "status", "phone", "department", "groups", "permissions", "metadata", "account_id",
        "is_service_user", "last_login_at", "created_at", "updated_at", "version",
    }  # fmt: skip
    assert set(schemas["UserRole"]["enum"]) >= {"owner", "admin", "member", "viewer"}
    assert set(schemas["UserStatus"]["enum"]) >= {"invited", "active", "suspended", "deactivated"}
    assert schemas["UserCreate"]["required"] == ["email"]
    assert "send_invite" in schemas["UserCreate"]["properties"]
    assert "required" not in schemas["UserUpdate"]
    assert set(schemas["UserPage"]["required"]) == {
        "items", "limit", "next_cursor", "previous_cursor",
    }  # fmt: skip
    assert set(schemas["Problem"]["properties"]) >= {
        "type", "title", "status", "detail", "instance", "request_id", "errors",
    }  # fmt: skip
    assert set(schemas["FieldError"]["required"]) == {"field", "message", "code"}
