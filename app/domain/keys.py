"""API key format and scopes. A key is `vnd_<prefix>_<secret>`; only a digest is ever stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from enum import StrEnum


class Scope(StrEnum):
    COMPUTE = "compute"  # read and compute routes, when a key is required for them
    WRITE = "write"  # records: decisions, obligations, procedures, dossiers
    ADMIN = "admin"  # reference data: calendar adjustments, rules, profiles; implies all


def new_key() -> tuple[str, str, str]:
    """(key, prefix, digest). The key is 256 bits of randomness, so SHA-256 suffices."""
    prefix = secrets.token_hex(4)
    key = f"vnd_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, digest(key)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str | None:
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "vnd" or len(parts[1]) != 8:
        return None
    return parts[1]


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key), stored_digest)


def grants(scopes: list[str], needed: Scope) -> bool:
    return Scope.ADMIN in scopes or needed in scopes
