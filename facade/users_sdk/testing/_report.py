"""`pytest --users-sdk-cassettes-report`: which cassettes are unused, stale, and how old.

After a run, every cassette file under the cassette folders is read again:
- unused: no test that ran loaded it;
- stale: an interaction the installed spec no longer allows (as the check
  during a test would say, for every cassette, used or not);
- recorded with: the users-sdk version(s) in its requests' User-Agent,
  which users_sdk.testing keeps when it scrubs; "unknown" when a cassette
  was recorded before it did, or by another tool;
- ahead of the spec: the fields and enum values the responses of this run
  had that the installed spec does not (users_sdk._drift), when there are any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..openapi import read_yaml
from ._cassette_check import Mismatch, exchange_from_file, mismatches
from ._scrub import SDK_AGENT

__all__ = ["CassetteEntry", "render", "scan"]

_SUFFIXES = (".yaml", ".yml")


@dataclass
class CassetteEntry:
    path: Path
    shown: str
    used: bool
    versions: list[str] = field(default_factory=list)
    stale: list[Mismatch] = field(default_factory=list)
    unreadable: str | None = None


def _load(path: Path) -> list[dict[str, Any]] | None:
    """The interactions of a VCR cassette file; None for a YAML file that is not one."""
    data = read_yaml(path.read_bytes())
    interactions = data.get("interactions") if isinstance(data, dict) else None
    return interactions if isinstance(interactions, list) else None


def _versions(interactions: Iterable[dict[str, Any]]) -> list[str]:
    found = set()
    for interaction in interactions:
        for name, values in interaction.get("request", {}).get("headers", {}).items():
            if name.lower() == "user-agent":
                for value in values if isinstance(values, list) else [values]:
                    agent = SDK_AGENT.search(str(value))
                    if agent is not None:
                        found.add(agent.group(0).partition("/")[2])
    return sorted(found)


def scan(
    folders: Iterable[Path],
    used: set[Path],
    shown: Callable[[Path], str],
    ignored_paths: Iterable[str] = (),
) -> list[CassetteEntry]:
    """Every cassette file under `folders`, checked; `used` holds resolved paths."""
    files = sorted(
        {path.resolve() for folder in folders if folder.is_dir() for path in folder.rglob("*")
         if path.suffix in _SUFFIXES and path.is_file()}
    )  # fmt: skip
    entries = []
    for path in files:
        entry = CassetteEntry(path, shown(path), used=path in used)
        try:
            interactions = _load(path)
        except Exception as error:  # a broken file is reported, not a crash of the report
            entry.unreadable = f"{type(error).__name__}: {error}"
            entries.append(entry)
            continue
        if interactions is None:
            continue  # some other YAML file that lives next to the cassettes
        entry.versions = _versions(interactions)
        exchanges = []
        for index, interaction in enumerate(interactions, start=1):
            try:
                exchanges.append((index, exchange_from_file(interaction)))
            except (KeyError, TypeError, ValueError) as error:
                entry.unreadable = f"interaction {index} is not a VCR interaction ({error!r})"
        entry.stale = mismatches(entry.shown, exchanges, ignored_paths)
        entries.append(entry)
    return entries


def render(
    entries: list[CassetteEntry],
    installed: str,
    drift: Iterable[tuple[str, str, str | None]] = (),
) -> list[str]:
    """The report's lines (the terminal summary prints them); `drift` holds
    (model, field, None) for a field the spec does not have, (model, field,
    value) for an enum value it does not list."""
    unused = [e for e in entries if not e.used]
    stale = [e for e in entries if e.stale or e.unreadable]
    lines = [
        f"{len(entries)} cassette(s); {len(unused)} unused by the tests that ran; "
        f"{len(stale)} stale against the spec of users-sdk {installed}",
    ]
    if unused:
        lines.append("unused (no test that ran loaded them; delete them or add the test):")
        lines += [f"  {e.shown}" for e in unused]
    if stale:
        lines.append("stale (re-record them):")
        for e in stale:
            if e.unreadable:
                lines.append(f"  {e.shown}: unreadable: {e.unreadable}")
            lines += [f"  {m.message()}" for m in e.stale]
    lines.append("recorded with:")
    for e in entries:
        versions = ", ".join(f"users-sdk {v}" for v in e.versions) or "unknown"
        note = "" if e.versions in ([], [installed]) else f" (installed: {installed})"
        lines.append(f"  {e.shown}: {versions}{note}")
    drift = list(drift)
    if drift:
        lines.append(
            f"ahead of the spec of users-sdk {installed} (the API sent them; kept, and "
            "logged once: regenerate the SDK from the API's spec, or upgrade users-sdk):"
        )
        for model, name, value in drift:
            lines.append(
                f"  field {name!r} of {model}"
                if value is None
                else f"  value {value!r} of {model}.{name}"
            )
    return lines
