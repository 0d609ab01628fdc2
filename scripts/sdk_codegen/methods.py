"""The SDK method of each operation of openapi.yaml: its resource, name,
arguments, return type and pagination, by the rules docs/spec-changes.md states.

- The resource is the operation's first tag (`users` -> `client.users`).
- The name is the `x-sdk-method` extension when given; otherwise the
  operationId in snake case without the resource's noun (`suspendUser` ->
  `suspend`, `listSessions` -> `list`).
- Path parameters are positional. When every field of the request body is
  required, the fields are positional too (`reset_password(email)`);
  otherwise the method takes an optional body (a dict or model) positionally
  and each field as a keyword. Query and header parameters are keywords.
- A list is paginated when it takes a `cursor` query parameter and answers
  with `items` (a list of a model) and `next_cursor`.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass

from openapi_python_client.strings import snake_case

from .render_params import annotation
from .spec import LIST, MODEL, Operation, Parameter, Spec, SpecError
from .text import constant_name, pascal

# The keyword arguments every method takes besides the spec's (per-call options).
OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries")
# Names the clients use themselves: a tag with one of them would hide it.
CLIENT_NAMES = frozenset(
    {"base_url", "timeout", "max_retries", "with_options", "close", "request", "users_api"}
)
CURSOR, LIMIT, ITEMS, NEXT, PREVIOUS = "cursor", "limit", "items", "next_cursor", "previous_cursor"
# A header the facade gives meaning to: If-Match takes a version (int) or an ETag.
IF_MATCH = "if-match"
# Names a resource has for itself: a method of that name would hide it.
RESOURCE_NAMES = frozenset({"with_raw_response"})


@dataclass(frozen=True)
class Argument:
    name: str  # the Python parameter
    wire: str  # the name on the wire (a query parameter, a field, a header)
    annotation: str
    default: str | None  # the default's source text; None: required


@dataclass(frozen=True)
class Page:
    model: str  # the page schema (UserPage)
    item: str  # the model of its items (User)
    limit: str | None  # the page-size query parameter, when there is one


@dataclass(frozen=True)
class Method:
    operation: Operation
    resource: str  # the client attribute: users
    name: str  # the method: list
    constant: str  # its Operation in operations.py: LIST_USERS
    path: tuple[Argument, ...]
    spread: tuple[Argument, ...]  # body fields taken positionally
    body: str | None  # the body model a positional `body` may be
    query: tuple[Argument, ...]
    fields: tuple[Argument, ...]
    headers: tuple[Argument, ...]
    returns: str | None  # the model it answers with; None: nothing
    page: Page | None
    reserved: tuple[frozenset[str], ...]  # per path parameter: sibling literal segments

    @property
    def resource_class(self) -> str:
        return pascal(self.resource)

    @property
    def docstring(self) -> str:
        op = self.operation
        parts = [op.summary or op.operation_id]
        if op.description:
            parts.append(op.description)
        parts.append(f"`{op.method} {op.path}` ({op.operation_id}).")
        return "\n\n".join(parts)


def methods(spec: Spec) -> list[Method]:
    """Every operation as a method, in the spec's order; refuses name clashes."""
    result = [_method(spec, operation) for operation in spec.operations]
    seen: dict[tuple[str, str], str] = {}
    for method in result:
        if method.resource in CLIENT_NAMES or not _usable(method.resource):
            raise SpecError(f"tag {method.operation.tag!r} cannot be a client attribute")
        if method.name in RESOURCE_NAMES or not _usable(method.name):
            raise SpecError(
                f"{method.operation.operation_id}: {method.name!r} cannot be a method name; "
                "give it an x-sdk-method"
            )
        key = (method.resource, method.name)
        if key in seen:
            raise SpecError(
                f"{method.operation.operation_id} and {seen[key]} are both "
                f"{method.resource}.{method.name}(); give one an x-sdk-method"
            )
        seen[key] = method.operation.operation_id
    return result


def _usable(name: str) -> bool:
    """A Python name that is no keyword (`import`) and not private."""
    return name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_")


def resources(spec_methods: list[Method]) -> dict[str, list[Method]]:
    grouped: dict[str, list[Method]] = {}
    for method in spec_methods:
        grouped.setdefault(method.resource, []).append(method)
    return grouped


