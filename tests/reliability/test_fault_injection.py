"""Hundreds of operations through a proxy that breaks a fifth of the exchanges.

The SDK talks to the real reference server through `FaultProxy` (connections
dropped before or after the server acted, 503, 429, answers held past the
timeout). Every operation must succeed or raise an SDK error, and a ledger of
what each operation did checks the server's state against it: no duplicate
user, no lost update, nothing the operations cannot explain.

How failed operations are counted, honestly: an operation that raised after
its last retry may or may not have had its effect (the server may have acted
on an attempt whose answer was lost). The ledger then keeps both possible
states of that user, and the next successful listing (or get) must show one
of them, which settles it. A successful operation leaves exactly one possible
state. A failed create leaves an email that may exist; a later create of that
email with a new Idempotency-Key must then succeed or get 409, and the listing
must show the email at most once.
"""

from __future__ import annotations

import itertools
import logging
import random
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import pytest

from users_sdk import (
    AsyncUsersClient,
    ConflictError,
    NotFoundError,
    PreconditionFailedError,
    UsersAPIError,
    UsersClient,
)

from .conftest import OWNER_TOKEN
from .fault_proxy import KINDS, FaultProxy

SEED = 20260101
OPERATIONS = 320
FAULT_RATE = 0.2
# The client gives up on an answer after TIMEOUT seconds; the proxy's `delay`
# fault holds answers for DELAY seconds, well past it.
TIMEOUT = httpx2.Timeout(0.4, connect=2.0)
DELAY = 0.6

DELETED = "deleted"
# What the ledger knows of one user: (version, department), or DELETED.
State = tuple[int, str | None] | str


@dataclass
class Ledger:
    """What the operations imply about the server, and what is left unsettled."""

    possible: dict[str, set[State]] = field(default_factory=dict)
    email_of: dict[str, str] = field(default_factory=dict)
    # Emails whose create raised: the user may exist (at most once).
    maybe_created: set[str] = field(default_factory=set)
    # Emails a later create was told (409) already exist.
    known_taken: set[str] = field(default_factory=set)
    # For users whose last write raised: the state that write would have made.
    unsettled_write: dict[str, State] = field(default_factory=dict)
    lost: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    escaped: list[str] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)

    def certain_users(self) -> list[str]:
        # In creation order (not by id, which is random): a seeded run is repeatable.
        return [
            user_id
            for user_id, states in self.possible.items()
            if len(states) == 1 and DELETED not in states
        ]

    def state(self, user_id: str) -> tuple[int, str | None]:
        (state,) = self.possible[user_id]
        assert isinstance(state, tuple)
        return state

    def observe(self, user_id: str, observed: State, how: str) -> None:
        """A successful read saw `observed`: it must be one of the possible states."""
        possible = self.possible[user_id]
        if observed not in possible:
            self.lost.append(f"{how}: {user_id} is {observed}, but only {possible} are explained")
        if user_id in self.unsettled_write:
            applied = observed == self.unsettled_write.pop(user_id)
            self.outcomes[f"failed write that had {'' if applied else 'not '}applied"] += 1
        self.possible[user_id] = {observed}

    def unsettled(self, user_id: str, before: State, after: State) -> None:
        """A write raised: its effect may or may not have happened (never twice)."""
        self.possible[user_id] = {before, after}
        self.unsettled_write[user_id] = after

    def reconcile(self, listed: Iterable[Any], how: str) -> None:
        """A complete, successful listing of this run's users settles everything."""
        users = list(listed)
        emails = Counter(user.email.lower() for user in users)
        self.duplicates += [f"{how}: {email} x{n}" for email, n in emails.items() if n > 1]
        markers = Counter(user.display_name for user in users)
        self.duplicates += [f"{how}: {name} x{n}" for name, n in markers.items() if n > 1]
        seen = {user.id: user for user in users}
        for user_id in list(self.possible):
            user = seen.get(user_id)
            self.observe(user_id, (user.version, user.department) if user else DELETED, how)
        for user_id, user in seen.items():
            if user_id in self.possible:
                continue
            email = user.email.lower()
            if email in self.maybe_created | self.known_taken:
                # A create that raised had created it after all (exactly once).
                self.possible[user_id] = {(user.version, user.department)}
                self.email_of[user_id] = email
                self.outcomes["failed create that had applied"] += 1
            else:
                self.lost.append(f"{how}: {user_id} ({email}) was created by no operation")
        present = {user.email.lower() for user in users}
        for email in self.known_taken - present:
            self.lost.append(f"{how}: 409 said {email} exists, but it is not listed")
        if self.maybe_created - present:
            self.outcomes["failed create that had not applied"] += len(self.maybe_created - present)
        self.maybe_created.clear()
        self.known_taken.clear()


