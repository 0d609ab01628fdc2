"""`import_users`: the sync import, on worker threads (httpx2.Client is thread-safe).

The calling thread reads the rows, one at a time and only when the adaptive
limit has room, hands each to an idle worker, and runs the callbacks as
results come back, so `on_result` and `on_progress` always run on the thread
that called `import_users`. Workers only make the calls and sleep.

Ctrl-C (or an exception from the rows or a callback) stops the import at once:
the workers are daemon threads, told to stop after their current call, and
nothing waits for them. A rerun with the same import id replays what finished.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .._client import UsersClient
from .._exceptions import UsersAPIError
from ._arguments import DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, checked_client
from ._arguments import checked_rows as _checked_rows
from ._results import ImportProgress, ImportSummary, RowResult
from ._rows import Create, Invite, Outcome, Wait
from ._run import ImportRun

if TYPE_CHECKING:
    from .._response import APIResponse

__all__ = ["import_users"]

# How often the calling thread looks up from waiting (for a pause to end).
_POLL_SECONDS = 0.25
# When the import stops on an error (a callback's, the rows'), the calls in
# flight get this long, in all, to end before it is raised: the caller then
# closes its client, and a worker still sending would open a connection the
# closed pool never closes. Ctrl-C does not wait.
_DRAIN_SECONDS = 5.0


def import_users(
    client: UsersClient,
    rows: Iterable[Mapping[str, Any]],
    *,
    import_id: str,
    concurrency: int = DEFAULT_CONCURRENCY,
    invite: bool = False,
    on_progress: Callable[[ImportProgress], None] | None = None,
    on_result: Callable[[RowResult], None] | None = None,
    total: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> ImportSummary:
    """Create a user from each row, `concurrency` rows at a time; resumable.

    Each row is sent with the Idempotency-Key `idempotency_key_for(import_id,
    row)`: running the same import again (after a crash or Ctrl-C) replays
    what succeeded ("replayed") and never creates a second user. Rows are
    read lazily, so a generator of millions is fine. A 429 or 503 halves the
    rows in flight and waits the server's Retry-After; a bad row is "failed"
    with the SDK's error and the import goes on. `total` (for progress) is
    len(rows) when rows has a length. Callbacks run on the calling thread.

    Examples:
        ```python
        from users_sdk import bulk

        rows = [{"email": f"hire{n}@example.com", "role": "member"} for n in range(20)]
        summary = bulk.import_users(client, rows, import_id="hires-2026-12")
        again = bulk.import_users(client, rows, import_id="hires-2026-12")  # a rerun
        print(summary.created, again.replayed, again.created)  # 20 20 0
        ```
    """
    checked_client(client, UsersClient, "import_users", "async_import_users")
    _checked_rows(rows, "import_users")
    run = ImportRun.checked(
        rows, import_id=import_id, concurrency=concurrency, invite=invite,
        on_progress=on_progress, on_result=on_result, total=total, max_attempts=max_attempts,
    )  # fmt: skip
    # The import retries (and sees the 429s) itself, to adapt the limit.
    return _ThreadedImport(client.with_options(max_retries=0), run).run(iter(rows))


class _ThreadedImport:
    def __init__(self, client: UsersClient, run: ImportRun) -> None:
        self._client = client
        self._run = run
        self._lock = threading.Lock()  # guards run.limit
        self._jobs: queue.SimpleQueue[tuple[int, object] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[RowResult | BaseException] = queue.SimpleQueue()
        self._stop = threading.Event()

    # The Pace of import_row(), under the lock: the workers share one limit.
    def ticket(self) -> int:
        with self._lock:
            return self._run.limit.ticket()

    def throttled(self, ticket: int, wait: float) -> None:
        with self._lock:
            self._run.limit.throttled(ticket, wait)

    def answered(self) -> None:
        with self._lock:
            self._run.limit.answered()

    def run(self, rows: Iterator[object]) -> ImportSummary:
        threads = [
            threading.Thread(target=self._work, name=f"users-sdk-import-{number}", daemon=True)
            for number in range(self._run.limit.maximum)
        ]
        for thread in threads:
            thread.start()
        try:
            self._feed(rows)
        except BaseException as error:
            self._stop.set()
            self._release(threads)
            if not isinstance(error, KeyboardInterrupt):
                deadline = time.monotonic() + _DRAIN_SECONDS
                for thread in threads:
                    thread.join(max(0.0, deadline - time.monotonic()))
            raise
        self._release(threads)
        return self._run.summary()

    def _release(self, threads: list[threading.Thread]) -> None:
        """Wake every worker waiting for a row, so that it ends."""
        for _ in threads:
            self._jobs.put(None)

    def _feed(self, rows: Iterator[object]) -> None:
        index, exhausted = 0, False
        while True:
            with self._lock:
                limit = self._run.limit
                pause, room, in_flight = limit.pause_left(), limit.has_room(), limit.in_flight
            if exhausted and in_flight == 0:
                return
            if not exhausted and room and pause == 0:
                try:
                    row = next(rows)
                except StopIteration:
                    exhausted = True
                    continue
                with self._lock:
                    limit.start()
                self._jobs.put((index, row))
                index += 1
                continue
            try:
                finished = self._done.get(timeout=min(pause or _POLL_SECONDS, _POLL_SECONDS))
            except queue.Empty:
                continue
            if isinstance(finished, BaseException):
                raise finished
            with self._lock:
                progress = self._run.finished(finished)
            self._run.report(finished, progress)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None and not self._stop.is_set():
            try:
                result = self._row(*job)
            except BaseException as error:  # a bug: raised on the calling thread
                self._done.put(error)
                return
            if result is not None:
                self._done.put(result)

    def _row(self, index: int, row: object) -> RowResult | None:
        run = self._run
        job = run.job(index, row, pace=self)
        step = job.start()
        while step is not None:
            if self._stop.is_set():
                return None
            if isinstance(step, Wait):
                self._stop.wait(step.seconds)
                step = job.resume()
            else:
                step = job.resume(self._call(step))
        return job.result

    def _call(self, step: Create | Invite) -> Outcome:
        users = self._client.users
        try:
            if isinstance(step, Create):
                response: APIResponse[Any] = users.with_raw_response.create(
                    step.fields, idempotency_key=step.idempotency_key
                )
                return Outcome(response)
            return Outcome(users.invite(step.user_id, idempotency_key=step.idempotency_key))
        except UsersAPIError as error:
            return Outcome(error=error)
