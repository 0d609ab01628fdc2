"""The order of a model's fields wherever the SDK writes them out, said once.

The rule: a model's fields come in the order of its schema's `properties`
in openapi.yaml, then the fields the spec does not know (what a newer server
added, kept in `additional_properties`) in the order the server sent them.
Where the columns are fixed before the first row (a CSV header, a table),
they are the spec's fields alone.

Not the generated attrs order: attrs puts fields without a default (the
required ones) before the others, so an optional field the spec lists first
would come after every required one, and `to_dict()` writes unknown fields
first. The spec's order is the one its author chose and every renderer of
the spec shows; `make generate` records it as the order of each response
model's `Shape.json_types` (users_api_client.sdk.builders), which is read
here. Every output that lists a user's fields goes through this module: the
CLI's table, JSON, JSON Lines and CSV, `users get`/`me`/`create`/`update`,
and `users export`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

__all__ = ["field_order", "in_field_order", "to_record"]


class _Model(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


@functools.cache
def _orders() -> dict[type, tuple[str, ...]]:
    # With the models, on first use: not with `import users_sdk` or `users-sdk --help`.
    from users_api_client.sdk import builders

    return {
        shape.model: tuple(shape.json_types)
        for shape in vars(builders).values()
        if isinstance(shape, builders.Shape)
    }


def field_order(model: type) -> tuple[str, ...]:
    """The JSON names of a response model's fields, in the spec's order."""
    try:
        return _orders()[model]
    except KeyError:
        raise TypeError(f"{model.__name__} is not a response model of the spec") from None


def in_field_order(known: Sequence[str], data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with the `known` fields first, in that order (those present), then
    the rest in the order `data` has them."""
    record = {name: data[name] for name in known if name in data}
    record.update((name, value) for name, value in data.items() if name not in record)
    return record


def to_record(model: _Model) -> dict[str, Any]:
    """A model as JSON-ready data, its fields in the order of the rule above."""
    # to_dict() writes the unknown fields first, in the order received: they stay so.
    return in_field_order(field_order(type(model)), model.to_dict())