@dataclass
class Operation:
    """One operation of the run: what to call, and what its outcome means."""

    kind: str
    call: Callable[[Any], Any]  # given client.users, returns a result or an awaitable
    on_success: Callable[[Any], None]
    on_error: Callable[[UsersAPIError], None]
    # For the async client, when awaiting `call` is not the whole operation.
    call_async: Callable[[Any], Awaitable[Any]] | None = None


class Workload:
    """Picks the next operation from a seeded RNG, given what the ledger knows."""

    def __init__(self, ledger: Ledger, domain: str, seed: int) -> None:
        self.ledger = ledger
        self.domain = domain
        self.rng = random.Random(seed)
        self.counter = 0

    def next(self) -> Operation:
        self.counter += 1
        n = self.counter
        ledger = self.ledger
        certain = ledger.certain_users()
        choices = ["create"] * 6 + ["update"] * 7 + ["delete"] * 2 + ["get"] * 2 + ["list"] * 2
        if ledger.maybe_created:
            choices += ["create_again"] * 4
        kind = self.rng.choice(choices)
        if kind in {"update", "delete", "get"} and not certain:
            kind = "create"
        if kind == "create":
            return self._create(f"u{n}@{self.domain}", f"op{n}")
        if kind == "create_again":
            return self._create(self.rng.choice(sorted(ledger.maybe_created)), f"op{n}")
        if kind == "update":
            return self._update(self.rng.choice(certain), f"d{n}")
        if kind == "delete":
            return self._delete(self.rng.choice(certain))
        if kind == "get":
            return self._get(self.rng.choice(list(ledger.possible)))
        return self._list()

    def _create(self, email: str, marker: str) -> Operation:
        ledger = self.ledger
        again = email in ledger.maybe_created

        def success(user: Any) -> None:
            if user.email.lower() != email or user.version != 1:
                ledger.lost.append(f"create {email} returned {user.email} v{user.version}")
            ledger.possible[user.id] = {(user.version, user.department)}
            ledger.email_of[user.id] = email
            ledger.maybe_created.discard(email)

        def error(exc: UsersAPIError) -> None:
            if isinstance(exc, ConflictError):
                if again:  # the earlier, failed create had created it
                    ledger.maybe_created.discard(email)
                    ledger.known_taken.add(email)
                    return
                # A fresh email can only conflict with itself: a retried create
                # that the server ran twice instead of replaying.
                ledger.duplicates.append(f"create {email}: 409 for a fresh email")
                return
            ledger.maybe_created.add(email)

        return Operation(
            "create_again" if again else "create",
            lambda users: users.create(email=email, display_name=marker),
            success,
            error,
        )

    def _update(self, user_id: str, department: str) -> Operation:
        ledger = self.ledger
        version, old_department = ledger.state(user_id)

        def success(user: Any) -> None:
            if (user.version, user.department) != (version + 1, department):
                ledger.lost.append(
                    f"update {user_id} v{version}: returned v{user.version} {user.department}"
                )
            ledger.possible[user_id] = {(user.version, user.department)}

        def error(exc: UsersAPIError) -> None:
            if isinstance(exc, PreconditionFailedError | NotFoundError):
                # Nobody else writes these users: the version can only have
                # moved if an earlier write was applied twice.
                ledger.lost.append(f"update {user_id} v{version}: {type(exc).__name__}")
                return
            ledger.unsettled(user_id, (version, old_department), (version + 1, department))

        return Operation(
            "update",
            lambda users: users.update(user_id, department=department, if_match=version),
            success,
            error,
        )

    def _delete(self, user_id: str) -> Operation:
        ledger = self.ledger
        before = ledger.state(user_id)

        def success(_: Any) -> None:
            ledger.possible[user_id] = {DELETED}

        def error(exc: UsersAPIError) -> None:
            if isinstance(exc, NotFoundError):
                # A retried delete is replayed (204), never a 404.
                ledger.lost.append(f"delete {user_id}: 404 on a user that existed")
                return
            ledger.unsettled(user_id, before, DELETED)

        return Operation("delete", lambda users: users.delete(user_id), success, error)

    def _get(self, user_id: str) -> Operation:
        ledger = self.ledger

        def success(user: Any) -> None:
            ledger.observe(user_id, (user.version, user.department), "get")

        def error(exc: UsersAPIError) -> None:
            if isinstance(exc, NotFoundError):
                ledger.observe(user_id, DELETED, "get")

        return Operation("get", lambda users: users.get(user_id), success, error)

    def _list(self) -> Operation:
        ledger = self.ledger
        domain = self.domain

        def success(users: Any) -> None:
            ledger.reconcile(users, "list")

        async def every_page(users: Any) -> list[Any]:
            return [user async for user in users.list(email_domain=domain, limit=25)]

        return Operation(
            "list",
            lambda users: list(users.list(email_domain=domain, limit=25)),
            success,
            lambda exc: None,
            every_page,
        )


