"""The sidecar of `users export FILE`: `FILE.resume.json`, which says how far
the export got, so that `--resume` continues after the last page written.

After each page the CLI writes the page, flushes it to disk, and only then
replaces the checkpoint (atomically) with the cursor after that page and the
file's size. A kill before the new checkpoint leaves rows after the recorded
size: `--resume` cuts the file back to it and fetches that page again, so no
row is lost or written twice.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ._errors import UsageError

__all__ = ["Checkpoint", "checkpoint_path"]

_VERSION = 1


def checkpoint_path(export_file: Path) -> Path:
    return export_file.with_name(export_file.name + ".resume.json")


@dataclass
class Checkpoint:
    format: str
    filters: dict[str, Any] = field(default_factory=dict)
    cursor: str | None = None  # None: from the first page
    size: int = 0  # bytes of the export file that hold whole pages
    rows: int = 0
    done: bool = False  # the last page is written (its cursor None is not "from the start")
    version: int = _VERSION

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as stream:
            json.dump(asdict(self), stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(
                f"nothing to resume: no {path.name} (the export finished, or never started); "
                "run it without --resume"
            ) from None
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot read the checkpoint {path}: {error}") from None
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            raise UsageError(f"{path} is not a checkpoint of this users-sdk; export again")
        try:
            return cls(**data)
        except TypeError:
            raise UsageError(
                f"{path} is not a checkpoint of this users-sdk; export again"
            ) from None
