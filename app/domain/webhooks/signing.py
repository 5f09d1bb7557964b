"""Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature scheme"):
HMAC-SHA256 keyed with the secret's bytes over `{webhook-id}.{webhook-timestamp}.{body}`,
base64-encoded and sent as `v1,<signature>`; several signatures are space-separated, which is
how both secrets sign while a rotated secret overlaps the new one."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(
    secrets_in_force: list[str], message_id: str, timestamp: int, body: bytes
) -> str:
    return " ".join(signature(s, message_id, timestamp, body) for s in secrets_in_force)