def _settle(ledger: Ledger, operation: Operation, users: Any) -> None:
    try:
        result = operation.call(users)
    except UsersAPIError as exc:
        ledger.outcomes[f"{operation.kind} raised {type(exc).__name__}"] += 1
        operation.on_error(exc)
    except Exception as exc:  # anything else is a bug in the SDK
        ledger.escaped.append(f"{operation.kind}: {type(exc).__name__}: {exc}")
    else:
        ledger.outcomes[f"{operation.kind} ok"] += 1
        operation.on_success(result)


def _report(
    title: str,
    ledger: Ledger,
    proxy: FaultProxy,
    operations: int,
    retries: int,
    capsys: pytest.CaptureFixture[str],
) -> dict[str, Any]:
    summary = proxy.summary()
    # Answers the API gave (404 for a user deleted earlier, 409 for an email a
    # failed create had taken) are results; giving up after the retries is not.
    answered = (NotFoundError.__name__, ConflictError.__name__)
    raised = {name: n for name, n in ledger.outcomes.items() if " raised " in name}
    gave_up = sum(n for name, n in raised.items() if not name.endswith(answered))
    figures = {
        "operations": operations,
        "succeeded": sum(n for name, n in ledger.outcomes.items() if name.endswith(" ok")),
        "answered_with_an_expected_error": sum(raised.values()) - gave_up,
        "gave_up_with_an_sdk_error": gave_up,
        "escaped_non_sdk_errors": len(ledger.escaped),
        "requests_through_proxy": summary["requests"],
        "faults_injected": {kind: summary[kind] for kind in KINDS},
        "faults_total": sum(summary[kind] for kind in KINDS),
        "retries": retries,
        "replayed_by_idempotency_key": proxy.replayed,
        "duplicates": len(ledger.duplicates),
        "lost": len(ledger.lost),
    }
    lines = [f"\n== {title} =="]
    lines += [f"  {name}: {value}" for name, value in figures.items()]
    lines += [f"  outcome {name}: {n}" for name, n in sorted(ledger.outcomes.items())]
    with capsys.disabled():
        print("\n".join(lines))
    return figures


def _retries(caplog: pytest.LogCaptureFixture) -> int:
    return sum(
        1
        for record in caplog.records
        if record.name == "users_sdk" and record.getMessage().startswith("Retrying ")
    )


def _final_listing(reference_server: str, domain: str) -> list[Any]:
    """The end state, listed through the SDK, straight from the server (no proxy)."""
    with UsersClient(base_url=reference_server, token=OWNER_TOKEN) as client:
        return list(client.users.list(email_domain=domain, limit=100))


def _assert_clean(ledger: Ledger, figures: dict[str, Any]) -> None:
    assert ledger.escaped == [], ledger.escaped
    assert ledger.duplicates == [], ledger.duplicates
    assert ledger.lost == [], ledger.lost
    # Every user the run created is settled: exactly one known state each.
    assert all(len(states) == 1 for states in ledger.possible.values())
    # The run really was under fire, and really retried.
    assert figures["faults_total"] >= figures["requests_through_proxy"] * FAULT_RATE / 2
    assert all(figures["faults_injected"][kind] > 0 for kind in KINDS)
    # Every injected fault was retried, except the last one of each operation that
    # ran out of retries (a spurious timeout could only add retries).
    assert figures["retries"] >= figures["faults_total"] - figures["gave_up_with_an_sdk_error"]


def _alternating_tokens(reference_server: str) -> Any:
    """A credential provider that hands out two valid owner tokens in turn, so that
    attempts of one call carry different Authorization headers."""
    issued = httpx2.post(f"{reference_server}/_test/tokens", json={"role": "owner"})
    tokens = itertools.cycle([OWNER_TOKEN, issued.json()["token"]])
    return lambda: next(tokens)


@pytest.mark.parametrize("credential", ["fixed token", "token provider"])
def test_sync_client_under_faults(
    reference_server: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    credential: str,
) -> None:
    caplog.set_level(logging.INFO, logger="users_sdk")
    domain = f"sync-{uuid.uuid4().hex[:8]}.fault.test"
    ledger = Ledger()
    workload = Workload(ledger, domain, SEED)
    token = OWNER_TOKEN if credential == "fixed token" else _alternating_tokens(reference_server)
    with (
        FaultProxy(reference_server, rate=FAULT_RATE, seed=SEED, delay=DELAY) as proxy,
        UsersClient(base_url=proxy.base_url, token=token, timeout=TIMEOUT) as client,
    ):
        client._sleep = lambda seconds: None  # the backoff is tested elsewhere
        for _ in range(OPERATIONS):
            operation = workload.next()
            _settle(ledger, operation, client.users)
            # Effects of an attempt are done before its failure shows (see fault_proxy).
            proxy.quiesce()
        ledger.reconcile(_final_listing(reference_server, domain), "final listing")
        figures = _report(
            f"sync UsersClient ({credential}), {OPERATIONS} operations at {FAULT_RATE:.0%} faults",
            ledger,
            proxy,
            OPERATIONS,
            _retries(caplog),
            capsys,
        )
    _assert_clean(ledger, figures)


