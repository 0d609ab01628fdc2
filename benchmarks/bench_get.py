"""get() figures: one users.get() on a warm keep-alive connection to the canned
server, against raw httpx2 + json.loads, the generated client and a
requests-style client, all in the same rounds (client CPU time per call)."""

from __future__ import annotations

import json
from typing import Any

import httpx2
import requests
from common import TOKEN, USER_ID, connections, new_connections
from harness import Config, Target, cpu, figure, interleaved, median, paired_ratio, spread, us, wall

from users_api_client import AuthenticatedClient
from users_api_client.api.users import get_user
from users_api_client.models import User
from users_sdk import UsersClient, _tracing


class OpenToCloseStyleClient:
    """A requests.Session + dict client in the style of the seed APIs' clients
    (Open To Close's): one session with the auth header, `session.get(url).json()`."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        )

    def get_user(self, user_id: str) -> dict[str, Any]:
        response = self.session.get(f"{self.base_url}/v1/users/{user_id}")
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    def close(self) -> None:
        self.session.close()


def bench_get(config: Config, base_url: str) -> list[dict[str, Any]]:
    """One users.get() on a warm keep-alive connection against three baselines."""
    url = f"{base_url}/v1/users/{USER_ID}"
    sdk = UsersClient(base_url=base_url, token=TOKEN, max_retries=2)
    raw = httpx2.Client(headers={"Authorization": f"Bearer {TOKEN}"})
    generated = AuthenticatedClient(base_url=base_url, token=TOKEN)
    otc = OpenToCloseStyleClient(base_url, TOKEN)
    calls = config.get_calls

    assert sdk.users.get(USER_ID).id == USER_ID
    assert json.loads(raw.get(url).content)["id"] == USER_ID
    assert isinstance(get_user.sync_detailed(USER_ID, client=generated).parsed, User)
    assert otc.get_user(USER_ID)["id"] == USER_ID

    def run_sdk() -> None:
        # As without the [otel] extra: the send loop skips tracing. (This venv has
        # opentelemetry for the tests; the next variant times it, with no SDK
        # provider configured, as an application that installed it but exports nothing.)
        _tracing._enabled = False
        get = sdk.users.get
        for _ in range(calls):
            get(USER_ID)

    def run_sdk_otel() -> None:
        _tracing._enabled = _tracing._api_installed()
        get = sdk.users.get
        for _ in range(calls):
            get(USER_ID)

    def run_httpx() -> None:
        get, loads = raw.get, json.loads
        for _ in range(calls):
            loads(get(url).content)

    def run_generated() -> None:
        sync_detailed = get_user.sync_detailed
        for _ in range(calls):
            sync_detailed(USER_ID, client=generated)

    def run_requests() -> None:
        get = otc.get_user
        for _ in range(calls):
            get(USER_ID)

    variants = {
        "users_sdk": run_sdk,
        "users_sdk_otel": run_sdk_otel,
        "httpx2": run_httpx,
        "generated": run_generated,
        "requests": run_requests,
    }
    for _ in range(max(1, config.warmup_calls // max(calls, 1))):
        for run in variants.values():
            run()
    before = connections(base_url)
    samples = interleaved(variants, config.get_rounds, per=calls)
    reconnects = new_connections(base_url, before, "fast")
    for closer in (sdk.close, raw.close, otc.close, generated.get_httpx_client().close):
        closer()

    _tracing._enabled = None  # decided again on first use (USERS_SDK_TRACING: off)
    sdk_cpu = cpu(samples["users_sdk"])

    def row(*, id: str, name: str, baseline: str, target: Target) -> dict[str, Any]:
        return figure(
            id=id,
            title="one users.get() on a warm connection, client-side cost",
            candidate="UsersClient.users.get()",
            baseline=baseline,
            measure="client CPU time per call",
            value=paired_ratio(sdk_cpu, cpu(samples[name])),
            target=target,
            candidate_median_us=us(median(sdk_cpu)),
            baseline_median_us=us(median(cpu(samples[name]))),
            wall_ratio=round(paired_ratio(wall(samples["users_sdk"]), wall(samples[name])), 4),
            round_ratio_iqr=spread(sdk_cpu, cpu(samples[name])),
            rounds=config.get_rounds,
            calls_per_round=calls,
            new_connections_while_measuring=reconnects,
        )

    return [
        row(
            id="get_vs_httpx",
            name="httpx2",
            baseline="raw httpx2.Client.get + json.loads",
            target=("<=", 1.10),
        ),
        row(
            id="get_vs_generated",
            name="generated",
            baseline="generated get_user.sync_detailed (AuthenticatedClient)",
            target=("<=", 1.05),
        ),
        figure(
            id="get_with_otel_noop",
            title="one users.get() on a warm connection, client-side cost",
            candidate="UsersClient.users.get() with opentelemetry-api installed, no SDK provider",
            baseline="UsersClient.users.get() as without the [otel] extra",
            measure="client CPU time per call",
            value=paired_ratio(cpu(samples["users_sdk_otel"]), sdk_cpu),
            target=None,
            rounds=config.get_rounds,
            calls_per_round=calls,
            candidate_median_us=us(median(cpu(samples["users_sdk_otel"]))),
            baseline_median_us=us(median(sdk_cpu)),
        ),
        row(
            id="get_vs_requests",
            name="requests",
            baseline="requests.Session + dict (Open To Close style: session.get(url).json())",
            target=("<", 1.0),
        ),
    ]