def method_name(operation: Operation) -> str:
    if operation.method_name:
        if not _usable(operation.method_name):
            raise SpecError(
                f"{operation.operation_id}: x-sdk-method must be a Python name, not a keyword"
            )
        return operation.method_name
    words = operation.function.split("_")
    plural = snake_case(operation.tag).split("_")
    singular = [*plural[:-1], _singular(plural[-1])]
    for noun in (plural, singular):  # listAuditEvents, getAuditEvent: audit_events
        for start in range(len(words) - len(noun) + 1):
            if words[start : start + len(noun)] == noun:
                words = words[:start] + words[start + len(noun) :]
                break
    return "_".join(words) or operation.function


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _method(spec: Spec, op: Operation) -> Method:
    if not op.tag:
        raise SpecError(f"{op.operation_id}: an operation needs a tag (its resource)")
    by_location: dict[str, list[Parameter]] = {"path": [], "query": [], "header": []}
    for parameter in op.parameters:
        if parameter.location not in by_location:
            raise SpecError(f"{op.operation_id}: {parameter.location} parameters")
        by_location[parameter.location].append(parameter)
    path = tuple(Argument(p.python_name, p.name, "str", None) for p in by_location["path"])
    query = tuple(
        Argument(p.python_name, p.name, annotation(p.value, many=p.many), None)
        if p.required
        else Argument(p.python_name, p.name, f"{annotation(p.value, many=p.many)} | None", "None")
        for p in by_location["query"]
    )
    headers = tuple(
        Argument(
            snake_case(p.name),
            p.name,
            ("int | str" if p.name.lower() == IF_MATCH else "str")
            + ("" if p.required else " | None"),
            None if p.required else "None",
        )
        for p in by_location["header"]
    )
    spread: tuple[Argument, ...] = ()
    fields: tuple[Argument, ...] = ()
    body = None
    if op.body is not None:
        model = spec.models[op.body]
        if model.fields and all(f.required for f in model.fields):
            spread = tuple(
                Argument(f.python_name, f.json_name, annotation(f.value), None)
                for f in model.fields
            )
        else:
            body = model.name
            fields = tuple(
                Argument(
                    f.python_name, f.json_name, f"{annotation(f.value)} | NotGiven", "NOT_GIVEN"
                )
                for f in model.fields
            )
    method = Method(
        operation=op,
        resource=snake_case(op.tag),
        name=method_name(op),
        constant=constant_name(op.function),
        path=path,
        spread=spread,
        body=body,
        query=query,
        fields=fields,
        headers=headers,
        returns=op.success,
        page=_page(spec, op),
        reserved=tuple(_siblings(spec, op, p.name) for p in by_location["path"]),
    )
    names = [a.name for a in (*path, *spread, *query, *fields, *headers)]
    names += ["body", *OPTIONS] if body else list(OPTIONS)
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise SpecError(f"{op.operation_id}: {', '.join(clashes)} would be two arguments")
    return method


def _page(spec: Spec, op: Operation) -> Page | None:
    query = {p.name: p for p in op.parameters if p.location == "query"}
    # Only a GET: every page of a POST would carry the first page's Idempotency-Key.
    if op.method != "GET" or CURSOR not in query or op.success is None:
        return None
    fields = {f.json_name: f for f in spec.models[op.success].fields}
    items = fields.get(ITEMS)
    if items is None or NEXT not in fields or items.value.kind != LIST:
        return None
    item = items.value.items
    if item is None or item.kind != MODEL or item.model is None:
        return None
    return Page(op.success, item.model, LIMIT if LIMIT in query else None)


def _siblings(spec: Spec, op: Operation, name: str) -> frozenset[str]:
    """The literal segments other paths have where this one has {name}: an id
    equal to one (`me`) would reach that other operation."""
    segments = op.path.split("/")
    index = segments.index("{" + name + "}")
    found = set()
    for other in spec.operations:
        parts = other.path.split("/")
        same_prefix = len(parts) > index and parts[:index] == segments[:index]
        if same_prefix and not parts[index].startswith("{"):
            found.add(parts[index])
    return frozenset(found)
