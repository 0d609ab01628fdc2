"""Request bodies: parsing, and what every body model shares.

Bodies are parsed here rather than by FastAPI so that the order of checks is
ours (401/403 before 422) and so that an absent field, a `null` and a value can
be told apart for merge-patch semantics. Pydantic runs in strict mode: JSON
types are not coerced (`"true"` is not a boolean). Unknown fields are ignored.
The models of the spec's bodies are built from their schemas (body_models.py).
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from .errors import FieldError, validation_error
from .problems import field_errors

# RFC 5321/5322 in the common, unquoted form: a dot-atom local part and a
# domain of at least two LDH labels. ASCII only: `format: email`, not `idn-email`.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?P<local>{_ATOM}(?:\.{_ATOM})*)@(?P<domain>{_LABEL}(?:\.{_LABEL})+)")


def check_email(value: str) -> str:
    match = _EMAIL.fullmatch(value)
    if not match or len(match["local"]) > 64 or len(match["domain"]) > 253:
        raise PydanticCustomError("invalid_email", "value is not a valid email address")
    return value


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("null_not_allowed", "this field may not be null")
    return value


# For a field whose schema has no "null": sending null is a 422, not "clear it"
# (and not pydantic's type error). Before any other check of the field.
NotNull = BeforeValidator(_not_null)


class RequestBody(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


Model = TypeVar("Model", bound=BaseModel)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_body(raw: bytes, model: type[Model]) -> Model:
    """Decode and validate a JSON body, or raise a 422 naming each bad field."""
    if not raw.strip():
        raise validation_error([FieldError("body", "a JSON body is required", "missing")])
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
        # Lone surrogates (`"\ud800"`) decode fine but cannot be stored as UTF-8.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeError:
        raise validation_error(
            [FieldError("body", "the body contains invalid Unicode", "invalid_unicode")]
        ) from None
    except (ValueError, RecursionError) as exc:
        raise validation_error(
            [FieldError("body", f"the body is not valid JSON: {exc}", "invalid_json")]
        ) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(field_errors(exc.errors(include_url=False))) from None
