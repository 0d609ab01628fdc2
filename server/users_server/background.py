"""Temporary: the old home of the in-process server, for facade/users_sdk/_testing_server.py.

That module imports `users_server.background.serve_in_thread`; it is being
moved on another branch, and will import `from users_server import
serve_in_thread` instead. Delete this file then. Everything else imports
from `users_server` (or `users_server.devmode.background`).
"""

from __future__ import annotations

from .devmode.background import RunningServer, run_server, serve_in_thread

__all__ = ["RunningServer", "run_server", "serve_in_thread"]
