"""Which cassettes a session used and where its tests keep theirs: what the
cassettes report reads. Under pytest-xdist each worker keeps its own ledger
and sends it to the controller as JSON, which merges them and reports."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["CassetteLedger"]


class CassetteLedger:
    def __init__(self) -> None:
        # Resolved paths of the cassette files loaded (the report's "used").
        self.used: set[Path] = set()
        # The collected tests' cassette folders (where the report looks for unused ones).
        self.test_folders: set[Path] = set()

    def note_tests(self, test_files: Iterable[Path]) -> None:
        # pytest-recording's default folder: <test dir>/cassettes/<module>/.
        self.test_folders.update(path.parent / "cassettes" for path in test_files)

    def to_json(self) -> dict[str, list[str]]:
        return {
            "used": sorted(map(str, self.used)),
            "test_folders": sorted(map(str, self.test_folders)),
        }

    def merge_json(self, shared: dict[str, list[str]]) -> None:
        self.used.update(Path(path) for path in shared.get("used", ()))
        self.test_folders.update(Path(path) for path in shared.get("test_folders", ()))

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
