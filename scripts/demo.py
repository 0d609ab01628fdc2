"""`make demo`: a tour of what the SDK covers, read from the contract itself.

Until the reference server lands (see the issue "Reference server"), the demo
cannot call a live API; it shows each operation of openapi.yaml next to the
generated function that implements it, so that what it prints is never stale.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import yaml

import users_sdk

ROOT = Path(__file__).resolve().parent.parent
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def main() -> None:
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    print(f"users-sdk {users_sdk.__version__}: {spec['info']['title']} {spec['info']['version']}")
    print()
    print(f"  {'operation':<20} {'method':<7} {'path':<32} generated function")
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            module_name = f"users_api_client.api.users.{snake_case(operation['operationId'])}"
            module = importlib.import_module(module_name)
            assert callable(module.sync_detailed)
            print(
                f"  {operation['operationId']:<20} {method.upper():<7} {path:<32} "
                f"{module_name}.sync_detailed"
            )
    print()
    print("Every operation above is generated from openapi.yaml by `make generate`.")


if __name__ == "__main__":
    main()
