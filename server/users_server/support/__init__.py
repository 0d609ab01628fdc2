"""What the server is built on and never depends back on: clocks, entropy (ids,
tokens, secrets), the development outbox and password hashing. Imports no other
part of users_server."""
