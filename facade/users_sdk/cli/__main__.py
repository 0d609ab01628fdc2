"""`python -m users_sdk.cli`: the same as the `users-sdk` console script."""

from users_sdk.cli import main

main()
