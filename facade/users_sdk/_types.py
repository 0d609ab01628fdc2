"""Small shared types: the "not given" sentinel and timeout forms.

`NotGiven` is defined in the generated package (users_api_client.sdk.call),
whose method signatures use it as a default; this is the same object.
"""

from __future__ import annotations

from typing import TypeAlias

import httpx2

from users_api_client.sdk.call import NOT_GIVEN, NotGiven

__all__ = ["NOT_GIVEN", "NotGiven", "TimeoutTypes"]

# A number of seconds for the whole request, or an httpx2.Timeout for each phase.
TimeoutTypes: TypeAlias = float | httpx2.Timeout | None
