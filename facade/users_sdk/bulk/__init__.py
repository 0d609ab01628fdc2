"""users_sdk.bulk: resumable bulk import and streaming export, sync and async.

```python
from users_sdk import UsersClient, bulk

rows = [{"email": f"hire{n}@example.com", "role": "member"} for n in range(20)]
with UsersClient() as client:
    summary = bulk.import_users(client, rows, import_id="hires-2026-12", invite=True)
    print(summary.created, summary.replayed, summary.failed)
    for user in bulk.export_users(client, email_domain="example.com"):
        print(user.email)
```

An import sends `concurrency` rows at a time, each with an Idempotency-Key
derived from the import id and the row (`idempotency_key_for`), so running
the same import again after a crash or Ctrl-C replays what succeeded and
creates no duplicate. A 429 or 503 halves the rows in flight and waits the
server's Retry-After; successes grow it back by one at a time. Every row
gets a RowResult: created, replayed, or failed with the SDK's error.
An export walks every page of a filter with one page in memory, and resumes
from any page's `resume_cursor`.

Not imported by `import users_sdk`: `from users_sdk import bulk` loads it.

Modules: `_keys` (the keys), `_limiter` (the adaptive limit and the retry
rules), `_rows` (one row, as steps, for both drivers), `_threads` and `_tasks`
(the sync and async drivers), `_export`, `_results`, `_arguments`, `_run`.
"""

from __future__ import annotations

from ._arguments import DEFAULT_CONCURRENCY, DEFAULT_MAX_ATTEMPTS, MAX_CONCURRENCY
from ._export import async_export_pages, async_export_users, export_pages, export_users
from ._keys import idempotency_key_for
from ._results import ExportPage, ImportProgress, ImportSummary, RowResult, RowStatus
from ._tasks import async_import_users
from ._threads import import_users

__all__ = [
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_ATTEMPTS",
    "MAX_CONCURRENCY",
    "ExportPage",
    "ImportProgress",
    "ImportSummary",
    "RowResult",
    "RowStatus",
    "async_export_pages",
    "async_export_users",
    "async_import_users",
    "export_pages",
    "export_users",
    "idempotency_key_for",
    "import_users",
]
