"""Checks of local input, made before any request is sent: the one home of
"is this argument right?".

- `values`: one value at a time (an id for a path segment, a header, an
  email, an instant, a bounded integer...). Each failure raises an SDK error
  that is also a ValueError or TypeError and says what to pass instead.
- `fields`: a request body or query, field by field, by the kind the spec
  gives each field (`users_api_client.sdk.params.KINDS`).

Client options are checked where they are kept (`_config.py`), and the bulk
helpers' own arguments in `bulk/_arguments.py`; both use `values`.
"""
