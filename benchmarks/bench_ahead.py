"""Figures for an API ahead of the SDK (issue 29): pages whose users carry a
field the spec does not have, or an enum value it does not list.

- Parse: a page of 100 users with one unknown field each, and one with an
  unknown enum value in each user, through the facade's page parser, against
  `json.loads` of the same bytes, in the same rounds (CPU time per page).
- Walk: the canned listing's 10,000 users as the API ahead of the spec sends
  them (`/ahead`, one unknown field per user), through
  `client.users.list()`, against the raw-httpx2 loop of dicts and a raw loop
  of pydantic v2 `UserPage.model_validate_json` per page (extra="allow", so
  it keeps the field too), in the same rounds (client CPU time).

The facade learns a drift the first time it sees it (users_sdk._typed_decode)
and then takes such pages at full speed: these figures are that steady state,
the state of a process while the API is ahead. Each group runs with its own
fresh typed decoder, which it warms once, and puts the process's back after,
so that the spec-matching figures of the other groups are not measured on
Structs derived here. The first drifted page, learning included, is timed
once and reported in the JSON (`first_page_us`), not as a figure.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx2
from bench_parse import PYDANTIC_MISSING, parse_user_page
from canned_server import AHEAD_PREFIX, NEW_FIELD, PAGE_SIZE, ahead_page_body
from common import TOKEN, counted_walks
from harness import (
    Config,
    Target,
    cpu,
    figure,
    interleaved,
    median,
    ms,
    paired_ratio,
    skipped,
    spread,
    us,
)

from users_sdk import UsersClient
from users_sdk import _parsing as adapter

AHEAD = AHEAD_PREFIX.decode()


@contextmanager
def fresh_typed_decoder() -> Iterator[None]:
    """A typed decoder that has learned nothing, for this group alone."""
    saved = adapter._TYPED
    if saved is not None:
        adapter._TYPED = type(saved)(adapter.structs.STRUCTS)
    try:
        yield
    finally:
        adapter._TYPED = saved


def _ratio_row(
    *,
    id: str,
    title: str,
    candidate: str,
    baseline: str,
    measure: str,
    samples: dict[str, Any],
    name: str,
    against: str,
    target: Target | None,
    scale: Callable[[float], float],
    **extra: Any,
) -> dict[str, Any]:
    candidate_cpu, baseline_cpu = cpu(samples[name]), cpu(samples[against])
    return figure(
        id=id,
        title=title,
        candidate=candidate,
        baseline=baseline,
        measure=measure,
        value=paired_ratio(candidate_cpu, baseline_cpu),
        target=target,
        candidate_median=scale(median(candidate_cpu)),
        baseline_median=scale(median(baseline_cpu)),
        round_ratio_iqr=spread(candidate_cpu, baseline_cpu),
        **extra,
    )


def bench_ahead_parse(config: Config) -> list[dict[str, Any]]:
    """Pages ahead of the spec through the page parser, against json.loads."""
    bodies = {
        "field": ahead_page_body(0, field=True, value=False),
        "value": ahead_page_body(0, field=False, value=True),
    }
    responses = {
        kind: httpx2.Response(200, content=body, headers={"content-type": "application/json"})
        for kind, body in bodies.items()
    }
    iterations = config.parse_iterations
    with fresh_typed_decoder():
        started = time.process_time()
        users, _, _ = parse_user_page(responses["field"])
        first_page_us = us(time.process_time() - started)
        assert len(users) == PAGE_SIZE
        assert all(NEW_FIELD in user.additional_properties for user in users)
        parse_user_page(responses["value"])

        def repeat(parse: Callable[[Any], Any], argument: Any) -> Callable[[], None]:
            def run() -> None:
                for _ in range(iterations):
                    parse(argument)

            return run

        variants = {
            "field": repeat(parse_user_page, responses["field"]),
            "json_field": repeat(json.loads, bodies["field"]),
            "value": repeat(parse_user_page, responses["value"]),
            "json_value": repeat(json.loads, bodies["value"]),
        }
        samples = interleaved(variants, config.parse_rounds, per=iterations)

    title = f"parsing a page of {PAGE_SIZE} users ahead of the spec into models"
    common: dict[str, Any] = {
        "title": title,
        "baseline": "json.loads of the same bytes",
        "measure": "CPU time per page",
        "samples": samples,
        "target": ("<=", 0.75),
        "scale": us,
        "rounds": config.parse_rounds,
        "iterations_per_round": iterations,
    }
    return [
        _ratio_row(
            id="ahead_parse_field",
            candidate="the facade's page parser, each user with one field the spec does not "
            "have (kept in additional_properties)",
            name="field",
            against="json_field",
            first_page_us=first_page_us,
            **common,
        ),
        _ratio_row(
            id="ahead_parse_value",
            candidate="the facade's page parser, each user with an enum value the spec does "
            "not list (kept as a string)",
            name="value",
            against="json_value",
            **common,
        ),
    ]


def bench_ahead_walk(config: Config, base_url: str) -> list[dict[str, Any]]:
    """The 10,000 users of the /ahead listing: the SDK, raw dicts, pydantic."""
    total = config.pages * PAGE_SIZE
    ahead_url = base_url + AHEAD
    sdk = UsersClient(base_url=ahead_url, token=TOKEN)
    raw = httpx2.Client(headers={"Authorization": f"Bearer {TOKEN}"})

    walks = counted_walks(sdk, raw, ahead_url, config.pages)
    run_sdk, run_raw_dicts = walks["users_sdk"], walks["raw_dicts"]

    variants: dict[str, Callable[[], None]] = {"users_sdk": run_sdk, "raw_dicts": run_raw_dicts}
    if PYDANTIC_MISSING is None:
        from bench_parse import PydanticUserPage

        validate = PydanticUserPage.model_validate_json

        def run_pydantic() -> None:
            count = 0
            url = ahead_url + "/v1/users"
            params: dict[str, Any] = {"limit": PAGE_SIZE}
            for _ in range(config.pages):
                page = validate(raw.get(url, params=params).content)
                count += len(page.items)
                if page.next_cursor is None:
                    break
                params = {"limit": PAGE_SIZE, "cursor": page.next_cursor}
            assert count == total, count

        variants["pydantic"] = run_pydantic

    with fresh_typed_decoder():
        first = next(iter(sdk.users.list(limit=PAGE_SIZE)))
        assert NEW_FIELD in first.additional_properties, first.additional_properties
        for run in variants.values():
            run()
        samples = interleaved(variants, config.page_rounds)
    sdk.close()
    raw.close()

    title = f"iterating {total:,} users ahead of the spec (one unknown field each)"
    common: dict[str, Any] = {
        "title": title,
        "candidate": "for user in client.users.list(limit=100)",
        "measure": "client CPU time for the whole walk",
        "samples": samples,
        "name": "users_sdk",
        "scale": ms,
        "rounds": config.page_rounds,
        "users": total,
    }
    rows = [
        _ratio_row(
            id="ahead_walk_vs_raw",
            baseline="hand-written raw-httpx2 cursor loop (json.loads, dicts)",
            against="raw_dicts",
            target=("<=", 1.0),
            **common,
        )
    ]
    pydantic_baseline = "raw-httpx2 loop + pydantic v2 UserPage.model_validate_json per page"
    if PYDANTIC_MISSING is None:
        rows.append(
            _ratio_row(
                id="ahead_walk_vs_pydantic",
                baseline=pydantic_baseline,
                against="pydantic",
                target=("<=", 0.85),
                **common,
            )
        )
    else:
        rows.append(
            skipped(
                id="ahead_walk_vs_pydantic",
                title=title,
                candidate=common["candidate"],
                baseline=pydantic_baseline,
                target=("<=", 0.85),
                reason=f"skipped: {PYDANTIC_MISSING}",
            )
        )
    return rows
