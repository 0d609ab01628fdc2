"""One row of an import, from its fields to its RowResult, written once for
the sync and the async import.

`import_row()` is a generator that does no I/O: it yields the calls to make
(`Create`, `Invite`) and the waits (`Wait`), and is sent back each call's
`Outcome`. The two drivers (`_threads.py`, `_tasks.py`) only make the calls
and sleep; the retries, the replay detection and the invitation step are here.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

from .._exceptions import InvalidArgumentError, InvalidArgumentTypeError, UsersAPIError
from .._input import values as check
from .._request_facts import CREATE_USER_BODY
from ._keys import idempotency_key_for, invite_key_for
from ._limiter import retry_for, throttle_wait
from ._results import RowResult, RowStatus

if TYPE_CHECKING:
    from users_api_client.models import User

    from .._response import APIResponse

__all__ = ["Create", "Invite", "Outcome", "Pace", "RowJob", "Wait", "checked_row", "import_row"]

# The header with which the server answers a replayed Idempotency-Key.
REPLAYED_HEADER = "idempotent-replayed"


@dataclass(frozen=True, slots=True)
class Create:
    fields: dict[str, Any]
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class Invite:
    user_id: str
    idempotency_key: str


@dataclass(frozen=True, slots=True)
class Wait:
    seconds: float


Step: TypeAlias = Create | Invite | Wait


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a call gave: its value (an APIResponse for Create, an Invitation
    for Invite), or the SDK error it raised."""

    value: Any = None
    error: UsersAPIError | None = None


_AFTER_WAIT = Outcome()


class Pace(Protocol):
    """The adaptive limit as a row sees it (AdaptiveLimit, or a locked wrapper)."""

    def ticket(self) -> int: ...
    def throttled(self, ticket: int, wait: float) -> None: ...
    def answered(self) -> None: ...


def checked_row(row: object) -> dict[str, Any]:
    """The fields of a row: a mapping whose keys are all UserCreate fields.

    An unknown key is refused here, not passed through as `users.create()`
    does: in a file of rows it is a misspelt column, which the API would
    silently ignore for every row.
    """
    if not isinstance(row, Mapping):
        raise InvalidArgumentTypeError(
            f"a row must be a mapping of UserCreate fields such as {{'email': 'ada@example.com'}}, "
            f"not {type(row).__name__}"
        )
    for key in row:
        if not isinstance(key, str):
            raise InvalidArgumentTypeError(
                f"every field name of a row must be a str, not {check.brief(key)}"
            )
    unknown = [key for key in row if key not in CREATE_USER_BODY]
    if unknown:
        names = ", ".join(repr(key) for key in unknown)
        raise InvalidArgumentError(
            f"unknown field {names}: a row takes {', '.join(CREATE_USER_BODY)}; "
            "rename the field (or column) or leave it out"
        )
    return dict(row)


def import_row(
    index: int, row: object, *, import_id: str, invite: bool, max_attempts: int, pace: Pace
) -> Generator[Step, Outcome, RowResult]:
    """Create one user (and invite it), retrying throttles and transient failures."""
    # A row that is not a mapping is reported with an empty one (its index says which).
    mapping: Mapping[str, Any] = cast(Mapping[str, Any], row) if isinstance(row, Mapping) else {}

    def failed(error: UsersAPIError, user: User | None = None) -> RowResult:
        return RowResult(index, mapping, "failed", user=user, error=error)

    try:
        fields = checked_row(row)
        key = idempotency_key_for(import_id, fields)
    except UsersAPIError as error:
        return failed(error)
    outcome = yield from _attempts(Create(fields, key), max_attempts, pace)
    if outcome.error is not None:
        return failed(outcome.error)
    response: APIResponse[User] = outcome.value
    try:
        user = response.parse()
    except UsersAPIError as error:
        return failed(error)
    replayed = response.headers.get(REPLAYED_HEADER, "").lower() == "true"
    status: RowStatus = "replayed" if replayed else "created"
    if not invite:
        return RowResult(index, mapping, status, user=user)
    outcome = yield from _attempts(Invite(user.id, invite_key_for(key)), max_attempts, pace)
    if outcome.error is not None:
        return failed(outcome.error, user)
    return RowResult(index, mapping, status, user=user, invitation=outcome.value)


def _attempts(
    call: Create | Invite, max_attempts: int, pace: Pace
) -> Generator[Step, Outcome, Outcome]:
    attempt = transient = 0
    while True:
        attempt += 1
        ticket = pace.ticket()
        outcome = yield call
        if outcome.error is None:
            pace.answered()
            return outcome
        throttled = throttle_wait(outcome.error, attempt)
        if throttled is not None:
            pace.throttled(ticket, throttled)
        else:
            transient += 1  # only these use up the three transient retries
        wait = retry_for(outcome.error, attempt, max_attempts, transient)
        if wait is None:
            return outcome
        yield Wait(wait)


class RowJob:
    """Steps through import_row(): `start()`, then `resume(outcome)` after each
    call (or `resume()` after a wait), until it gives None; then `result`."""

    def __init__(self, steps: Generator[Step, Outcome, RowResult]) -> None:
        self._steps = steps
        self.result: RowResult | None = None

    def start(self) -> Step | None:
        return self.resume(cast(Outcome, None))  # a generator starts with send(None)

    def resume(self, outcome: Outcome = _AFTER_WAIT) -> Step | None:
        try:
            return self._steps.send(outcome)
        except StopIteration as stop:
            self.result = stop.value
            return None
