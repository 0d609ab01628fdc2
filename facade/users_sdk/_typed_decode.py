"""The typed decode in C (msgspec) of responses, ahead of the spec too.

The generated Structs (users_api_client.sdk.structs) take exactly the spec:
a field or an enum value the API added later makes them refuse the response.
msgspec cannot collect unknown fields, so this module learns them: when a
Struct refuses a body, the body is decoded once into plain JSON and walked
against the Structs. Each field and enum value the spec does not have is
noted (users_sdk._drift logs it once) and added to a Struct derived at run
time (msgspec.defstruct) from the generated one: the new fields typed `Any`
and absent by default, the enum fields widened by the new values. The next
body with the same drift decodes in C at the speed of one that matches the
spec, into the same models: the generated converters put the added fields
in `additional_properties` (by the derived Struct's KEPT), the values stay
strings.

Measured on a page of 100 users with one unknown field each, against
json.loads of the same bytes: 0.67x this way; 1.43x decoding into dicts with
msgspec then `msgspec.convert` into lenient Structs; 1.15x a lenient Struct
plus a second decode of the keys (`dict[str, Raw]`); 1.56x the builders'
path that such pages took before.

Returns None for what it cannot take even so (a wrong type, a missing
field): the caller goes to the builders, which explain it.
"""

from __future__ import annotations

import functools
import threading
import types
import typing
from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any, Literal

import msgspec
from msgspec import UNSET, Struct

from . import _drift

__all__ = ["TypedDecoder"]

# A server that invents new keys or values on every response would otherwise
# grow the derived Structs without bound: past these, the builders take over.
_MAX_FIELDS = 64
_MAX_VALUES = 64

_GENERIC = msgspec.json.Decoder()
_REFUSED = (msgspec.ValidationError, msgspec.DecodeError, ValueError)
# How msgspec words the two refusals learning can answer (it reports the first
# problem it meets). Anything else (a missing field, a wrong type) would make
# every such body pay a second decode and a walk that learn nothing: measured
# on a page of 100 users that lacks a required field, 2.8x json.loads with the
# walk against 1.0x without. Should msgspec reword them, drifted bodies go to
# the builders (slower, same models) and the bench's "ahead" rows say so.
_DRIFT_REFUSALS = ("Object contains unknown field", "Invalid enum value")


class _Learned:
    """What the API added, per generated Struct: fields and enum values."""

    def __init__(self) -> None:
        self.fields: dict[type[Struct], dict[str, str]] = {}  # JSON name -> attribute
        self.values: dict[tuple[type[Struct], str], list[str]] = {}  # (Struct, attribute)

    def add_field(self, struct: type[Struct], key: str) -> bool:
        fields = self.fields.setdefault(struct, {})
        if key in fields or len(fields) >= _MAX_FIELDS:
            return False
        taken = set(struct.__struct_fields__) | set(fields.values())
        fields[key] = next(f"kept_{n}" for n in range(len(taken) + 1) if f"kept_{n}" not in taken)
        return True

    def add_value(self, struct: type[Struct], attribute: str, value: str) -> bool:
        values = self.values.setdefault((struct, attribute), [])
        if value in values or len(values) >= _MAX_VALUES:
            return False
        values.append(value)
        return True


_Entry = tuple["msgspec.json.Decoder[Any]", Callable[[Any], Any]]


class TypedDecoder:
    """The typed decode of the models of `structs` (the generated STRUCTS:
    model name -> its Struct and converter), learning what the API adds.
    One per process (users_sdk._parsing makes it); tests make their own."""

    def __init__(self, structs: Mapping[str, tuple[type[Struct], Callable[[Any], Any]]]) -> None:
        self._structs = structs
        self._model_of = {struct: name for name, (struct, _) in structs.items()}
        self._learned = _Learned()
        self._lock = threading.RLock()  # learning and deriving: rare, never on the spec's path
        # Per model name: the decoder of its current (derived or generated)
        # Struct, and its converter. Rebuilt whenever something new is learned.
        self._current: dict[str, _Entry] = {}
        self._derived: dict[type[Struct], type[Struct]] = {}  # generated -> derived Struct

    def __contains__(self, name: str) -> bool:
        return name in self._structs

    def decode(self, name: str, body: bytes) -> Any:
        """The model `name` from `body`, or None: no Struct for it, or a body
        the typed decode cannot take even after learning what it adds."""
        entry = self._current.get(name) or self._prepare(name)
        if entry is None:
            return None
        try:
            return entry[1](entry[0].decode(body))
        except msgspec.ValidationError as error:
            if not str(error).startswith(_DRIFT_REFUSALS):
                return None  # a missing field or a wrong type: nothing to learn
        except _REFUSED:
            return None
        if not self._learn(name, body) or (entry := self._prepare(name)) is None:
            return None
        try:
            return entry[1](entry[0].decode(body))
        except _REFUSED:
            return None

    def _prepare(self, name: str) -> _Entry | None:
        if name not in self._structs:
            return None
        struct, convert = self._structs[name]
        with self._lock:
            derived = _derive(struct, self._learned, self._derived, set())
            entry = (msgspec.json.Decoder(derived), convert)
            self._current[name] = entry
        return entry

    def _learn(self, name: str, body: bytes) -> bool:
        """Note and learn what `body` has that the Structs do not take; False
        when there is nothing (the body is refused for another reason)."""
        try:
            data = _GENERIC.decode(body)
        except (*_REFUSED, RecursionError):  # JSON nested too deep: the builders explain it
            return False
        fields: list[tuple[type[Struct], str]] = []
        values: list[tuple[type[Struct], str, str, str]] = []
        _walk(_plan(self._structs[name][0]), data, fields, values, None)
        new = False
        with self._lock:
            for struct, key in fields:
                if self._learned.add_field(struct, key):
                    new = True
                    _drift.note_field(self._model(struct), key)
            for struct, attribute, key, value in values:
                if self._learned.add_value(struct, attribute, value):
                    new = True
                    _drift.note_value(self._model(struct), key, value)
            if new:
                self._current.clear()
                self._derived.clear()
        return new

    def _model(self, struct: type[Struct]) -> str:
        return self._model_of.get(struct) or struct.__name__.removesuffix("Struct")


