"""`python -m users_server`: the `users-sdk-server` command (command.py), under this name."""

from __future__ import annotations

import sys

from .command import main

if __name__ == "__main__":
    sys.exit(main(prog="python -m users_server"))
