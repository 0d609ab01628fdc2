"""users_sdk: a typed Python SDK for the Users API."""

from ._version import __version__

__all__ = ["__version__"]
