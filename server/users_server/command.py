"""The command that runs the server: `users-sdk-server`, `python -m users_server`, `make serve`.

Every flag can also be set by an environment variable: `--db` by
`USERS_SERVER_DB`, `--owner-token` by `USERS_SERVER_OWNER_TOKEN`, and so on;
a flag wins over its variable.

Only the standard library is imported until the [server] extra is known to
be installed (requirements.py): without it, the command says how to install
it in one line and exits 2, instead of a traceback from an import.
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .requirements import INSTALL_COMMAND, missing_requirements
from .settings import Settings

if TYPE_CHECKING:
    from .spec import Operation

PROG = "users-sdk-server"

_ENV_PREFIX = "USERS_SERVER_"
_TRUE = ("1", "true", "yes", "on")


_CREDENTIALS = {
    "owner_token": "the owner's bearer token",
    "viewer_token": "the viewer's bearer token",
    "owner_api_key": "the owner's X-API-Key",
    "viewer_api_key": "the viewer's X-API-Key",
}


def _env(name: str) -> str | None:
    return os.environ.get(_ENV_PREFIX + name)


def _flag(name: str) -> bool:
    return (_env(name) or "").strip().lower() in _TRUE


def parse_args(argv: Sequence[str] | None = None, *, prog: str = PROG) -> Settings:
    defaults = Settings()
    parser = argparse.ArgumentParser(
        prog=prog,
        description="The Users API reference server (openapi.yaml), for development only.",
        epilog="Each flag can also be set as USERS_SERVER_<FLAG>, e.g. USERS_SERVER_PORT=0.",
    )
    parser.add_argument(
        "--host",
        default=_env("HOST") or defaults.host,
        help="the address to listen on (default: %(default)s)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(_env("PORT") or defaults.port),
        help="0 picks a free port (default: %(default)s)",
    )
    parser.add_argument(
        "--db",
        default=_env("DB") or defaults.database,
        help="SQLite file, or :memory: (default: %(default)s)",
    )
    for name, what in _CREDENTIALS.items():
        parser.add_argument(
            "--" + name.replace("_", "-"),
            default=_env(name.upper()) or getattr(defaults, name),
            metavar="SECRET",
            # Not %(default)s: the start-up banner prints the credentials, --help need not.
            help=f"{what} (default: a fixed development value, printed at start)",
        )
    parser.add_argument(
        "--spec",
        type=Path,
        default=_env("SPEC") or None,
        help="the openapi.yaml to read the users' fields from (default: the one installed with it)",
    )
    parser.add_argument(
        "--deterministic",
        action="store_true",
        default=_flag("DETERMINISTIC"),
        help="counting ids, a clock that starts at 2026-01-01 and moves 1 s per write",
    )
    parser.add_argument(
        "--test-mode",
        action="store_true",
        default=_flag("TEST_MODE"),
        help="enable /_test/* and `Prefer: code=...` (never in production)",
    )
    args = parser.parse_args(argv)
    return Settings(
        host=args.host,
        port=args.port,
        database=args.db,
        owner_token=args.owner_token,
        viewer_token=args.viewer_token,
        owner_api_key=args.owner_api_key,
        viewer_api_key=args.viewer_api_key,
        deterministic=args.deterministic,
        test_mode=args.test_mode,
        spec=args.spec,
    )


def banner(settings: Settings, url: str, unimplemented: Sequence[Operation] = ()) -> str:
    lines = [
        f"Users API reference server listening on {url}",
        f"  database: {settings.database}"
        + (" (deterministic)" if settings.deterministic else "")
        + (" (test mode: /_test/*)" if settings.test_mode else ""),
        "  credentials:",
        f"    owner  (owner@example.com):  Authorization: Bearer {settings.owner_token}"
        f"  |  X-API-Key: {settings.owner_api_key}",
        f"    viewer (viewer@example.com): Authorization: Bearer {settings.viewer_token}"
        f"  |  X-API-Key: {settings.viewer_api_key}",
        "  try:",
        f"    curl -s -H 'Authorization: Bearer {settings.owner_token}' {url}/v1/users",
        f"    curl -s -H 'X-API-Key: {settings.owner_api_key}' -H 'Content-Type: application/json'"
        f' -d \'{{"email": "ada@example.com"}}\' {url}/v1/users',
    ]
    if unimplemented:
        # A spec ahead of the server: say so at start, not only in each 501.
        lines.append("  not implemented yet (501):")
        lines += [f"    {op.name} ({op.label})" for op in unimplemented]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None, *, prog: str = PROG) -> int:
    """Serve until SIGINT or SIGTERM; 1 when the address is taken, 2 when the server
    cannot start (its dependencies, its settings, its spec)."""
    settings = parse_args(argv, prog=prog)
    missing = missing_requirements()
    if missing:
        print(
            f"{prog} needs {', '.join(missing)} (the [server] extra): {INSTALL_COMMAND}",
            file=sys.stderr,
        )
        return 2
    return _serve(settings)


def _serve(settings: Settings) -> int:
    # Imported here, once missing_requirements() has said they are installed.
    import uvicorn
    from fastapi import FastAPI

    from .devmode.background import base_url, bind_socket, uvicorn_config
    from .http.unimplemented import unimplemented_operations

    try:
        sock = bind_socket(settings.host, settings.port)
    except OSError as exc:
        print(f"cannot listen on {settings.host}:{settings.port}: {exc}", file=sys.stderr)
        return 1
    url = base_url(settings.host, sock.getsockname()[1])
    try:
        config = uvicorn_config(settings, log_level="info")
    except (ValueError, sqlite3.Error) as exc:
        sock.close()
        print(f"cannot start: {exc}", file=sys.stderr)
        return 2
    unimplemented = unimplemented_operations(cast(FastAPI, config.app))
    print(banner(settings, url, unimplemented), flush=True)
    server = uvicorn.Server(config)
    # After uvicorn configured logging: show the server's own log lines (the
    # outbox among them, so a reset token can be used without test mode).
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
    logging.getLogger("users_server").addHandler(handler)
    logging.getLogger("users_server").setLevel(logging.INFO)
    # uvicorn handles SIGINT and SIGTERM: finish in-flight requests, then return.
    server.run(sockets=[sock])
    sock.close()
    return 0