ASYNC_WORKERS = 4
ASYNC_OPERATIONS_PER_WORKER = 40


@pytest.mark.anyio
async def test_async_client_under_faults_with_concurrent_workers(
    reference_server: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Several tasks share one AsyncUsersClient; each owns its users (and its ledger)."""
    import anyio

    caplog.set_level(logging.INFO, logger="users_sdk")
    run = uuid.uuid4().hex[:8]
    ledgers = [Ledger() for _ in range(ASYNC_WORKERS)]
    domains = [f"w{index}-{run}.fault.test" for index in range(ASYNC_WORKERS)]

    async def no_sleep(seconds: float) -> None:
        await anyio.sleep(0)

    with FaultProxy(reference_server, rate=FAULT_RATE, seed=SEED + 1, delay=DELAY) as proxy:
        async with AsyncUsersClient(
            base_url=proxy.base_url, token=OWNER_TOKEN, timeout=TIMEOUT
        ) as client:
            client._sleep = no_sleep

            async def worker(index: int) -> None:
                workload = Workload(ledgers[index], domains[index], SEED + 10 + index)
                for _ in range(ASYNC_OPERATIONS_PER_WORKER):
                    operation = workload.next()
                    await _settle_async(ledgers[index], operation, client)

            async with anyio.create_task_group() as group:
                for index in range(ASYNC_WORKERS):
                    group.start_soon(worker, index)
        proxy.quiesce()
        merged = Ledger()
        for ledger, domain in zip(ledgers, domains, strict=True):
            ledger.reconcile(_final_listing(reference_server, domain), "final listing")
            merged.possible.update(ledger.possible)
            merged.lost += ledger.lost
            merged.duplicates += ledger.duplicates
            merged.escaped += ledger.escaped
            merged.outcomes.update(ledger.outcomes)
        figures = _report(
            f"AsyncUsersClient, {ASYNC_WORKERS} concurrent workers x "
            f"{ASYNC_OPERATIONS_PER_WORKER} operations at {FAULT_RATE:.0%} faults",
            merged,
            proxy,
            ASYNC_WORKERS * ASYNC_OPERATIONS_PER_WORKER,
            _retries(caplog),
            capsys,
        )
    _assert_clean(merged, figures)


async def _settle_async(ledger: Ledger, operation: Operation, client: AsyncUsersClient) -> None:
    try:
        if operation.call_async is not None:
            result = await operation.call_async(client.users)
        else:
            result = await operation.call(client.users)
    except UsersAPIError as exc:
        ledger.outcomes[f"{operation.kind} raised {type(exc).__name__}"] += 1
        operation.on_error(exc)
    except Exception as exc:  # anything else is a bug in the SDK
        ledger.escaped.append(f"{operation.kind}: {type(exc).__name__}: {exc}")
    else:
        ledger.outcomes[f"{operation.kind} ok"] += 1
        operation.on_success(result)


def test_the_ledger_catches_a_client_without_idempotency(
    reference_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control: the same run with a new Idempotency-Key on every attempt (what a
    naive client does) must be caught, or the checks above would prove nothing."""

    def fresh_key(request: httpx2.Request) -> None:
        if "idempotency-key" in request.headers:
            request.headers["Idempotency-Key"] = str(uuid.uuid4())

    domain = f"control-{uuid.uuid4().hex[:8]}.fault.test"
    ledger = Ledger()
    workload = Workload(ledger, domain, SEED)
    # Only lost answers: the fault that idempotency keys are for.
    weights = {kind: float(kind == "drop_after") for kind in KINDS}
    with FaultProxy(reference_server, rate=FAULT_RATE, seed=SEED, weights=weights) as proxy:
        http = httpx2.Client(event_hooks={"request": [fresh_key]}, timeout=TIMEOUT)
        with UsersClient(base_url=proxy.base_url, token=OWNER_TOKEN, http_client=http) as client:
            client._sleep = lambda seconds: None
            for _ in range(80):
                operation = workload.next()
                _settle(ledger, operation, client.users)
                proxy.quiesce()
        http.close()
        ledger.reconcile(_final_listing(reference_server, domain), "final listing")
    with capsys.disabled():
        print(
            f"\n== control, new key per attempt: {len(ledger.duplicates)} duplicates, "
            f"{len(ledger.lost)} lost or unexplained, {proxy.replayed} replayed =="
        )
    assert ledger.escaped == []
    assert ledger.duplicates or ledger.lost
    assert proxy.replayed == 0
