"""`async_import_users`: the async import, one task per row in flight (anyio,
so it runs under asyncio and trio alike).

The calling task reads the rows (an iterable or an async iterable), one at a
time and only when the adaptive limit has room, and starts a task for each;
the row tasks run the callbacks as they finish. Cancelling the import (or
Ctrl-C) cancels every row task; a rerun with the same import id replays what
finished.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .. import _lazy
from .._client import AsyncUsersClient
from .._exceptions import UsersAPIError
from ._arguments import DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, checked_client
from ._arguments import checked_rows as _checked_rows
from ._results import ImportProgress, ImportSummary, RowResult
from ._rows import Create, Invite, Outcome, Wait
from ._run import ImportRun

if TYPE_CHECKING:
    import anyio
    import anyio.abc

    from .._response import APIResponse

__all__ = ["async_import_users"]


async def async_import_users(
    client: AsyncUsersClient,
    rows: Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]],
    *,
    import_id: str,
    concurrency: int = DEFAULT_CONCURRENCY,
    invite: bool = False,
    on_progress: Callable[[ImportProgress], None] | None = None,
    on_result: Callable[[RowResult], None] | None = None,
    total: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> ImportSummary:
    """The async twin of import_users; `rows` may also be an async iterable.

    Examples:
        ```python
        from users_sdk import bulk

        rows = [{"email": f"async.hire{n}@example.com"} for n in range(20)]
        summary = await bulk.async_import_users(client, rows, import_id="hires-2026-12")
        print(summary.created, summary.ok)  # 20 True
        ```
    """
    checked_client(client, AsyncUsersClient, "async_import_users", "import_users")
    _checked_rows(rows, "async_import_users", may_be_async=True)
    run = ImportRun.checked(
        rows, import_id=import_id, concurrency=concurrency, invite=invite,
        on_progress=on_progress, on_result=on_result, total=total, max_attempts=max_attempts,
    )  # fmt: skip
    return await _TaskImport(client.with_options(max_retries=0), run).run(rows)


async def _each(rows: Iterable[object] | AsyncIterable[object]) -> AsyncIterator[object]:
    if isinstance(rows, AsyncIterable):
        async for row in rows:
            yield row
    else:
        for row in rows:
            yield row


class _TaskImport:
    def __init__(self, client: AsyncUsersClient, run: ImportRun) -> None:
        self._client = client
        self._run = run
        self._room: anyio.Event | None = None  # set when a row finishes
        self._group: anyio.abc.TaskGroup
        self._failure: Exception | None = None

    async def run(self, rows: Iterable[object] | AsyncIterable[object]) -> ImportSummary:
        anyio = _lazy.anyio
        async with anyio.create_task_group() as group:
            self._group = group
            try:
                await self._feed(rows)
            except Exception as error:  # from the rows: stop every row in flight
                self._stop(error)
        if self._failure is not None:
            # Raised as it is, not inside the ExceptionGroup a task group would make.
            raise self._failure
        return self._run.summary()

    async def _feed(self, rows: Iterable[object] | AsyncIterable[object]) -> None:
        anyio = _lazy.anyio
        limit = self._run.limit
        index = 0
        async for row in _each(rows):
            while (pause := limit.pause_left()) > 0 or not limit.has_room():
                if pause > 0:
                    await anyio.sleep(pause)
                else:
                    self._room = anyio.Event()
                    await self._room.wait()
            limit.start()
            self._group.start_soon(self._row, index, row)
            index += 1

    def _stop(self, error: Exception) -> None:
        if self._failure is None:
            self._failure = error
        self._group.cancel_scope.cancel()

    async def _row(self, index: int, row: object) -> None:
        run = self._run
        job = run.job(index, row, pace=run.limit)
        step = job.start()
        while step is not None:
            if isinstance(step, Wait):
                await _lazy.anyio.sleep(step.seconds)
                step = job.resume()
            else:
                step = job.resume(await self._call(step))
        assert job.result is not None
        progress = run.finished(job.result)
        if self._room is not None:
            self._room.set()
        try:
            run.report(job.result, progress)
        except Exception as error:  # from a callback: the import stops with it
            self._stop(error)

    async def _call(self, step: Create | Invite) -> Outcome:
        users = self._client.users
        try:
            if isinstance(step, Create):
                response: APIResponse[Any] = await users.with_raw_response.create(
                    step.fields, idempotency_key=step.idempotency_key
                )
                return Outcome(response)
            invitation = await users.invite(step.user_id, idempotency_key=step.idempotency_key)
            return Outcome(invitation)
        except UsersAPIError as error:
            return Outcome(error=error)
