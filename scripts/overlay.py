"""Apply an OpenAPI Overlay (1.0) to a spec: the actions this project uses.

    python scripts/overlay.py openapi.yaml change.overlay.yaml > evolved.yaml

Targets are simple JSONPath expressions: `$`, `.name` and `['name']` steps
(no wildcards or filters). `update` merges an object into an object
(recursively) and appends to an array; `remove: true` deletes the target.

Overlay 1.0 has no way to put something anywhere but at the end, and a
realistic change adds a field or an enum value anywhere. One extension of an
action does it: `x-insert-before: <name>` puts the update's new keys (in a
mapping) or values (in an array) right before the key or value `<name>` of
the target, in their order; a key that is there already is an error.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path
from typing import Any

import yaml

_STEP = re.compile(r"\.([A-Za-z0-9_$-]+)|\['([^']*)'\]")


class OverlayError(Exception):
    pass


def parse_target(target: str) -> list[str]:
    if not target.startswith("$"):
        raise OverlayError(f"target {target!r} must start with '$'")
    steps, position = [], 1
    while position < len(target):
        match = _STEP.match(target, position)
        if match is None:
            raise OverlayError(f"cannot parse target {target!r} at {target[position:]!r}")
        steps.append(match.group(1) if match.group(1) is not None else match.group(2))
        position = match.end()
    return steps


def _merge(target: Any, update: Any) -> Any:
    if isinstance(target, dict) and isinstance(update, dict):
        for key, value in update.items():
            target[key] = _merge(target[key], value) if key in target else copy.deepcopy(value)
        return target
    if isinstance(target, list):
        target.extend(update if isinstance(update, list) else [update])
        return target
    return copy.deepcopy(update)


def _insert_before(target: Any, update: Any, anchor: Any, where: str) -> Any:
    if isinstance(target, dict):
        if not isinstance(update, dict):
            raise OverlayError(f"{where}: x-insert-before into a mapping needs a mapping")
        if anchor not in target:
            raise OverlayError(f"{where}: x-insert-before {anchor!r}: no such key")
        present = [key for key in update if key in target]
        if present:
            raise OverlayError(f"{where}: x-insert-before adds keys, and has {present}")
        items = list(target.items())
        at = list(target).index(anchor)
        inserted = [*items[:at], *copy.deepcopy(update).items(), *items[at:]]
        target.clear()
        target.update(inserted)
        return target
    if isinstance(target, list):
        if anchor not in target:
            raise OverlayError(f"{where}: x-insert-before {anchor!r}: no such value")
        at = target.index(anchor)
        target[at:at] = copy.deepcopy(update if isinstance(update, list) else [update])
        return target
    raise OverlayError(f"{where}: x-insert-before needs a mapping or an array")


def apply(spec: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(spec)
    for action in overlay["actions"]:
        steps = parse_target(action["target"])
        parent: Any = None
        node: Any = result
        for step in steps:
            if not isinstance(node, dict) or step not in node:
                raise OverlayError(f"target {action['target']!r} matches nothing")
            parent, node = node, node[step]
        if action.get("remove"):
            if parent is None:
                raise OverlayError("cannot remove the whole document")
            del parent[steps[-1]]
        elif "update" in action:
            if "x-insert-before" in action:
                anchor = action["x-insert-before"]
                merged = _insert_before(node, action["update"], anchor, action["target"])
            else:
                merged = _merge(node, action["update"])
            if parent is None:
                result = merged
            else:
                parent[steps[-1]] = merged
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("overlay", type=Path)
    args = parser.parse_args()
    spec = yaml.safe_load(args.spec.read_text(encoding="utf-8"))
    overlay = yaml.safe_load(args.overlay.read_text(encoding="utf-8"))
    sys.stdout.write(yaml.safe_dump(apply(spec, overlay), sort_keys=False, allow_unicode=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
