"""Which cassettes a session used, where its tests keep theirs, and what the
API sent that the spec does not have (users_sdk._drift): what the cassettes
report reads. Under pytest-xdist each worker keeps its own ledger
and sends it to the controller as JSON, which merges them and reports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["CassetteLedger"]


class CassetteLedger:
    def __init__(self) -> None:
        # Resolved paths of the cassette files loaded (the report's "used").
        self.used: set[Path] = set()
        # The collected tests' cassette folders (where the report looks for unused ones).
        self.test_folders: set[Path] = set()
        # Fields and enum values the responses had that the spec does not, as
        # (model, field, value or None), in the order they came.
        self.drift: dict[tuple[str, str, str | None], None] = {}

    def note_tests(self, test_files: Iterable[Path]) -> None:
        # pytest-recording's default folder: <test dir>/cassettes/<module>/.
        self.test_folders.update(path.parent / "cassettes" for path in test_files)

    def note_drift(self, seen: Iterable[tuple[str, str, str | None]]) -> None:
        self.drift.update(dict.fromkeys((model, field, value) for model, field, value in seen))

    def to_json(self) -> dict[str, list[Any]]:
        return {
            "used": sorted(map(str, self.used)),
            "test_folders": sorted(map(str, self.test_folders)),
            "drift": [list(d) for d in self.drift],
        }

    def merge_json(self, shared: dict[str, list[Any]]) -> None:
        self.used.update(Path(path) for path in shared.get("used", ()))
        self.test_folders.update(Path(path) for path in shared.get("test_folders", ()))
        self.note_drift((model, field, value) for model, field, value in shared.get("drift", ()))

    def folders(self, configured: Iterable[Path]) -> set[Path]:
        """The folders to report on: the configured ones, else the tests' default
        folders and those of the cassettes that were loaded (with their
        `cassettes` parent folder)."""
        chosen = set(configured)
        if chosen:
            return chosen
        folders = set(self.test_folders)
        for path in self.used:
            folders.add(path.parent)
            if path.parent.parent.name == "cassettes":
                folders.add(path.parent.parent)
        return folders
