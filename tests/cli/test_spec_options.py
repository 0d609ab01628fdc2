"""Every listUsers query parameter and every create/update field of
openapi.yaml has a CLI option, named as the spec says (its name, or its
x-cli-name) with the spec's description as its help, and every enum its
choices: read from the spec here, so that the rehearsed spec change
(tests/spec_evolution) is checked with its new field, filter and enum value,
with no edit."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from guards.test_spec_surface import SPEC, resolve

from users_sdk.cli._app import app


def operation(operation_id: str) -> dict[str, Any]:
    for path in SPEC["paths"].values():
        for op in path.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                return op
    raise LookupError(operation_id)


def body_schema(operation_id: str) -> dict[str, Any]:
    content = operation(operation_id)["requestBody"]["content"]["application/json"]
    return resolve(content["schema"])


def query_parameters() -> list[dict[str, Any]]:
    parameters = [resolve(p) for p in operation("listUsers")["parameters"]]
    return [p for p in parameters if p["in"] == "query"]


def enum_of(schema: dict[str, Any]) -> list[str] | None:
    schema = resolve(schema)
    if "enum" in schema:
        return list(schema["enum"])
    for key in ("items", "anyOf", "oneOf"):
        inner = schema.get(key)
        for part in inner if isinstance(inner, list) else [inner] if inner else []:
            if (found := enum_of(part)) is not None:
                return found
    return None


def command(*path: str) -> Any:
    found: Any = typer.main.get_command(app)
    for name in path:
        found = found.commands[name]
    return found


def options(*path: str) -> dict[str, Any]:
    return {opt: param for param in command(*path).params for opt in param.opts}


def option(name: str, spec: dict[str, Any] | None = None) -> str:
    """The option of a spec name: its x-cli-name's (a parameter's or a property's), if any."""
    return "--" + str((spec or {}).get("x-cli-name", name)).replace("_", "-")


def choices(param: Any) -> list[str]:
    # Typer 0.29 keeps a parameter's choices in its type descriptor, not a click type.
    kind = getattr(param, "type", None) or param.type_descriptor
    return [str(getattr(c, "value", c)) for c in kind.choices]


@pytest.mark.parametrize("path", [("users", "list"), ("users", "summary"), ("users", "export")])
def test_every_list_users_query_parameter_is_an_option(path: tuple[str, ...]) -> None:
    found = options(*path)
    for parameter in query_parameters():
        if parameter["name"] == "cursor" and path != ("users", "list"):
            continue  # summary walks every page; export resumes with --resume
        flag = option(parameter["name"], parameter)
        assert flag in found, f"{' '.join(path)} has no {flag}"
        assert not found[flag].hidden
        values = enum_of(parameter["schema"])
        if values is not None:
            assert choices(found[flag]) == values
            assert found[flag].multiple, f"{flag} takes several values"


@pytest.mark.parametrize(
    ("path", "operation_id"), [("create", "createUser"), ("update", "updateUser")]
)
def test_every_body_field_is_an_option(path: str, operation_id: str) -> None:
    found = options("users", path)
    for name, schema in body_schema(operation_id)["properties"].items():
        flag = option(name, schema)
        assert flag in found, f"users {path} has no {flag}"
        values = enum_of(schema)
        if values is not None:
            assert choices(found[flag]) == values


def test_clear_takes_each_nullable_list_or_map_field_of_update() -> None:
    expected = []
    for name, schema in body_schema("updateUser")["properties"].items():
        schema = resolve(schema)
        kinds = schema.get("type") if isinstance(schema.get("type"), list) else [schema.get("type")]
        nullable = "null" in kinds or any(
            resolve(s).get("type") == "null" for s in schema.get("anyOf", [])
        )
        if nullable or "array" in kinds or "object" in kinds:
            expected.append(name)
    assert sorted(choices(options("users", "update")["--clear"])) == sorted(expected)


def test_a_boolean_field_has_a_flag_and_its_no_form() -> None:
    booleans = [
        name for name, schema in body_schema("updateUser")["properties"].items()
        if resolve(schema).get("type") == "boolean"
    ]  # fmt: skip
    secondary = {o for p in command("users", "update").params for o in p.secondary_opts}
    assert booleans
    for name in booleans:
        assert option(name) in options("users", "update")
        assert f"--no-{option(name)[2:]}" in secondary


def test_bounds_of_the_spec_bound_the_option(cli: Any) -> None:
    limit = resolve(next(p for p in query_parameters() if p["name"] == "limit"))["schema"]
    run = cli("users", "list", "--limit", str(limit["maximum"] + 1))
    assert run.exit_code == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "--limit" in run.stderr


def test_a_field_of_a_string_format_shows_its_kind_as_metavar() -> None:
    """The metavar comes from the generated KINDS (scripts/sdk_codegen/kinds.py)."""
    for path in ("create", "update"):
        assert options("users", path)["--email"].metavar == "EMAIL"
    assert options("users", "list")["--created-after"].metavar == "DATETIME"


def test_a_malformed_email_is_refused_before_the_request(cli: Any) -> None:
    run = cli("users", "create", "--email", "not-an-email")
    assert run.exit_code == 2
    assert "email must be an email address such as 'ada@example.com'" in run.stderr
    assert "not-an-email" not in cli("users", "list", "--output", "jsonl").stdout


def described(schema: dict[str, Any]) -> str:
    """What the spec says of a parameter or property (a $ref's schema says it for it)."""
    text = schema.get("description") or resolve(schema).get("description") or ""
    return " ".join(str(text).split()).rstrip(".")


@pytest.mark.parametrize(
    ("path", "operation_id"), [("create", "createUser"), ("update", "updateUser")]
)
def test_the_help_of_a_field_option_is_the_spec_description(path: str, operation_id: str) -> None:
    found = options("users", path)
    content = operation(operation_id)["requestBody"]["content"]["application/json"]
    model = content["schema"]["$ref"].rsplit("/", 1)[1]
    for name, schema in body_schema(operation_id)["properties"].items():
        # A field the spec does not describe (a rehearsed new one) is named instead.
        expected = described(schema) or f"{model} field {name!r}"
        assert found[option(name, schema)].help.startswith(expected), name


def test_the_help_of_a_filter_is_the_spec_description() -> None:
    found = options("users", "list")
    for parameter in query_parameters():
        expected = described(parameter) or f"listUsers parameter {parameter['name']!r}"
        assert found[option(parameter["name"], parameter)].help.startswith(expected)


def test_a_parameter_renamed_by_x_cli_name_keeps_its_spec_name_as_a_hidden_alias(cli: Any) -> None:
    renamed = [p for p in query_parameters() if "x-cli-name" in p]
    assert renamed, "openapi.yaml renames no listUsers parameter for the command line"
    found = options("users", "list")
    for parameter in renamed:
        assert found[option(parameter["name"])].hidden
    assert [p["name"] for p in renamed] == ["q"]  # the examples below spell it out
    for flag in ("--search", "--q"):
        run = cli("users", "list", flag, "viewer@", "--output", "jsonl")
        assert run.exit_code == 0, run.stderr
        assert [line.count("viewer@example.com") for line in run.stdout.splitlines()] == [1]
    both = cli("users", "list", "--search", "a", "--q", "b")
    assert both.exit_code == 2
    assert "--search and --q are the same option" in both.stderr
