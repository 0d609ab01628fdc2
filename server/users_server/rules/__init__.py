"""The API's rules over the storage, with no HTTP framework in their signatures
but a stored response (idempotency.py): users, password resets, credentials and
roles, issued tokens, signed cursors, idempotency keys. Imports only store/,
support/, spec/ and errors.py."""
