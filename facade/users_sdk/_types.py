"""Small shared types: the "not given" sentinel and timeout forms."""

from __future__ import annotations

from typing import Final, Literal, TypeAlias

import httpx2

__all__ = ["NOT_GIVEN", "NotGiven", "TimeoutTypes"]


class NotGiven:
    """The type of `NOT_GIVEN`: an argument the caller left out.

    Distinct from None, which means "clear this value" in an update.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

# A number of seconds for the whole request, or an httpx2.Timeout for each phase.
TimeoutTypes: TypeAlias = float | httpx2.Timeout | None
