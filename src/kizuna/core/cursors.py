"""Sealed cursors: a position in a global sequence, handed to one reader as an opaque token.

A live stream resumes from where its reader left off, so the reader must hold its position;
but the position is a revision counted over every entry, hidden ones included, and a reader
who could read it would see a gap where a hidden entry was written. So the position leaves
the server sealed: encrypted and authenticated, bound to the reader and to what it counts
(a purpose and a scope, e.g. one situation's log), under a key derived from SECRET_KEY.

The construction is encrypt-then-MAC from the standard library: HMAC-SHA256 keyed apart
for the two jobs, a fresh random nonce per token (so the same position sealed twice gives
two unrelated tokens: a reader cannot even tell two equal positions apart), the position
masked by HMAC(nonce) as a stream cipher, and a tag over nonce and ciphertext with the
reader and scope. `unseal` refuses (`InvalidCursor`) anything forged, altered, truncated,
or sealed for another reader or scope, and says nothing of why.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

from django.conf import settings

NONCE = 12
POSITION = 8
TAG = 16


class InvalidCursor(ValueError):
    """The token was not sealed by this server for this reader and scope."""


def _key(purpose: str, job: str) -> bytes:
    material = f"kizuna.cursor:{purpose}:{job}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), material, hashlib.sha256).digest()


def _bound(reader: int, scope: str) -> bytes:
    return f"{reader}:{scope}".encode()


def _mask(purpose: str, nonce: bytes, bound: bytes) -> bytes:
    return hmac.new(_key(purpose, "mask"), nonce + bound, hashlib.sha256).digest()[:POSITION]


def _tag(purpose: str, nonce: bytes, sealed: bytes, bound: bytes) -> bytes:
    message = nonce + sealed + bound
    return hmac.new(_key(purpose, "tag"), message, hashlib.sha256).digest()[:TAG]


def seal(purpose: str, *, reader: int, scope: str, position: int) -> str:
    """An opaque token for `position`, good only for this reader and scope."""
    nonce = secrets.token_bytes(NONCE)
    bound = _bound(reader, scope)
    plain = position.to_bytes(POSITION, "big")
    sealed = bytes(a ^ b for a, b in zip(plain, _mask(purpose, nonce, bound), strict=True))
    token = nonce + sealed + _tag(purpose, nonce, sealed, bound)
    return base64.urlsafe_b64encode(token).decode("ascii").rstrip("=")


def unseal(purpose: str, token: str, *, reader: int, scope: str) -> int:
    """The position sealed in `token`; InvalidCursor unless this server sealed it for this
    reader and scope."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise InvalidCursor from None
    if len(raw) != NONCE + POSITION + TAG:
        raise InvalidCursor
    nonce, sealed, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    bound = _bound(reader, scope)
    if not hmac.compare_digest(tag, _tag(purpose, nonce, sealed, bound)):
        raise InvalidCursor
    plain = bytes(a ^ b for a, b in zip(sealed, _mask(purpose, nonce, bound), strict=True))
    return int.from_bytes(plain, "big")
