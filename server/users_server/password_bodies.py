"""`PasswordResetRequest` and `PasswordSet`: strict pydantic models built from their schemas."""

from __future__ import annotations

from dataclasses import dataclass

from .body_models import body_model
from .models import RequestBody
from .spec import ApiSchema


@dataclass(frozen=True)
class PasswordBodies:
    reset_request: type[RequestBody]
    set_password: type[RequestBody]

    @classmethod
    def from_schema(cls, schema: ApiSchema) -> PasswordBodies:
        return cls(
            reset_request=body_model("PasswordResetRequest", schema.password_reset_request, {}),
            # A null token or password is answered with pydantic's type error
            # (`string_type`), not `null_not_allowed`: that is what this body
            # answered when it was declared by hand, and clients may match on it.
            set_password=body_model("PasswordSet", schema.password_set, {}, null_not_allowed=False),
        )