# What a walk looks for in a value of a type (`_plan`): nothing (None), the
# fields of a Struct, a Literal's values, the items of a list or map, the
# arms of a union. Precomputed per type: a first drifted page walks thousands
# of values, and most fields of a Struct hold nothing to look for.
_Plan = tuple[Any, ...] | None


def _walk(
    plan: _Plan,
    data: Any,
    fields: list[tuple[type[Struct], str]],
    values: list[tuple[type[Struct], str, str, str]],
    at: tuple[type[Struct], str, str] | None,  # the Struct, attribute, JSON name of `data`
) -> None:
    """Collect the unknown fields and enum values of `data`, read by `plan`
    (what is already learned counts as unknown: the caller keeps the new)."""
    if plan is None:
        return
    kind = plan[0]
    if kind == "struct":
        if type(data) is not dict:
            return
        _, struct, known, inner = plan
        fields.extend((struct, key) for key in data.keys() - known)
        for key, (attribute, sub) in inner.items():
            if key in data:
                _walk(sub, data[key], fields, values, (struct, attribute, key))
    elif kind == "literal":
        if at is not None and type(data) is str and data not in plan[1]:
            values.append((*at[:2], at[2], data))
    elif kind == "list" and type(data) is list:
        for item in data:
            _walk(plan[1], item, fields, values, at)
    elif kind == "dict" and type(data) is dict:
        for item in data.values():
            _walk(plan[1], item, fields, values, at)
    elif kind == "union":
        for arm in plan[1]:
            _walk(arm, data, fields, values, at)


@functools.cache
def _plan(tp: Any) -> _Plan:
    """How to walk a value of type `tp` of the generated Structs (None: no
    Struct or Literal in it, nothing to look for)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, Struct):
        infos = msgspec.structs.fields(tp)
        inner = {i.encode_name: (i.name, p) for i in infos if (p := _plan(i.type)) is not None}
        return ("struct", tp, frozenset(i.encode_name for i in infos), inner)
    if origin is Literal:
        return ("literal", frozenset(args))
    if origin is list or origin is dict:
        item = _plan(args[-1])
        return None if item is None else (origin.__name__, item)
    if origin in (typing.Union, types.UnionType):
        arms = tuple(p for arm in args if (p := _plan(arm)) is not None)
        return ("union", arms) if arms else None
    return None


def _derive(
    struct: type[Struct],
    learned: _Learned,
    derived: dict[type[Struct], type[Struct]],
    busy: set[type[Struct]],
) -> type[Struct]:
    """The Struct that takes `struct` and what is `learned` about it and the
    Structs in it: `struct` itself while nothing is."""
    if struct in derived:
        return derived[struct]
    if struct in busy:  # a model nested in itself: its inner levels stay as generated
        return struct
    busy.add(struct)
    changed = []
    for info in msgspec.structs.fields(struct):
        wider = _widen(info.type, (struct, info.name), learned, derived, busy)
        if wider != info.type:
            changed.append(
                (info.name, wider, msgspec.field(default=info.default, name=info.encode_name))
            )
    kept = learned.fields.get(struct, {})
    added = [(attr, Any, msgspec.field(default=UNSET, name=key)) for key, attr in kept.items()]
    busy.discard(struct)
    if not changed and not added:
        result = struct
    else:
        result = msgspec.defstruct(
            struct.__name__,
            [*changed, *added],
            bases=(struct,),
            module=__name__,
            namespace={"KEPT": staticmethod(_keeper(kept)) if kept else None},
        )
    derived[struct] = result
    return result


def _keeper(kept: dict[str, str]) -> Callable[[Any], dict[str, Any]]:
    """The function a converter calls for the fields a derived Struct took
    (`kept`: JSON name -> attribute), as additional_properties. attrgetter
    reads them in C: this runs once per object of every drifted response."""
    keys = tuple(kept)
    get: Callable[[Any], Any] = attrgetter(*kept.values())
    if len(keys) == 1:
        (key,) = keys

        def one(struct: Any) -> dict[str, Any]:
            value = get(struct)
            return {} if value is UNSET else {key: value}

        return one

    def some(struct: Any) -> dict[str, Any]:
        return {k: v for k, v in zip(keys, get(struct), strict=True) if v is not UNSET}

    return some


def _widen(
    tp: Any,
    at: tuple[type[Struct], str],  # the Struct and attribute whose type `tp` is (in)
    learned: _Learned,
    derived: dict[type[Struct], type[Struct]],
    busy: set[type[Struct]],
) -> Any:
    """`tp` with the learned enum values of the field `at` and the derived
    Structs in place of the generated ones."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, Struct):
        return _derive(tp, learned, derived, busy)
    if origin is Literal:
        added = learned.values.get(at, [])
        return Literal[(*args, *added)] if added else tp
    if origin is list:
        return types.GenericAlias(list, (_widen(args[0], at, learned, derived, busy),))
    if origin is dict:
        return types.GenericAlias(dict, (args[0], _widen(args[1], at, learned, derived, busy)))
    if origin in (typing.Union, types.UnionType):
        arms = [_widen(arm, at, learned, derived, busy) for arm in args]
        return tp if arms == list(args) else typing.Union[tuple(arms)]  # noqa: UP007
    return tp
