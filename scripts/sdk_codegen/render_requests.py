"""Writes `users_api_client/sdk/requests.py`: one request builder per operation.

Each returns the method, URL path, query, headers and JSON body of a call, for
the facade to send with its own retries and timeouts (the generated
`sync_detailed` functions can do neither). The values come in checked and
ready for the wire; a builder only places them.
"""

from __future__ import annotations

from .spec import Operation, Spec, SpecError
from .text import constant_name, render_module, tuple_literal


def _builder(operation: Operation) -> list[str]:
    path_parameters = [p for p in operation.parameters if p.location == "path"]
    query = [p for p in operation.parameters if p.location == "query"]
    headers = [p for p in operation.parameters if p.location == "header"]
    unsupported = [p.name for p in operation.parameters if p.location == "cookie"]
    if unsupported:
        raise SpecError(f"{operation.operation_id}: cookie parameters {unsupported}")
    arguments = [f"{p.python_name}: str" for p in path_parameters]
    keywords = []
    if operation.body is not None:
        keywords.append("body: Mapping[str, Any]")
    if query:
        keywords.append("query: Mapping[str, Any]")
    keywords += [f"{p.python_name}: str | None = None" for p in headers]
    signature = ", ".join(arguments + (["*", *keywords] if keywords else []))
    lines = [
        f"def {operation.function}({signature}) -> dict[str, Any]:",
        f'    """{operation.operation_id}: {operation.method} {operation.path}"""',
    ]
    if headers or operation.body is not None:
        lines.append("    headers: dict[str, str] = {}")
    for parameter in headers:
        lines += [
            f"    if {parameter.python_name} is not None:",
            f"        headers[{parameter.name!r}] = {parameter.python_name}",
        ]
    if operation.body is not None:
        lines.append('    headers["Content-Type"] = "application/json"')
    if path_parameters:
        values = ", ".join(
            f'{p.python_name}=quote({p.python_name}, safe="")' for p in path_parameters
        )
        url = f"{operation.path!r}.format({values})"
    else:
        url = repr(operation.path)
    lines.append(f'    request: dict[str, Any] = {{"method": {operation.method!r}, "url": {url}}}')
    if query:
        order = f"_{constant_name(operation.function)}_QUERY_ORDER"
        lines += [
            '    request["params"] = {',
            f"        name: query[name] for name in {order} if query.get(name) is not None",
            "    }",
        ]
    if operation.body is not None:
        lines.append('    request["json"] = body')
    if headers or operation.body is not None:
        lines.append('    request["headers"] = headers')
    lines += ["    return request", "", ""]
    if query:
        names = tuple_literal([p.name for p in query])
        lines = [
            f"# The query parameters of {operation.operation_id}, in the spec's order.",
            f"_{constant_name(operation.function)}_QUERY_ORDER: Final = {names}",
            "",
            "",
            *lines,
        ]
    return lines


def render(spec: Spec) -> str:
    lines = [
        '"""One request builder per operation of openapi.yaml.',
        "",
        "Each returns the method, path, query, headers and JSON body of a call as",
        "a dict; query values that are None are not sent. The values come in",
        "checked and ready for the wire: the builders only place them.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping",
        "from typing import Any, Final",
        "from urllib.parse import quote",
        "",
        "",
    ]
    for operation in spec.operations:
        lines += _builder(operation)
    return render_module(lines)
