"""`UserCreate` and `UserUpdate`: strict pydantic models built from their schemas in the spec.

How a schema becomes a model is body_models.py; a property whose type has no
"null" rejects null with `null_not_allowed`, since for an update "send null
to clear" is only for the nullable fields. A new user gets `create_defaults`
for what the spec only says in prose (its role). For an update the defaults
do not matter: only the properties that were sent count (`changes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .body_models import body_model
from .models import RequestBody
from .spec import ApiSchema


@dataclass(frozen=True)
class UserBodies:
    create: type[RequestBody]
    update: type[RequestBody]

    @classmethod
    def from_schema(cls, schema: ApiSchema, create_defaults: Mapping[str, Any]) -> UserBodies:
        return cls(
            create=body_model("UserCreate", schema.user_create, create_defaults),
            update=body_model("UserUpdate", schema.user_update, {}),
        )


def changes(update: RequestBody) -> dict[str, Any]:
    """Merge-patch: the properties that were sent, a None among them meaning "clear"."""
    return update.model_dump(include=update.model_fields_set)
