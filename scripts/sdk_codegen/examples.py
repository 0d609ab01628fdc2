"""The example in the docstring of every generated method, written from the spec.

Each operation's example calls its method with the spec's own example values:

- a path parameter (`user_id`) comes from the operation the spec links to it
  (createUser's `links: GetUser: user_id: $response.body#/id` gives
  `user = client.users.create(...)` then `client.users.get(user.id)`), so the
  example runs as written against an API that has what the spec says; without
  a link, from the parameter's `example`;
- the request body is the first of its `examples` (or its `example`): each
  field as a keyword argument, or positionally for a method whose body
  fields are all required (`reset_password("ada@example.com")`);
- query parameters are those with an `example`, except a page's cursor (an
  opaque value only the API issues); optional headers are left out.

The sync twin gets a `with UsersClient()` example, the async one an
`AsyncUsersClient` one. tests/docs/ runs every example against the reference
server and checks that every public method has one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .methods import CURSOR, Method
from .spec import Spec

_POINTER = re.compile(r"^\$response\.body#(/.*)?$")


def docstring_section(spec: Spec, methods: list[Method], method: Method, is_async: bool) -> str:
    """`Examples:` and the fenced example, indented as a Google-style section."""
    code = _example(spec, methods, method, is_async)
    body = "\n".join(f"    {line}" if line else "" for line in ["```python", *code, "```"])
    return f"Examples:\n{body}"


def _example(spec: Spec, methods: list[Method], method: Method, is_async: bool) -> list[str]:
    setup: list[str] = []
    arguments: list[str] = []
    for argument in method.path:
        source = _linked_source(spec, methods, method, argument.wire)
        if source is None:
            arguments.append(_literal(_parameter_example(spec, method, argument.wire)))
            continue
        origin, pointer = source
        variable = _variable(origin)
        setup.append(f"{variable} = {_await(is_async)}{_call(spec, origin)}")
        arguments.append(variable + _access(pointer))
    arguments += _call_arguments(spec, method)
    call = f"client.{method.resource}.{method.name}("
    lines = list(setup)
    if method.page is not None:
        item = _snake(method.page.item)
        lines += _statement(
            f"{'async for' if is_async else 'for'} {item} in {call}", arguments, "):"
        )
        lines.append(f"    print({item})")
    elif method.returns is not None:
        variable = _snake(method.returns)
        lines += _statement(f"{variable} = {_await(is_async)}{call}", arguments, ")")
        lines.append(f"print({variable})")
    else:
        lines += _statement(f"{_await(is_async)}{call}", arguments, ")")
    return _wrap(lines, is_async)


def _statement(head: str, arguments: list[str], tail: str) -> list[str]:
    """One line when it fits (72 columns: the example sits 8 deep in a
    docstring), else one argument a line, as ruff would format it."""
    line = head + ", ".join(arguments) + tail
    if len(line) <= 72:
        return [line]
    return [head, *(f"    {argument}," for argument in arguments), tail]


def _wrap(lines: list[str], is_async: bool) -> list[str]:
    if not is_async:
        return [
            "from users_sdk import UsersClient",
            "",
            "with UsersClient() as client:",
            *(f"    {line}" for line in lines),
        ]
    return [
        "import asyncio",
        "",
        "from users_sdk import AsyncUsersClient",
        "",
        "",
        "async def main() -> None:",
        "    async with AsyncUsersClient() as client:",
        *(f"        {line}" for line in lines),
        "",
        "",
        "asyncio.run(main())",
    ]


def _await(is_async: bool) -> str:
    # An async list() returns an AsyncPaginator: awaited, it is the first page.
    return "await " if is_async else ""


def _literal(value: Any) -> str:
    """Python source of a JSON example value, with double quotes as ruff writes them."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{_literal(key)}: {_literal(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    return repr(value)


def _call(spec: Spec, method: Method) -> str:
    """The call of a setup operation, with its own example values (no path)."""
    arguments = _call_arguments(spec, method) if method.page is None else []
    return f"client.{method.resource}.{method.name}({', '.join(arguments)})"


def _call_arguments(spec: Spec, method: Method) -> list[str]:
    raw = _raw_operation(spec, method)
    arguments: list[str] = []
    body = _body_example(spec, raw)
    if method.spread:
        arguments += [_literal(body.get(a.wire)) for a in method.spread]
    elif method.body is not None:
        names = {a.wire: a.name for a in method.fields}
        arguments += [
            f"{names[key]}={_literal(value)}" for key, value in body.items() if key in names
        ]
    cursor = CURSOR if method.page is not None else None
    for argument in method.query:
        value = _parameter_example(spec, method, argument.wire, missing=None)
        if argument.wire != cursor and value is not None:
            arguments.append(f"{argument.name}={_literal(value)}")
    return arguments


def _linked_source(
    spec: Spec, methods: list[Method], target: Method, parameter: str
) -> tuple[Method, str] | None:
    """The first operation (in spec order, with no path parameter of its own)
    whose answer the spec links to `target`'s `parameter`, and the pointer."""
    for method in methods:
        if method.path:
            continue
        for response in _raw_operation(spec, method).get("responses", {}).values():
            resolved = _resolve(spec, response)
            for link in resolved.get("links", {}).values():
                if link.get("operationId") != target.operation.operation_id:
                    continue
                match = _POINTER.match(str(link.get("parameters", {}).get(parameter, "")))
                if match:
                    return method, match.group(1) or ""
    return None


def _access(pointer: str) -> str:
    """A JSON pointer into the answer as Python access: /items/0/id -> .items[0].id."""
    parts = [part for part in pointer.split("/") if part]
    return "".join(f"[{part}]" if part.isdigit() else f".{part}" for part in parts)


def _variable(method: Method) -> str:
    if method.page is not None:
        return "page"
    return _snake(method.returns) if method.returns else "result"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _raw_operation(spec: Spec, method: Method) -> dict[str, Any]:
    item = spec.document["paths"][method.operation.path]
    operation: dict[str, Any] = item[method.operation.method.lower()]
    return operation


def _resolve(spec: Spec, node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec.document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _body_example(spec: Spec, raw: dict[str, Any]) -> dict[str, Any]:
    body = _resolve(spec, raw.get("requestBody", {}))
    media = body.get("content", {}).get("application/json", {})
    examples = media.get("examples") or {}
    for example in examples.values():
        value = _resolve(spec, example).get("value")
        if isinstance(value, dict):
            return value
    value = media.get("example", _resolve(spec, media.get("schema", {})).get("example"))
    return value if isinstance(value, dict) else {}


def _parameter_example(spec: Spec, method: Method, name: str, missing: Any = "...") -> Any:
    raw = _raw_operation(spec, method)
    item = spec.document["paths"][method.operation.path]
    for parameter in [*item.get("parameters", []), *raw.get("parameters", [])]:
        resolved = _resolve(spec, parameter)
        if resolved.get("name") == name:
            if "example" in resolved:
                return resolved["example"]
            return _resolve(spec, resolved.get("schema", {})).get("example", missing)
    return missing
