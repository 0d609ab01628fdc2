"""MkDocs hooks (mkdocs.yml `hooks:`): the reference pages of what the spec
generates, written at build time from the generated package itself.

The models, enums and TypedDicts (`users_sdk`'s names from the spec) and the
resources (`client.<tag>`, one per tag) change with `openapi.yaml`; listing
them by hand would leave a page behind after `make generate`. These two pages
are made here instead, so that a model or a tag the spec gains is in the
reference with no edit (the other reference pages are hand-written Markdown
in docs/reference/).
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from mkdocs.structure.files import File, Files

MODELS_PAGE = "reference/models.md"
# At run time users_sdk.__all__ ends with `+= _TYPES` and `+= _MODELS`, the
# spec's names (type checkers read the generated modules' __all__ instead):
# griffe reads both branches statically and warns that it cannot follow these. The
# reference does not use users_sdk.__all__ (each page names what it shows, and
# scripts/check_docs_site.py checks the built site against the real __all__),
# so exactly these two warnings are dropped; any other fails the strict build.
_DYNAMIC_ALL = tuple(
    f"Unsupported item in users_sdk.__all__: {name} " for name in ("_TYPES", "_MODELS")
)


class _DynamicAllFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not any(text in record.getMessage() for text in _DYNAMIC_ALL)


logging.getLogger("mkdocs.plugins.griffe").addFilter(_DynamicAllFilter())

RESOURCES_PAGE = "reference/resources.md"


def _directives(names: list[str], short: bool = False) -> str:
    """`:::` blocks; `short` shows `Users`, not the generated module's path."""
    options = "\n    options:\n      show_root_full_path: false" if short else ""
    return "\n\n".join(f"::: {name}{options}" for name in names) + "\n"


def models_page() -> str:
    names = importlib.import_module("users_api_client.sdk.names")
    return (
        "# Models and types\n\n"
        "Generated from the schemas of `openapi.yaml`. The models are attrs "
        "classes: `to_dict()` gives the JSON back, `from_dict()` builds one "
        "from it, and the fields the API sends that the spec does not have are "
        'kept (`model.additional_properties`, `model["new_field"]`). The '
        "enums are `Literal` types; the `...Params` `TypedDict`s are the "
        "keyword arguments of the methods, for your own type-checked code.\n\n"
        "```python\n"
        "from users_sdk import User, UsersClient\n\n"
        "with UsersClient() as client:\n"
        "    me = client.users.me()\n"
        "    data = me.to_dict()  # the JSON of the user, as the API sent it\n"
        "    assert User.from_dict(data) == me\n"
        '    print(data["email"], me.role)\n'
        "```\n\n"
        "## Models\n\n"
        + _directives([f"users_sdk.{name}" for name in names.MODELS])
        + "\n## Enums and keyword arguments\n\n"
        + _directives([f"users_sdk.{name}" for name in names.TYPES])
    )


def resources_page() -> str:
    resources = importlib.import_module("users_api_client.sdk.resources")
    sections = []
    for resource in resources.RESOURCES:
        module = importlib.import_module(f"users_api_client.sdk.resources.{resource}")
        # The sync class first, then its async twin, then the raw-response ones.
        classes = sorted(module.__all__, key=lambda name: name.startswith("Async"))
        names = [
            f"{module.__name__}.{name}"
            for name in (*classes, *sorted(_raw(module), key=lambda name: name.startswith("Async")))
        ]
        sections.append(f"## `client.{resource}`\n\n" + _directives(names, short=True))
    return (
        "# Resources: `client.users`, ...\n\n"
        "One resource per tag of `openapi.yaml`, generated with a method per "
        "operation: its summary and description come from the spec, and its "
        "example is written by `make generate` from the spec's example values. "
        "A `UsersClient` has the sync class (`Users`), an `AsyncUsersClient` "
        "the async one (`AsyncUsers`), whose methods are awaited (`list()` "
        "returns an `AsyncPaginator`: await it for one page, or iterate it "
        "with `async for`). `with_raw_response` has the same methods, "
        "returning an `APIResponse`.\n\n" + "\n".join(sections)
    )


def _raw(module: Any) -> list[str]:
    return sorted(name for name in vars(module) if name.endswith("WithRawResponse"))


def on_files(files: Files, config: Any) -> Files:
    for uri, content in ((MODELS_PAGE, models_page()), (RESOURCES_PAGE, resources_page())):
        files.append(File.generated(config, uri, content=content))
    return files
