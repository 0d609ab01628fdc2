"""Password and token hashing. Neither a password nor a reset token is ever stored in clear."""

from __future__ import annotations

import hashlib
import hmac

# scrypt's recommended interactive parameters (N=2**14, r=8, p=1): ~16 MiB, tens of ms.
_N, _R, _P = 2**14, 8, 1


def hash_password(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(
        password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


def token_digest(token: str) -> str:
    """Reset tokens are random and long, so a plain sha256 is enough to store them safely."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
