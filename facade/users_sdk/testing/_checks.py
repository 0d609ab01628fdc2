"""The plugin's checks of a test's cassette: against the spec, for interactions
left unplayed, and the cassettes report. Loaded only when a test has a cassette
(or the report was asked for)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from .._version import __version__
from . import _cassette_check
from ._ledger import CassetteLedger
from ._scrub import is_users_api
from ._settings import check_mode

__all__ = ["check_interactions", "fail_on_unplayed", "report_lines"]


def _shown(config: pytest.Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.rootpath).as_posix()
    except ValueError:
        return str(path)


def check_interactions(item: pytest.Item, cassette: Any, start: int, *, replayed: bool) -> bool:
    """Check the interactions from `start` on against the spec; False if the test fails."""
    from . import CassetteSpecWarning

    mode = check_mode(item)
    if mode == "off":
        return True
    exchanges = [
        (index, _cassette_check.exchange_from_vcr(request, response))
        for index, (request, response) in enumerate(cassette.data[start:], start=start + 1)
    ]
    found = _cassette_check.mismatches(
        _shown(item.config, Path(cassette._path)),
        exchanges,
        item.config.getini("users_sdk_cassette_check_ignore"),
    )
    if not found:
        return True
    advice = _cassette_check.REPLAYED_ADVICE if replayed else _cassette_check.RECORDED_ADVICE
    message = "\n".join(mismatch.message(advice) for mismatch in found)
    if mode == "warn":
        item.warn(CassetteSpecWarning(message))  # shown at the test, not at this line
        return True
    pytest.fail(message, pytrace=False)


def fail_on_unplayed(config: pytest.Config, cassette: Any) -> None:
    """Fail if the replayed cassette holds Users API interactions the test never made."""
    unplayed = [
        f"{request.method} {request.uri}"
        for index, (request, _) in enumerate(cassette.data)
        if cassette.play_counts[index] == 0 and is_users_api(request.uri)
    ]
    if unplayed:
        pytest.fail(
            f"{len(unplayed)} recorded interaction(s) of {_shown(config, Path(cassette._path))} "
            f"were never replayed: "
            f"{', '.join(unplayed)}. The test no longer makes them: re-record the cassette "
            "(--record-mode=rewrite), or set users_sdk_allow_unplayed_interactions = true.",
            pytrace=False,
        )


def report_lines(config: pytest.Config, ledger: CassetteLedger) -> Iterable[str]:
    from .. import _drift
    from ._report import render, scan

    ledger.note_drift(_drift.seen())  # this process's; xdist workers' came merged

    entries = scan(
        ledger.folders(config.getini("users_sdk_cassette_dirs")),
        ledger.used,
        lambda path: _shown(config, path),
        config.getini("users_sdk_cassette_check_ignore"),
    )
    return render(entries, __version__, drift=list(ledger.drift))
