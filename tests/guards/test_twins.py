"""The sync and async twins offer the same API: a parameter added to one is added
to the other. Written twice on purpose (as httpx2 does), so checked here."""

from __future__ import annotations

import functools
import importlib
import inspect
import re
from typing import Any

import pytest

from users_api_client.sdk.resources import RESOURCES
from users_sdk import AsyncPage, AsyncUsersClient, SyncPage, UsersClient

# Every generated resource, sync and async, with its raw-response wrappers.
_MODULES = [importlib.import_module(f"users_api_client.sdk.resources.{name}") for name in RESOURCES]
RESOURCE_TWINS = [
    (getattr(module, cls.__name__), getattr(module, f"Async{cls.__name__}"))
    for module in _MODULES
    for cls in vars(module).values()
    if isinstance(cls, type) and cls.__module__ == module.__name__
    and not cls.__name__.startswith("Async") and not cls.__name__.endswith("WithRawResponse")
]  # fmt: skip

# How a sync annotation reads in the async twin.
_ASYNC_NAMES = {
    "SyncPage": "AsyncPage",
    **{sync.__name__: twin.__name__ for sync, twin in RESOURCE_TWINS},
    **{f"{s.__name__}WithRawResponse": f"{a.__name__}WithRawResponse" for s, a in RESOURCE_TWINS},
    "UsersClient": "AsyncUsersClient",
    "Client": "AsyncClient",  # httpx2.Client
    "Iterator": "AsyncIterator",
    "CredentialProvider": "AsyncCredentialProvider",
}
# Methods that exist under another name in the async twin.
_RENAMED = {"__enter__": "__aenter__", "__exit__": "__aexit__", "__iter__": "__aiter__"}
# Async twin methods that are not coroutines: they do no I/O themselves.
_NOT_COROUTINES = {
    "with_options",
    "iter_pages",  # an async generator
    "__aiter__",
    "has_next_page",
    "has_previous_page",
}
# A paginated list returns an AsyncPaginator: await it for a page, or `async
# for` every item; it is no coroutine.
_PAGINATED = re.compile(r"^SyncPage\[(\w+)\]$")

TWINS = [
    *RESOURCE_TWINS,
    (UsersClient, AsyncUsersClient),
    (SyncPage, AsyncPage),
]


def _as_async(annotation: str) -> str:
    return re.sub(r"\b(\w+)\b", lambda match: _ASYNC_NAMES.get(match[1], match[1]), annotation)


def _public_methods(cls: type) -> dict[str, Any]:
    members = {}
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") and name not in {*_RENAMED, *_RENAMED.values(), "__init__"}:
            continue
        if callable(member) or isinstance(member, property | functools.cached_property):
            members[name] = member  # not slots and other plain attributes
    return members


def _signature(member: Any) -> inspect.Signature:
    function = member.fget if isinstance(member, property) else member
    function = getattr(function, "func", function)  # functools.cached_property
    return inspect.signature(function)


@pytest.mark.parametrize(("sync_cls", "async_cls"), TWINS, ids=lambda cls: cls.__name__)
def test_the_twins_have_the_same_methods(sync_cls: type, async_cls: type) -> None:
    sync_names = {_RENAMED.get(name, name) for name in _public_methods(sync_cls)}
    async_names = set(_public_methods(async_cls))
    assert sync_names == async_names


@pytest.mark.parametrize(("sync_cls", "async_cls"), TWINS, ids=lambda cls: cls.__name__)
def test_the_twins_take_the_same_parameters(sync_cls: type, async_cls: type) -> None:
    async_members = _public_methods(async_cls)
    for name, sync_member in _public_methods(sync_cls).items():
        async_member = async_members[_RENAMED.get(name, name)]
        sync_signature, async_signature = _signature(sync_member), _signature(async_member)
        sync_parameters = [
            (p.name, p.kind, p.default, _as_async(str(p.annotation)))
            for p in sync_signature.parameters.values()
        ]
        async_parameters = [
            (p.name, p.kind, p.default, str(p.annotation))
            for p in async_signature.parameters.values()
        ]
        assert sync_parameters == async_parameters, f"{sync_cls.__name__}.{name}"
        if name not in _RENAMED:  # __exit__ -> None, __aexit__ -> None; __iter__ differs
            expected = str(sync_signature.return_annotation)
            if (sync_cls, async_cls) in RESOURCE_TWINS:
                expected = _PAGINATED.sub(r"AsyncPaginator[\1]", expected)
            expected = _as_async(expected)
            assert str(async_signature.return_annotation) == expected, (
                f"{async_cls.__name__}.{name}"
            )


@pytest.mark.parametrize(("sync_cls", "async_cls"), TWINS, ids=lambda cls: cls.__name__)
def test_the_async_twin_awaits_every_call_that_does_io(sync_cls: type, async_cls: type) -> None:
    for name, member in _public_methods(async_cls).items():
        attribute = isinstance(member, property | functools.cached_property)
        if name in _NOT_COROUTINES or name == "__init__" or attribute:
            continue
        if str(inspect.signature(member).return_annotation).startswith("AsyncPaginator["):
            assert not inspect.iscoroutinefunction(member), f"{async_cls.__name__}.{name}"
            continue
        function = member
        assert inspect.iscoroutinefunction(function), f"{async_cls.__name__}.{name}"


@pytest.mark.parametrize(("sync_cls", "async_cls"), RESOURCE_TWINS, ids=lambda c: c.__name__)
def test_raw_response_wrappers_cover_the_same_methods(sync_cls: type, async_cls: type) -> None:
    with UsersClient(base_url="http://twins.test", token="t") as client:
        sync_names = set(vars(sync_cls(client).with_raw_response))
        async_names = set(vars(async_cls(client).with_raw_response))
    public = {name for name in _public_methods(sync_cls) if not name.startswith("_")}
    assert sync_names == async_names == public - {"with_raw_response"}
