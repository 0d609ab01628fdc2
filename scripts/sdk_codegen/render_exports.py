"""Writes `users_api_client/sdk/names.py` and `exports.py`: the models the
facade re-exports.

`names.py` only lists them, so that `import users_sdk` knows them without
loading them; `exports.py` imports them, for type checkers and for the first
access to one.
"""

from __future__ import annotations

from . import render_params
from .spec import Spec
from .text import render_module, tuple_literal


def exported(spec: Spec) -> list[str]:
    """Every model of the spec, in the spec's order (the enums are in params.py),
    but one that holds a password (`format: password`): the repr() of an
    exported model would show it, and users_sdk shows no secret."""
    return [
        name
        for name, model in spec.models.items()
        if not any(field.value.secret for field in model.fields)
    ]


def typing_names(spec: Spec) -> list[str]:
    """The enums and TypedDicts of params.py, in the order it defines them."""
    return [*spec.enums, *render_params.typed_dict_names(spec)]


def render_names(spec: Spec) -> str:
    return render_module(
        [
            '"""The names users_sdk re-exports from the spec, without importing them."""',
            "",
            "from __future__ import annotations",
            "",
            "from typing import Final",
            "",
            "# The generated models (users_api_client.models), loaded on first use.",
            f"MODELS: Final[tuple[str, ...]] = {tuple_literal(exported(spec))}",
            "# The enum Literals and the TypedDicts of params.py.",
            f"TYPES: Final[tuple[str, ...]] = {tuple_literal(typing_names(spec))}",
        ]
    )


def render_exports(spec: Spec) -> str:
    names = exported(spec)
    return render_module(
        [
            '"""The generated models, as `users_sdk` re-exports them."""',
            "",
            "from __future__ import annotations",
            "",
            "from ..models import " + ", ".join(f"{name} as {name}" for name in sorted(names)),
            "",
            "__all__ = [" + ", ".join(repr(name) for name in sorted(names)) + "]",
        ]
    )
