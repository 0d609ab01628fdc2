"""scripts/docs_hooks.py, importable as scripts_docs_hooks (scripts/ is no package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "scripts" / "docs_hooks.py"
_spec = importlib.util.spec_from_file_location("scripts_docs_hooks", _PATH)
assert _spec is not None
assert _spec.loader is not None
_module = importlib.util.module_from_spec(_spec)
sys.modules["scripts_docs_hooks"] = _module
_spec.loader.exec_module(_module)
